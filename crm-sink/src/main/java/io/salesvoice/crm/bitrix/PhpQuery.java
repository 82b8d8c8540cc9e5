package io.salesvoice.crm.bitrix;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Writes method parameters as the PHP-style query string Bitrix24 expects inside {@code batch} commands
 * ({@code fields[PHONE][0][VALUE]=...}): a batch command is {@code method?query}, not JSON.
 */
public final class PhpQuery {

  private PhpQuery() {
  }

  public static String encode(Map<String, ?> params) {
    StringJoiner out = new StringJoiner("&");
    params.forEach((k, v) -> append(out, k, v));
    return out.toString();
  }

  private static void append(StringJoiner out, String name, Object value) {
    if (value == null) {
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> append(out, name + "[" + k + "]", v));
    } else if (value instanceof Collection<?> list) {
      int i = 0;
      for (Object v : list) {
        append(out, name + "[" + i++ + "]", v);
      }
    } else {
      out.add(escape(name) + "=" + escape(String.valueOf(value)));
    }
  }

  private static String escape(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("%5B", "[").replace("%5D", "]");
  }
}
