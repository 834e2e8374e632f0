package dev.smartgateway.cloud.process;

import dev.smartgateway.cloud.FreePort;
import dev.smartgateway.cloud.local.AppendedFile;
import dev.smartgateway.cloud.local.OutputPump;
import org.slf4j.Logger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Follows one child's output file and logs each complete line to the child's logger ({@code process.<resource>}).
 *
 * <p>Children write to a file in the state directory rather than to a pipe (see {@link AppendedFile}). A line longer
 * than {@link #MAX_LINE_BYTES} is logged in pieces. Blocking file I/O: call from a worker thread; methods are
 * synchronized because successive drains may run on different workers.
 */
final class ChildOutput implements OutputPump.Followed {

  /** Past this the file is truncated after being read; the child appends (O_APPEND), so it just writes on at 0. */
  private static final long MAX_FILE_BYTES = 8L * 1024 * 1024;
  private static final int MAX_LINE_BYTES = 16 * 1024;

  private final AppendedFile file;
  private final Logger log;
  private final String id;
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private boolean addressInUse;

  /** @param fromEnd start after what is already in the file (an adopted child's old output was logged before) */
  ChildOutput(Path file, Logger log, String id, boolean fromEnd) {
    this.file = new AppendedFile(file, MAX_FILE_BYTES, fromEnd);
    this.log = log;
    this.id = id;
  }

  /** Logs every complete line written since the last drain. */
  @Override
  public synchronized void drain() {
    try {
      file.read(this::consume);
    } catch (IOException e) {
      log.warn("[{}] cannot read output file {}: {}", id, file.path(), e.toString());
    }
  }

  /** The last drain, including an unterminated last line (the child has exited). */
  @Override
  public synchronized void finish() {
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
