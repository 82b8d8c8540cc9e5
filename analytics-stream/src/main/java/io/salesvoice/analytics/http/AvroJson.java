package io.salesvoice.analytics.http;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/** Plain JSON-ready maps of Avro records (unions unwrapped, timestamps as ISO-8601), for the HTTP views. */
public final class AvroJson {

  private AvroJson() {
  }

  public static Map<String, Object> toMap(IndexedRecord record) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Schema.Field f : record.getSchema().getFields()) {
      out.put(f.name(), plain(record.get(f.pos())));
    }
    return out;
  }

  private static Object plain(Object v) {
    if (v == null || v instanceof Number || v instanceof Boolean) {
      return v;
    } else if (v instanceof IndexedRecord r) {
      return toMap(r);
    } else if (v instanceof Instant i) {
      return i.toString();
    } else if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(k.toString(), plain(x)));
      return out;
    } else if (v instanceof Collection<?> c) {
      var out = new ArrayList<>(c.size());
      c.forEach(x -> out.add(plain(x)));
      return out;
    } else if (v instanceof ByteBuffer b) {
      return b.remaining() + " bytes";
    }
    return v.toString();
  }
}
