package io.salesvoice.ingest.media;

import io.salesvoice.ingest.audio.AudioFormat;
import java.util.List;
import java.util.Optional;

/**
 * One telephony wire protocol, per connection: turns incoming frames into {@link MediaEvent}s and renders the agent's
 * audio and control messages for the provider. Plain Java, no I/O; one instance per connection, used by one thread
 * at a time.
 */
public interface MediaProtocol {

  /** Provider name as it appears in {@code CallStarted.provider} and metric tags. */
  String provider();

  /** Events known at connect time, from the URL (the raw PCM protocol starts here); usually none. */
  default List<MediaEvent> onConnect() {
    return List.of();
  }

  List<MediaEvent> onText(String frame);

  List<MediaEvent> onBinary(byte[] frame);

  /** The format the provider wants the agent's audio in, known once the stream started. */
  AudioFormat outboundFormat();

  /** One frame of the agent's audio, already in {@link #outboundFormat()}. */
  OutFrame audio(byte[] data);

  /** Tells the provider to drop the agent audio it buffered, if the protocol can. */
  Optional<OutFrame> clear();

  /** A marker the provider echoes once it played everything before it, if the protocol can. */
  Optional<OutFrame> mark(String name);
}
