package io.salesvoice.ingest.audio;

import io.salesvoice.schema.audio.AudioCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A parsed RIFF/WAVE recording: G.711 mu-law, A-law or 16-bit PCM, mono or stereo, any sample rate. Other files are
 * refused with {@link UnsupportedAudioException} (a format we do not decode, e.g. MP3 or Ogg) or
 * {@link MalformedAudioException} (a WAV that is truncated or inconsistent).
 */
public record WavFile(AudioCodec codec, int sampleRate, int channels, byte[] data) {

  private static final int WAVE_FORMAT_PCM = 1;
  private static final int WAVE_FORMAT_ALAW = 6;
  private static final int WAVE_FORMAT_MULAW = 7;
  private static final int WAVE_FORMAT_EXTENSIBLE = 0xFFFE;

  public static WavFile parse(byte[] file) {
    if (file.length >= 4 && !startsWith(file, "RIFF")) {
      throw new UnsupportedAudioException(describeNonWav(file));
    }
    if (file.length < 12 || !ascii(file, 8, 4).equals("WAVE")) {
      throw new MalformedAudioException("not a WAV file: the RIFF header is incomplete or not of type WAVE");
    }
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    b.position(12);
    Integer format = null;
    int channels = 0;
    int sampleRate = 0;
    int bitsPerSample = 0;
    int blockAlign = 0;
    while (b.remaining() >= 8) {
      String id = ascii(file, b.position(), 4);
      b.position(b.position() + 4);
      long size = Integer.toUnsignedLong(b.getInt());
      if (id.equals("fmt ")) {
        if (size < 16 || size > b.remaining()) {
          throw new MalformedAudioException("WAV fmt chunk is truncated");
        }
        int start = b.position();
        format = b.getShort() & 0xFFFF;
        channels = b.getShort() & 0xFFFF;
        sampleRate = b.getInt();
        b.getInt(); // byte rate, derived from the rest
        blockAlign = b.getShort() & 0xFFFF;
        bitsPerSample = b.getShort() & 0xFFFF;
        if (format == WAVE_FORMAT_EXTENSIBLE) {
          if (size < 40) {
            throw new MalformedAudioException("WAV extensible fmt chunk is truncated");
          }
          b.position(start + 24);
          format = b.getShort() & 0xFFFF; // the sub-format GUID starts with the format tag
        }
        b.position(start + (int) size + (int) (size & 1));
      } else if (id.equals("data")) {
        if (format == null) {
          throw new MalformedAudioException("WAV data chunk comes before the fmt chunk");
        }
        if (size > b.remaining()) {
          throw new MalformedAudioException("WAV is truncated: the data chunk declares " + size + " bytes, "
              + b.remaining() + " are present");
        }
        AudioCodec codec = codecOf(format, bitsPerSample);
        if (channels < 1 || channels > 2) {
          throw new UnsupportedAudioException("WAV with " + channels + " channels: only mono or stereo");
        }
        if (sampleRate < 4000 || sampleRate > 192000) {
          throw new UnsupportedAudioException("WAV sample rate " + sampleRate + " Hz is out of range");
        }
        int frame = channels * (codec == AudioCodec.PCM16 ? 2 : 1);
        if (blockAlign != frame) {
          throw new MalformedAudioException("WAV block align " + blockAlign + " does not match " + channels
              + " channel(s) of " + bitsPerSample + " bits");
        }
        byte[] data = new byte[(int) (size - size % frame)];
        b.get(data);
        if (data.length == 0) {
          throw new MalformedAudioException("WAV has no audio samples");
        }
        return new WavFile(codec, sampleRate, channels, data);
      } else {
        if (size > b.remaining()) {
          throw new MalformedAudioException("WAV is truncated inside chunk '" + id.trim() + "'");
        }
        b.position(b.position() + (int) size + (int) Math.min(size & 1, b.remaining() - size));
      }
    }
    throw new MalformedAudioException("WAV is truncated: no data chunk");
  }

  /** Milliseconds of audio. */
  public long durationMs() {
    int bytesPerSample = codec == AudioCodec.PCM16 ? 2 : 1;
    return data.length / ((long) bytesPerSample * channels) * 1000 / sampleRate;
  }

  /** Each channel as linear PCM samples: index 0 is the left (or only) channel. */
  public short[][] channelSamples() {
    byte[] pcm = AudioConverter.toPcm16(codec, data);
    int frames = pcm.length / 2 / channels;
    short[][] out = new short[channels][frames];
    for (int f = 0; f < frames; f++) {
      for (int c = 0; c < channels; c++) {
        out[c][f] = Pcm16.sampleAt(pcm, f * channels + c);
      }
    }
    return out;
  }

  /** Writes a WAV file; used by tests, the benchmark and tools that produce recordings. */
  public byte[] toBytes() {
    int format = switch (codec) {
      case PCM16 -> WAVE_FORMAT_PCM;
      case ALAW -> WAVE_FORMAT_ALAW;
      case MULAW -> WAVE_FORMAT_MULAW;
      default -> throw new UnsupportedAudioException("unknown codec");
    };
    int bits = codec == AudioCodec.PCM16 ? 16 : 8;
    int blockAlign = channels * bits / 8;
    ByteBuffer b = ByteBuffer.allocate(44 + data.length + (data.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + data.length + (data.length & 1))
        .put("WAVE".getBytes(StandardCharsets.US_ASCII))
        .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) format)
        .putShort((short) channels).putInt(sampleRate).putInt(sampleRate * blockAlign)
        .putShort((short) blockAlign).putShort((short) bits)
        .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(data.length).put(data);
    return b.array();
  }

  private static AudioCodec codecOf(int format, int bits) {
    return switch (format) {
      case WAVE_FORMAT_PCM -> {
        if (bits != 16) {
          throw new UnsupportedAudioException("WAV PCM with " + bits + " bits per sample: only 16-bit PCM");
        }
        yield AudioCodec.PCM16;
      }
      case WAVE_FORMAT_ALAW -> requireEightBits(AudioCodec.ALAW, bits);
      case WAVE_FORMAT_MULAW -> requireEightBits(AudioCodec.MULAW, bits);
      default -> throw new UnsupportedAudioException("WAV format tag " + format
          + " is not supported: use 16-bit PCM (1), A-law (6) or mu-law (7)");
    };
  }

  private static AudioCodec requireEightBits(AudioCodec codec, int bits) {
    if (bits != 8) {
      throw new MalformedAudioException("WAV " + codec + " must have 8 bits per sample, not " + bits);
    }
    return codec;
  }

  private static String describeNonWav(byte[] file) {
    if (startsWith(file, "ID3") || ((file[0] & 0xFF) == 0xFF && (file[1] & 0xE0) == 0xE0)) {
      return "MP3 is not supported (no maintained Java MP3 decoder on Maven Central): send a WAV file";
    }
    if (startsWith(file, "OggS")) {
      return "Ogg/Opus is not supported (no maintained Java Opus decoder on Maven Central): send a WAV file";
    }
    return "not a WAV file: expected a RIFF/WAVE header (16-bit PCM, mu-law or A-law, mono or stereo)";
  }

  private static boolean startsWith(byte[] file, String magic) {
    return file.length >= magic.length() && ascii(file, 0, magic.length()).equals(magic);
  }

  private static String ascii(byte[] b, int offset, int length) {
    return new String(b, offset, Math.min(length, b.length - offset), StandardCharsets.US_ASCII);
  }
}
