package dev.smartgateway.cloud.docker;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes what {@code GET /containers/{id}/logs} answers for a container without a terminal (the adapter never
 * allocates one): frames of an 8-byte header (stream 1 = stdout, 2 = stderr; three zero bytes; the payload's length,
 * big-endian) and the payload. Used to put a failed container's last words into its failure reason.
 */
final class LogTail {

  private static final int HEADER = 8;

  private LogTail() {
  }

  /**
   * One line of output.
   *
   * @param stderr whether it came from the standard error stream (where programs say why they fail)
   */
  record Line(boolean stderr, String text) {
  }

  /** The lines of both streams, in the order the daemon sent them; a body that is not framed is read as output. */
  static List<Line> lines(Buffer body) {
    List<Line> lines = new ArrayList<>();
    if (!framed(body)) {
      split(body.toString(StandardCharsets.UTF_8), false, lines);
      return lines;
    }
    int at = 0;
    while (at + HEADER <= body.length()) {
      boolean stderr = body.getByte(at) == 2;
      int length = body.getInt(at + 4);
      int end = Math.min(body.length(), at + HEADER + Math.max(0, length));
      split(new String(body.getBytes(at + HEADER, end), StandardCharsets.UTF_8), stderr, lines);
      at = end;
    }
    return lines;
  }

  /**
   * The line that best says why a program ended: its last error line, else its last line. Standard output and
   * error reach the daemon through separate pipes, so their order is not reliable; the error stream is.
   */
  static String lastWords(List<Line> lines) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).stderr()) {
        return lines.get(i).text();
      }
    }
    return lines.isEmpty() ? null : lines.get(lines.size() - 1).text();
  }

  private static void split(String text, boolean stderr, List<Line> into) {
    for (String line : text.split("\r?\n")) {
      if (!line.isBlank()) {
        into.add(new Line(stderr, line.strip()));
      }
    }
  }

  /** A frame header starts with 0, 1 or 2 and three zero bytes: text (a terminal's output) never does. */
  private static boolean framed(Buffer body) {
    if (body.length() < HEADER) {
      return false;
    }
    byte stream = body.getByte(0);
    return stream >= 0 && stream <= 2 && body.getByte(1) == 0 && body.getByte(2) == 0 && body.getByte(3) == 0;
  }
}
