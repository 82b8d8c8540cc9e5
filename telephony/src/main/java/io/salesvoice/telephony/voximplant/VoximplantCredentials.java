package io.salesvoice.telephony.voximplant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How requests to Voximplant's Management API are authorized. Voximplant's documented way is a service account: a
 * JWT signed RS256 with the account's private key ({@code kid} = key_id in the header, {@code iss} = account_id,
 * {@code iat}, {@code exp} at most iat + 3600 s), sent as {@code Authorization: Bearer}. The older account_id +
 * api_key parameters still work but are deprecated by Voximplant. Keys are never logged; {@link #toString()} says
 * which kind is in use and nothing else.
 */
public sealed interface VoximplantCredentials {

  /** Adds the credentials to one request: a header or form parameters. */
  void authorize(Map<String, String> headers, Map<String, String> form);

  /** Which kind, for logs and health: service-account or api-key. */
  String kind();

  /**
   * A service account from the JSON Voximplant generates (Settings → Service accounts → Generate key, or the CreateKey
   * method's {@code result}): {@code account_id}, {@code key_id}, {@code private_key} (PEM), at the top level or under
   * {@code result}.
   */
  static ServiceAccount serviceAccount(String credentialsJson, Clock clock) {
    try {
      JsonNode root = new ObjectMapper().readTree(credentialsJson);
      JsonNode node = root.has("result") && root.get("result").isObject() ? root.get("result") : root;
      long accountId = node.path("account_id").asLong(0);
      String keyId = node.path("key_id").asText("");
      String pem = node.path("private_key").asText("");
      if (accountId <= 0 || keyId.isBlank() || pem.isBlank()) {
        throw new IllegalArgumentException(
            "Voximplant credentials need account_id, key_id and private_key (the JSON of a service account key)");
      }
      return new ServiceAccount(accountId, keyId, Pem.privateKey(pem), clock);
    } catch (IOException e) {
      throw new IllegalArgumentException("Voximplant credentials are not JSON: " + e.getClass().getSimpleName());
    }
  }

  static ServiceAccount serviceAccountFile(Path file, Clock clock) {
    try {
      return serviceAccount(Files.readString(file), clock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Voximplant credentials file " + file, e);
    }
  }

  /** JWT bearer tokens of a service account, signed anew well before each one expires. */
  final class ServiceAccount implements VoximplantCredentials {
    /** Voximplant accepts exp up to iat + 3600 s; a token is replaced after half of that. */
    static final Duration LIFETIME = Duration.ofHours(1);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final long accountId;
    private final String keyId;
    private final PrivateKey key;
    private final Clock clock;
    private volatile String token;
    private volatile Instant renewAt = Instant.MIN;

    ServiceAccount(long accountId, String keyId, PrivateKey key, Clock clock) {
      this.accountId = accountId;
      this.keyId = keyId;
      this.key = key;
      this.clock = clock;
    }

    public long accountId() {
      return accountId;
    }

    @Override
    public void authorize(Map<String, String> headers, Map<String, String> form) {
      headers.put("Authorization", "Bearer " + token());
    }

    @Override
    public String kind() {
      return "service-account";
    }

    String token() {
      Instant now = clock.instant();
      if (now.isBefore(renewAt) && token != null) {
        return token;
      }
      synchronized (this) {
        if (now.isBefore(renewAt) && token != null) {
          return token;
        }
        long iat = now.getEpochSecond();
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("typ", "JWT");
        header.put("alg", "RS256");
        header.put("kid", keyId);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iat", iat);
        claims.put("iss", accountId);
        claims.put("exp", iat + LIFETIME.toSeconds());
        String signed = b64json(header) + "." + b64json(claims);
        try {
          Signature rs256 = Signature.getInstance("SHA256withRSA");
          rs256.initSign(key);
          rs256.update(signed.getBytes(StandardCharsets.US_ASCII));
          token = signed + "." + B64.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("cannot sign the Voximplant JWT with the service account's key", e);
        }
        renewAt = now.plus(LIFETIME.dividedBy(2));
        return token;
      }
    }

    private static String b64json(Map<String, Object> value) {
      try {
        return B64.encodeToString(new ObjectMapper().writeValueAsBytes(value));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public String toString() {
      return "Voximplant service account " + accountId;
    }
  }

  /** The deprecated account_id + api_key parameters, for accounts that have no service account yet. */
  record ApiKey(String accountId, String apiKey) implements VoximplantCredentials {
    public ApiKey {
      if (accountId == null || accountId.isBlank() || apiKey == null || apiKey.isBlank()) {
        throw new IllegalArgumentException("Voximplant API key authentication needs account_id and api_key");
      }
    }

    @Override
    public void authorize(Map<String, String> headers, Map<String, String> form) {
      form.put("account_id", accountId);
      form.put("api_key", apiKey);
    }

    @Override
    public String kind() {
      return "api-key";
    }

    @Override
    public String toString() {
      return "Voximplant API key of account " + accountId;
    }
  }

  /** PEM private keys, PKCS#8 ("PRIVATE KEY") or PKCS#1 ("RSA PRIVATE KEY", wrapped into PKCS#8 here). */
  final class Pem {
    private Pem() {
    }

    static PrivateKey privateKey(String pem) {
      boolean pkcs1 = pem.contains("BEGIN RSA PRIVATE KEY");
      String base64 = pem.replaceAll("-----(BEGIN|END)[A-Z ]*-----", "").replaceAll("\\s", "");
      try {
        byte[] der = Base64.getDecoder().decode(base64);
        if (pkcs1) {
          der = pkcs1ToPkcs8(der);
        }
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (IllegalArgumentException | GeneralSecurityException e) {
        throw new IllegalArgumentException("the Voximplant private_key is not an RSA private key in PEM");
      }
    }

    /** PrivateKeyInfo { version 0, AlgorithmIdentifier { rsaEncryption, NULL }, OCTET STRING { RSAPrivateKey } }. */
    private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
      byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01,
          0x01, 0x05, 0x00};
      byte[] version = {0x02, 0x01, 0x00};
      byte[] octets = der(0x04, pkcs1);
      byte[] body = new byte[version.length + algorithm.length + octets.length];
      System.arraycopy(version, 0, body, 0, version.length);
      System.arraycopy(algorithm, 0, body, version.length, algorithm.length);
      System.arraycopy(octets, 0, body, version.length + algorithm.length, octets.length);
      return der(0x30, body);
    }

    private static byte[] der(int tag, byte[] content) {
      int n = content.length;
      byte[] length;
      if (n < 0x80) {
        length = new byte[] {(byte) n};
      } else if (n < 0x100) {
        length = new byte[] {(byte) 0x81, (byte) n};
      } else if (n < 0x10000) {
        length = new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
      } else {
        length = new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
      }
      byte[] out = new byte[1 + length.length + n];
      out[0] = (byte) tag;
      System.arraycopy(length, 0, out, 1, length.length);
      System.arraycopy(content, 0, out, 1 + length.length, n);
      return out;
    }
  }
}
