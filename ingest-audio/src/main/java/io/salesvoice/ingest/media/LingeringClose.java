package io.salesvoice.ingest.media;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * Keeps a media socket open after the edge sent its close frame until the client answers with its own (or a grace
 * period passes), reading and dropping what still arrives. Reactor Netty closes the TCP connection as soon as its close
 * frame is written; a client that is still streaming (a browser sends every 20 ms, a carrier too) then writes into a
 * closed socket, gets a reset, and reports 1006 instead of the close code and reason the edge sent.
 */
public final class LingeringClose extends ChannelDuplexHandler {

  /** The handler's name in the pipeline. */
  public static final String NAME = "sva.lingeringClose";

  private final Duration grace;
  private ChannelPromise closeWritten;
  private ScheduledFuture<?> deadline;

  private LingeringClose(Duration grace) {
    this.grace = grace;
  }

  /** Puts the handler on every connection of the server, after the WebSocket codec and before Reactor Netty's bridge. */
  public static HttpServer installOn(HttpServer server, Duration grace) {
    return server.doOnChannelInit((observer, channel, remote) -> {
      ChannelPipeline pipeline = channel.pipeline();
      if (pipeline.get(NettyPipeline.ReactiveBridge) != null) {
        pipeline.addBefore(NettyPipeline.ReactiveBridge, NAME, new LingeringClose(grace));
      } else {
        pipeline.addLast(NAME, new LingeringClose(grace));
      }
    });
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof CloseWebSocketFrame) || closeWritten != null) {
      ctx.write(msg, promise);
      return;
    }
    // the caller closes the connection when this promise completes: complete it once the client has answered
    closeWritten = promise;
    ctx.write(msg).addListener(written -> {
      if (!written.isSuccess()) {
        promise.tryFailure(written.cause());
      }
    });
    ctx.channel().config().setAutoRead(true);
    deadline = ctx.executor().schedule(this::release, grace.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    boolean answer = closeWritten != null && msg instanceof CloseWebSocketFrame;
    ctx.fireChannelRead(msg);
    if (answer) {
      release();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    release();
    ctx.fireChannelInactive();
  }

  private void release() {
    if (deadline != null) {
      deadline.cancel(false);
    }
    if (closeWritten != null) {
      closeWritten.trySuccess();
    }
  }
}
