package io.salesvoice.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CallTokensTest {

  private static final byte[] SECRET = "0123456789abcdef0123".getBytes(StandardCharsets.UTF_8);
  private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

  private static CallTokens at(Instant t) {
    return new CallTokens(SECRET, Clock.fixed(t, ZoneOffset.UTC));
  }

  @Test
  void aFreshTokenGrantsItsCall() {
    String token = at(NOW).issue("call-1", Duration.ofMinutes(5));
    assertThat(at(NOW.plusSeconds(299)).verify(token)).hasValueSatisfying(g -> assertThat(g.callId()).isEqualTo("call-1"));
  }

  @Test
  void anExpiredTokenGrantsNothing() {
    String token = at(NOW).issue("call-1", Duration.ofMinutes(5));
    assertThat(at(NOW.plusSeconds(300)).verify(token)).isEmpty();
  }

  @Test
  void aTokenSignedWithAnotherSecretGrantsNothing() {
    String token = new CallTokens("another-secret-of-16+".getBytes(StandardCharsets.UTF_8), Clock.fixed(NOW,
        ZoneOffset.UTC)).issue("call-1", Duration.ofMinutes(5));
    assertThat(at(NOW).verify(token)).isEmpty();
  }

  @Test
  void aTamperedCallIdGrantsNothing() {
    String token = at(NOW).issue("call-1", Duration.ofMinutes(5));
    String signature = token.substring(token.indexOf('.'));
    String forged = java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString(("call-2|" + NOW.plusSeconds(300).getEpochSecond()).getBytes(StandardCharsets.UTF_8));
    assertThat(at(NOW).verify(forged + signature)).isEmpty();
  }

  @Test
  void garbageGrantsNothing() {
    CallTokens tokens = at(NOW);
    assertThat(tokens.verify(null)).isEmpty();
    assertThat(tokens.verify("")).isEmpty();
    assertThat(tokens.verify("no-dot")).isEmpty();
    assertThat(tokens.verify("a.b.c")).isEmpty();
    assertThat(tokens.verify("!!!.???")).isEmpty();
  }

  @Test
  void apiKeysCompareExactlyAndRefuseWhenUnset() {
    assertThat(new ApiKeys("k-1").matches("k-1")).isTrue();
    assertThat(new ApiKeys("k-1").matches("k-2")).isFalse();
    assertThat(new ApiKeys("k-1").matches(null)).isFalse();
    assertThat(new ApiKeys("").matches("")).isFalse();
    assertThat(new ApiKeys(null).configured()).isFalse();
  }
}
