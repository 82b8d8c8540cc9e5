package io.salesvoice.ingest.media;

import io.salesvoice.ingest.audio.AudioFormat;
import java.util.Map;

/** What a provider's frame means to a call, whatever the wire protocol: the protocols translate, the session acts. */
public sealed interface MediaEvent {

  /**
   * The stream began.
   *
   * @param providerCallId the provider's id of the call or stream (Twilio's callSid), kept as a parameter
   * @param token          the per-call media token, when the protocol carries it in the stream (Twilio customParameters)
   * @param parameters     provider and campaign parameters (customParameters, query parameters), token removed
   */
  record Started(AudioFormat format, String providerCallId, String token, Map<String, String> parameters)
      implements MediaEvent {
  }

  /** Customer audio in the stream's format. */
  record Audio(byte[] data) implements MediaEvent {
  }

  record Dtmf(String digits) implements MediaEvent {
  }

  /** The provider played our audio up to this mark. */
  record Mark(String name) implements MediaEvent {
  }

  /** The provider ended the stream: the caller or the scenario hung up. */
  record Stopped(String detail) implements MediaEvent {
  }

  /** A frame the protocol refused; the connection turns it into a close code and the end of the call. */
  record Rejected(MediaProtocolException error) implements MediaEvent {
  }

  /** A frame with nothing for the call (Twilio's {@code connected}, the agent's own track echoed back). */
  record Ignored() implements MediaEvent {
  }
}
