package dev.smartgateway.cloud.qemu;

import org.slf4j.Logger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Copies one VM's serial console into the gateway's log (logger {@code qemu.<resource>}), each line prefixed with
 * the instance id, and remembers its last lines for the reason of a failure.
 *
 * <p>QEMU writes the console to a file opened for appending: a file, unlike a pipe, outlives the gateway (a VM left
 * running keeps writing, and the gateway that adopts it follows the file on), and appending lets the adapter
 * truncate the file once it has read it past {@link #MAX_FILE_BYTES}, so a chatty guest never fills the disk.
 * Lines longer than {@link #MAX_LINE_BYTES} are cut. Blocking file I/O: call from a worker thread; synchronized
 * because successive drains may run on different workers.
 */
final class ConsoleLog {

  static final long MAX_FILE_BYTES = 1L << 20;
  static final int MAX_LINE_BYTES = 4 * 1024;
  private static final int KEPT_LINES = 10;

  private final Path file;
  private final Logger log;
  private final String id;
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private final ArrayDeque<String> last = new ArrayDeque<>();
  private long position;
  private boolean cut;

  /** @param fromEnd start after what the file already holds (an adopted VM's earlier console was logged before) */
  ConsoleLog(Path file, Logger log, String id, boolean fromEnd) {
    this.file = file;
    this.log = log;
    this.id = id;
    this.position = fromEnd ? file.toFile().length() : 0;
  }

  /** Logs every complete line written since the last drain. */
  synchronized void drain() {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = channel.size();
      if (size < position) {
        position = 0; // truncated: read it again from the start
      }
      ByteBuffer buffer = ByteBuffer.allocate(8192);
      while (position < size) {
        buffer.clear();
        int n = channel.read(buffer, position);
        if (n <= 0) {
          break;
        }
        position += n;
        consume(buffer.array(), n);
      }
      if (position > MAX_FILE_BYTES) {
        // Lines QEMU writes between our read and this truncate are lost; an unbounded file is worse.
        channel.truncate(0);
        position = 0;
      }
    } catch (NoSuchFileException e) {
      // not created yet, or deleted once the VM ended
    } catch (IOException e) {
      log.warn("[{}] cannot read the console file {}: {}", id, file, e.toString());
    }
  }

  /** The last drain, including an unterminated last line (the VM has ended). */
  synchronized void finish() {
    drain();
    if (partial.size() > 0) {
      emit();
    }
  }

  /** The console's last lines, oldest first (at most {@value #KEPT_LINES}). */
  synchronized List<String> lastLines() {
    return List.copyOf(last);
  }

  private void consume(byte[] bytes, int length) {
    int start = 0;
    for (int i = 0; i < length; i++) {
      if (bytes[i] == '\n') {
        append(bytes, start, i - start);
        emit();
        start = i + 1;
      }
    }
    append(bytes, start, length - start);
  }

  private void append(byte[] bytes, int from, int length) {
    int room = MAX_LINE_BYTES - partial.size();
    if (length > room) {
      cut = true;
    }
    partial.write(bytes, from, Math.max(0, Math.min(length, room)));
  }

  private void emit() {
    String line = partial.toString(StandardCharsets.UTF_8).replace("\r", "");
    partial.reset();
    // Terminal control sequences (the firmware clears the screen) are noise in a log.
    line = line.replaceAll("\u001B\\[[0-9;?]*[A-Za-z]", "").replaceAll("\\p{Cntrl}", "");
    if (cut) {
      line = line + " [cut at " + MAX_LINE_BYTES + " bytes]";
      cut = false;
    }
    if (line.isBlank()) {
      return;
    }
    if (last.size() == KEPT_LINES) {
      last.removeFirst();
    }
    last.addLast(line);
    log.info("[{}] {}", id, line);
  }
}
