package io.salesvoice.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-call media tokens: {@code base64url(callId "|" expiryEpochSeconds) "." base64url(HMAC-SHA256)} signed with a
 * secret shared with whoever places the call (the dialer, a VoxEngine scenario, a TwiML app). A token opens exactly
 * one call's media stream until it expires, so a leaked URL is worth little. Tokens are never logged.
 */
public final class CallTokens {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private final byte[] secret;
  private final Clock clock;

  public CallTokens(byte[] secret, Clock clock) {
    if (secret.length < 16) {
      throw new IllegalArgumentException("the media token secret must have at least 16 bytes");
    }
    this.secret = secret.clone();
    this.clock = clock;
  }

  /** What a valid token grants. */
  public record Grant(String callId, long expiresAtEpochSecond) {
  }

  public String issue(String callId, Duration ttl) {
    if (callId == null || callId.isBlank() || callId.contains("|")) {
      throw new IllegalArgumentException("callId must be non-blank and must not contain '|'");
    }
    long expiry = clock.instant().plus(ttl).getEpochSecond();
    byte[] payload = (callId + "|" + expiry).getBytes(StandardCharsets.UTF_8);
    return B64.encodeToString(payload) + "." + B64.encodeToString(sign(payload));
  }

  /** The grant of a well-formed, correctly signed, unexpired token; empty otherwise (no reason, on purpose). */
  public Optional<Grant> verify(String token) {
    if (token == null || token.length() > 512) {
      return Optional.empty();
    }
    int dot = token.indexOf('.');
    if (dot <= 0 || dot != token.lastIndexOf('.')) {
      return Optional.empty();
    }
    try {
      byte[] payload = B64D.decode(token.substring(0, dot));
      byte[] signature = B64D.decode(token.substring(dot + 1));
      if (!MessageDigest.isEqual(sign(payload), signature)) {
        return Optional.empty();
      }
      String text = new String(payload, StandardCharsets.UTF_8);
      int bar = text.lastIndexOf('|');
      long expiry = Long.parseLong(text.substring(bar + 1));
      if (bar <= 0 || clock.instant().getEpochSecond() >= expiry) {
        return Optional.empty();
      }
      return Optional.of(new Grant(text.substring(0, bar), expiry));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private byte[] sign(byte[] payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(payload);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }
}
