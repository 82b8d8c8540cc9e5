package io.salesvoice.dialog.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A local HTTP server on a free port that answers {@code POST /v1/chat/completions} the way OpenAI's Chat Completions
 * API documents streaming: {@code text/event-stream}, one {@code data: <chunk json>} event per delta
 * ({@code delta.content}, {@code delta.tool_calls} with argument fragments), then {@code data: [DONE]}.
 */
public final class FakeOpenAi implements AutoCloseable {

  /** One scripted reply: SSE data lines, each sent after its delay. */
  public static final class Reply {
    final List<String> events = new ArrayList<>();
    final List<Long> delays = new ArrayList<>();
    long delay;

    /** The following events are sent this long after the previous one. */
    public Reply after(long millis) {
      this.delay = millis;
      return this;
    }

    public Reply content(String text) {
      return event(chunk("{\"content\":" + quote(text) + "}", null));
    }

    public Reply toolCall(int index, String id, String name, String... argumentFragments) {
      event(chunk("{\"tool_calls\":[{\"index\":" + index + ",\"id\":\"" + id + "\",\"type\":\"function\","
          + "\"function\":{\"name\":\"" + name + "\",\"arguments\":\"\"}}]}", null));
      for (String f : argumentFragments) {
        event(chunk("{\"tool_calls\":[{\"index\":" + index + ",\"function\":{\"arguments\":" + quote(f) + "}}]}", null));
      }
      return this;
    }

    public Reply finish(String reason) {
      return event(chunk("{}", reason));
    }

    public Reply raw(String data) {
      return event(data);
    }

    public Reply done() {
      return event("[DONE]");
    }

    private Reply event(String data) {
      events.add(data);
      delays.add(delay);
      return this;
    }

    private static String chunk(String delta, String finishReason) {
      return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,\"model\":\"gpt-4o-mini\","
          + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":"
          + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}";
    }

    private static String quote(String s) {
      return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
  }

  private final HttpServer server;
  private final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();

  public FakeOpenAi() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/v1/chat/completions", exchange -> {
      requests.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      Reply reply = replies.poll();
      if (reply == null) {
        exchange.sendResponseHeaders(500, -1);
        exchange.close();
        return;
      }
      exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        for (int i = 0; i < reply.events.size(); i++) {
          if (reply.delays.get(i) > 0) {
            Thread.sleep(reply.delays.get(i));
          }
          out.write(("data: " + reply.events.get(i) + "\n\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException e) {
        // the client went away, e.g. after its timeout
      }
    });
    server.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  public FakeOpenAi enqueue(Reply reply) {
    replies.add(reply);
    return this;
  }

  public List<String> requests() {
    return requests;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
