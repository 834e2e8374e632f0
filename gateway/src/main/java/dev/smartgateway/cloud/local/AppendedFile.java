package dev.smartgateway.cloud.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Follows a file that a local instance appends its output to (a child's stdout and stderr, a VM's serial console):
 * each read hands on what was appended since the last one.
 *
 * <p>A file rather than a pipe because a file outlives the gateway: a pipe's next write would kill (SIGPIPE) or break
 * (EPIPE) an instance that {@code onShutdown: leave} meant to keep, while a file can be followed on by the gateway that
 * adopts it. The writer opened it for appending (O_APPEND), so the file can be truncated once read past a bound and
 * the writer just writes on at 0: a chatty instance never fills the disk. Blocking file I/O: call from a worker
 * thread, one read at a time (the owner synchronizes).
 */
public final class AppendedFile {

  /** Takes {@code length} bytes from the start of {@code bytes}; the array is reused after the call. */
  @FunctionalInterface
  public interface Chunks {
    void accept(byte[] bytes, int length);
  }

  private final Path file;
  private final long maxBytes;
  private long position;

  /**
   * @param maxBytes past this the file is truncated after being read
   * @param fromEnd  start after what the file already holds (an adopted instance's earlier output was logged before)
   */
  public AppendedFile(Path file, long maxBytes, boolean fromEnd) {
    this.file = file;
    this.maxBytes = maxBytes;
    this.position = fromEnd ? file.toFile().length() : 0;
  }

  public Path path() {
    return file;
  }

  /**
   * Hands everything appended since the last read to {@code chunks}. A file that does not exist (not created yet,
   * or deleted once the instance ended) holds nothing new.
   *
   * @throws IOException when the file exists but cannot be read
   */
  public void read(Chunks chunks) throws IOException {
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
        chunks.accept(buffer.array(), n);
      }
      if (position > maxBytes) {
        // Lines the instance writes between our read and this truncate are lost; an unbounded file is worse.
        channel.truncate(0);
        position = 0;
      }
    } catch (NoSuchFileException e) {
      // nothing to follow (yet, or any more)
    }
  }
}
