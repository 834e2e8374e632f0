package dev.smartgateway.cloudmock.grpc;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * The few pieces of the protobuf wire format the mock's messages need (strings and int32s), written by hand so
 * the mock needs neither generated code nor a protobuf library. Fields at their default value are not written,
 * as proto3 does; unknown fields are skipped when reading, so a client built from a newer {@code echo.proto}
 * still talks to it.
 */
final class Protobuf {

  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  private Protobuf() {
  }

  static void writeString(Buffer out, int field, String value) {
    if (value == null || value.isEmpty()) {
      return;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    writeVarint(out, (long) field << 3 | LENGTH_DELIMITED);
    writeVarint(out, bytes.length);
    out.appendBytes(bytes);
  }

  /** An int32: a negative one takes ten bytes, sign-extended to 64 bits, as protobuf does. */
  static void writeInt32(Buffer out, int field, int value) {
    if (value == 0) {
      return;
    }
    writeVarint(out, (long) field << 3 | VARINT);
    writeVarint(out, value);
  }

  static void writeVarint(Buffer out, long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.appendByte((byte) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.appendByte((byte) v);
  }

  /** Reads one message field by field; every read throws {@link IllegalArgumentException} on a malformed message. */
  static final class Reader {
    private final Buffer in;
    private int pos;

    Reader(Buffer in) {
      this.in = in;
    }

    boolean more() {
      return pos < in.length();
    }

    /** The next field's tag: field number {@code << 3 |} wire type. */
    int tag() {
      long tag = varint();
      if (tag >>> 3 == 0 || tag > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("invalid field tag " + tag);
      }
      return (int) tag;
    }

    long varint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= in.length()) {
          throw new IllegalArgumentException("truncated varint");
        }
        byte b = in.getByte(pos++);
        value |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
      }
      throw new IllegalArgumentException("varint longer than 10 bytes");
    }

    String string() {
      long length = varint();
      if (length < 0 || length > in.length() - pos) {
        throw new IllegalArgumentException("length " + length + " past the end of the message");
      }
      String value = in.getString(pos, pos + (int) length, StandardCharsets.UTF_8.name());
      pos += (int) length;
      return value;
    }

    /** Skips the value of a field this reader does not know. */
    void skip(int wireType) {
      switch (wireType) {
        case VARINT -> varint();
        case FIXED64 -> advance(8);
        case LENGTH_DELIMITED -> {
          long length = varint();
          if (length < 0 || length > in.length() - pos) {
            throw new IllegalArgumentException("length " + length + " past the end of the message");
          }
          advance((int) length);
        }
        case FIXED32 -> advance(4);
        default -> throw new IllegalArgumentException("unsupported wire type " + wireType);
      }
    }

    private void advance(int bytes) {
      if (bytes > in.length() - pos) {
        throw new IllegalArgumentException("field past the end of the message");
      }
      pos += bytes;
    }
  }
}
