package io.salesvoice.stt.audio;

/** The encodings audio arrives in; kept free of the Avro enum so the audio layer has no schema dependency. */
public enum Codec {
  PCM16, MULAW, ALAW
}
