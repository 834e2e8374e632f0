package dev.smartgateway.admin;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The part of one target's answer a fan-out line carries: the first {@code limit} bytes are kept, every
 * byte is counted, and the body is still read to its end, so a cut is always said ({@code truncated},
 * {@code bodyBytes}) and never silent, and the connection stays reusable.
 */
final class BoundedBody {

  private final long limit;
  private final Buffer kept = Buffer.buffer();
  private long total;

  BoundedBody(long limit) {
    this.limit = limit;
  }

  void append(Buffer chunk) {
    long room = limit - kept.length();
    if (room > 0) {
      kept.appendBuffer(chunk.length() <= room ? chunk : chunk.slice(0, (int) room));
    }
    total += chunk.length();
  }

  /** Every byte the target sent, kept or not. */
  long total() {
    return total;
  }

  boolean truncated() {
    return total > kept.length();
  }

  /**
   * Puts {@code body} (the kept bytes as text, when they are UTF-8) or else {@code bodyBase64}, then
   * {@code bodyBytes} and {@code truncated}. A cut in the middle of a character does not make a text body
   * binary: the incomplete character at the cut is left out of the text.
   */
  void writeTo(JsonObject line) {
    String text = text(kept.getBytes(), truncated());
    if (text != null) {
      line.put("body", text);
    } else {
      line.put("bodyBase64", Base64.getEncoder().encodeToString(kept.getBytes()));
    }
    line.put("bodyBytes", total).put("truncated", truncated());
  }

  /** The bytes as UTF-8 text, or null if they are not (a cut last character is dropped when {@code cut}). */
  static String text(byte[] bytes, boolean cut) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, false);
    if (result.isError()) {
      return null;
    }
    // Left over after a partial decode that found no error: the valid start of a character whose other bytes
    // are missing. Fine where the body was cut; in a whole body it means the text is not UTF-8.
    if (in.hasRemaining() && !cut) {
      return null;
    }
    return out.flip().toString();
  }
}
