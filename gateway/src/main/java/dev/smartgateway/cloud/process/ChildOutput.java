package dev.smartgateway.cloud.process;

import dev.smartgateway.cloud.FreePort;
import org.slf4j.Logger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Follows one child's output file and logs each complete line to the child's logger ({@code process.<resource>}).
 *
 * <p>Children write to a file in the state directory rather than to a pipe: a pipe dies with the gateway and
 * the next write would kill (SIGPIPE) or break (EPIPE) a child that {@code onShutdown: leave} meant to keep,
 * and a file can be followed again by the gateway that adopts the child. Blocking file I/O: call from a
 * worker thread; methods are synchronized because successive drains may run on different workers.
 */
final class ChildOutput {

  /** Past this the file is truncated after being read; the child appends (O_APPEND), so it just writes on at 0. */
  private static final long MAX_FILE_BYTES = 8L * 1024 * 1024;
  private static final int MAX_LINE_BYTES = 16 * 1024;

  private final Path file;
  private final Logger log;
  private final String id;
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private long position;
  private boolean addressInUse;

  /** @param fromEnd start after what is already in the file (an adopted child's old output was logged before) */
  ChildOutput(Path file, Logger log, String id, boolean fromEnd) {
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
        position = 0; // truncated behind our back: read it again from the start
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
        // Lines the child writes between our read and this truncate are lost; an unbounded file is worse.
        channel.truncate(0);
        position = 0;
      }
    } catch (NoSuchFileException e) {
      // Deleted once the child ended: nothing left to follow.
    } catch (IOException e) {
      log.warn("[{}] cannot read output file {}: {}", id, file, e.toString());
    }
  }

  /** The last drain, including an unterminated last line (the child has exited). */
  synchronized void finish() {
    drain();
    if (partial.size() > 0) {
      emit();
    }
  }

  /** Whether the child said its port was taken: the free-port pick lost a race (see {@link FreePort}). */
  synchronized boolean sawAddressInUse() {
    return addressInUse;
  }

  synchronized void forgetAddressInUse() {
    addressInUse = false;
  }

  private void consume(byte[] bytes, int length) {
    int start = 0;
    for (int i = 0; i < length; i++) {
      if (bytes[i] == '\n') {
        partial.write(bytes, start, i - start);
        emit();
        start = i + 1;
      }
    }
    partial.write(bytes, start, length - start);
    if (partial.size() > MAX_LINE_BYTES) {
      emit();
    }
  }

  private void emit() {
    String line = partial.toString(StandardCharsets.UTF_8);
    partial.reset();
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    String lower = line.toLowerCase(Locale.ROOT);
    if (lower.contains("address already in use") || lower.contains("eaddrinuse") || lower.contains("address in use")) {
      addressInUse = true;
    }
    log.info("[{}] {}", id, line);
  }
}
