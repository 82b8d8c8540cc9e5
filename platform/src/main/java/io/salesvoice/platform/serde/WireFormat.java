package io.salesvoice.platform.serde;

/** Confluent's framing of a value: magic byte 0, then the schema id as a 4-byte big-endian int, then Avro binary. */
final class WireFormat {

  static final byte MAGIC_BYTE = 0;
  static final int HEADER_SIZE = 5;

  private WireFormat() {
  }
}
