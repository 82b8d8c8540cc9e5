package io.salesvoice.stt.speech;

import io.salesvoice.stt.audio.Wav;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The five LibriVox utterances of Debian's pocketsphinx-testdata with their reference transcriptions. */
public final class LibriVox {

  /** One recording and what was said in it. */
  public record Utterance(String id, short[] audio, int sampleRate, String reference) {
  }

  private LibriVox() {
  }

  public static List<Utterance> load() throws IOException {
    Path dir = Speech.TESTDATA.resolve("librivox");
    Pattern line = Pattern.compile("<s>(.*)</s>\\s*\\((.*)\\)");
    List<Utterance> out = new ArrayList<>();
    for (String l : Files.readAllLines(dir.resolve("transcription"))) {
      Matcher m = line.matcher(l.strip());
      if (m.matches()) {
        Wav.Audio audio = Wav.read(Files.readAllBytes(dir.resolve(m.group(2).strip() + ".wav")));
        out.add(new Utterance(m.group(2).strip(), audio.mono(), audio.sampleRate(), m.group(1).strip()));
      }
    }
    return out;
  }
}
