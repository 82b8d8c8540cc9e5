package io.salesvoice.tts.engine;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a few engine processes per voice started and waiting on their stdin, so a request pays for writing the text,
 * not for starting a process and loading a voice. Each process serves one request and is then destroyed
 * ({@link #take}), and a fresh one is started in its place off the request's path.
 */
final class ProcessPool implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ProcessPool.class);

  private final Function<String, List<String>> command;
  private final int warmPerVoice;
  private final Map<String, Deque<Process>> idle = new HashMap<>();
  private final Map<String, Integer> starting = new HashMap<>();
  private boolean closed;

  ProcessPool(Function<String, List<String>> command, int warmPerVoice) {
    this.command = command;
    this.warmPerVoice = warmPerVoice;
  }

  /** A started process for {@code voice}: a warm one if there is one, else a new one. */
  Process take(String voice) throws IOException {
    Process p;
    synchronized (this) {
      Deque<Process> q = idle.computeIfAbsent(voice, v -> new ArrayDeque<>());
      p = q.pollFirst();
      while (p != null && !p.isAlive()) {
        p = q.pollFirst();
      }
    }
    if (p == null) {
      p = start(voice);
    }
    return p;
  }

  /** Starts processes for {@code voice} until {@code warmPerVoice} wait idle; call off the latency path. */
  void refill(String voice) {
    while (true) {
      synchronized (this) {
        // processes being started count too, so concurrent refills do not overshoot
        int pending = idle.computeIfAbsent(voice, v -> new ArrayDeque<>()).size() + starting.getOrDefault(voice, 0);
        if (closed || pending >= warmPerVoice) {
          return;
        }
        starting.merge(voice, 1, Integer::sum);
      }
      Process p = null;
      try {
        p = start(voice);
      } catch (IOException e) {
        log.warn("cannot pre-start an engine process for voice {}: {}", voice, e.getMessage());
      }
      synchronized (this) {
        starting.merge(voice, -1, Integer::sum);
        if (p == null) {
          return;
        }
        if (closed) {
          p.destroyForcibly();
          return;
        }
        idle.get(voice).addLast(p);
      }
    }
  }

  private Process start(String voice) throws IOException {
    return new ProcessBuilder(command.apply(voice))
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  @Override
  public synchronized void close() {
    closed = true;
    idle.values().forEach(q -> q.forEach(Process::destroyForcibly));
    idle.clear();
  }
}
