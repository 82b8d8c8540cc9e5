package io.salesvoice.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Checks the API key of the replay and admin endpoints in constant time; no key configured means no access. */
public final class ApiKeys {

  private final byte[] key;

  public ApiKeys(String key) {
    this.key = key == null || key.isBlank() ? null : key.getBytes(StandardCharsets.UTF_8);
  }

  public boolean configured() {
    return key != null;
  }

  public boolean matches(String presented) {
    return key != null && presented != null
        && MessageDigest.isEqual(key, presented.getBytes(StandardCharsets.UTF_8));
  }
}
