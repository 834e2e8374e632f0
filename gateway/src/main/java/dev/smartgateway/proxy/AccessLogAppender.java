package dev.smartgateway.proxy;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;

/**
 * Where the access log's lines go (logback.xml): stdout, one line each, written by one thread of its own and
 * never by the thread that logs. An event loop only puts the line in a bounded queue ({@code
 * server.accessLogQueue} lines), which never blocks: when stdout does not keep up (a stalled reader, a full
 * pipe) and the queue is full, the line is dropped and counted, and a WARN on the operational log (stderr)
 * says how many, at most once a second while it lasts. So every line is either written or counted in
 * {@link #dropped()}; nothing is lost silently.
 *
 * <p>The writer batches lines into a buffer and writes it out when it is full or the queue is empty; a line
 * counts as written once the write of its batch returned. A write that fails (stdout closed) counts its lines
 * as dropped.
 */
public final class AccessLogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

  /** Lines the queue holds by default ({@code server.accessLogQueue}). */
  public static final int DEFAULT_QUEUE_LINES = 65_536;
  private static final int BUFFER_BYTES = 64 * 1024;
  private static final long REPORT_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final OutputStream sink;
  private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
  /** Lines in the queue; kept apart because the queue's own size() walks it. */
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  /** The part of {@link #dropped} that was accepted into the queue and then failed to be written. */
  private final AtomicLong failedWrites = new AtomicLong();
  private volatile int capacity = DEFAULT_QUEUE_LINES;
  private volatile boolean stopping;
  /** The writer found the queue empty and is about to park, or parked: an appender must wake it. */
  private volatile boolean writerIdle;
  private Thread writer;
  private Thread reporter;

  /** What logback.xml creates: lines go to the process's stdout. */
  public AccessLogAppender() {
    this(new FileOutputStream(FileDescriptor.out));
  }

  /** Lines go to {@code sink} (tests: a sink that blocks or fails). */
  public AccessLogAppender(OutputStream sink) {
    this.sink = sink;
  }

  /** Lines the queue may hold before new ones are dropped ({@code server.accessLogQueue}). */
  public void setQueueSize(int lines) {
    if (lines < 1) {
      throw new IllegalArgumentException("queue size must be >= 1: " + lines);
    }
    capacity = lines;
  }

  public int getQueueSize() {
    return capacity;
  }

  /** Lines written to the sink so far. */
  public long written() {
    return written.get();
  }

  /** Lines dropped so far: the queue was full, or writing them failed. */
  public long dropped() {
    return dropped.get();
  }

  /** Lines accepted and not yet written: in the queue, or in the writer's hands. */
  public long pending() {
    return accepted.get() - settled();
  }

  @Override
  public void start() {
    if (isStarted()) {
      return;
    }
    stopping = false;
    writer = new Thread(this::writeLoop, "smart-gateway-access-log");
    writer.setDaemon(true);
    reporter = new Thread(this::reportLoop, "smart-gateway-access-log-drops");
    reporter.setDaemon(true);
    super.start();
    writer.start();
    reporter.start();
  }

  /** Writes what is queued (for at most a second, stdout may be stalled), then stops both threads. */
  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    super.stop();
    drain(Duration.ofSeconds(1));
    stopping = true;
    LockSupport.unpark(writer);
    reporter.interrupt();
    join(writer);
    join(reporter);
    report(true);
  }

  /** Called on the logging thread (an event loop): never blocks. */
  @Override
  protected void append(ILoggingEvent event) {
    offer(event.getFormattedMessage());
  }

  void offer(String line) {
    if (queued.incrementAndGet() > capacity) {
      queued.decrementAndGet();
      dropped.incrementAndGet();
      return;
    }
    accepted.incrementAndGet();
    queue.offer(line);
    if (writerIdle) {
      LockSupport.unpark(writer);
    }
  }

  /**
   * Waits (on the caller's thread, never an event loop) until every line accepted so far is written or
   * counted as dropped, for at most {@code timeout}.
   *
   * @return true if nothing accepted is left unwritten
   */
  public boolean drain(Duration timeout) {
    long target = accepted.get();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (settled() < target) {
      if (System.nanoTime() - deadline >= 0 || writer == null || !writer.isAlive()) {
        return false;
      }
      LockSupport.unpark(writer);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    return true;
  }

  /** Accepted lines whose fate is decided: written, or dropped because their write failed. */
  private long settled() {
    return written.get() + failedWrites.get();
  }

  // ------------------------------------------------------------------ the writer thread

  private final byte[] buffer = new byte[BUFFER_BYTES];
  private int buffered;
  private int linesBuffered;
  private boolean writeFailureReported;

  private void writeLoop() {
    while (true) {
      String line = queue.poll();
      if (line == null) {
        flush();
        if (stopping && queue.isEmpty()) {
          return;
        }
        writerIdle = true;
        // Checked again after announcing the wait: an appender that queued meanwhile sees writerIdle and unparks.
        if (queue.isEmpty() && !stopping) {
          LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
        }
        writerIdle = false;
        continue;
      }
      queued.decrementAndGet();
      add(line);
    }
  }

  private void add(String line) {
    byte[] bytes = (line + '\n').getBytes(StandardCharsets.UTF_8);
    if (buffered + bytes.length > buffer.length) {
      writeBuffer();
    }
    if (bytes.length > buffer.length) {
      write(bytes, bytes.length, 1);
      return;
    }
    System.arraycopy(bytes, 0, buffer, buffered, bytes.length);
    buffered += bytes.length;
    linesBuffered++;
  }

  private void flush() {
    writeBuffer();
    try {
      sink.flush();
    } catch (IOException e) {
      reportWriteFailure(e);
    }
  }

  private void writeBuffer() {
    if (linesBuffered > 0) {
      write(buffer, buffered, linesBuffered);
    }
    buffered = 0;
    linesBuffered = 0;
  }

  private void write(byte[] bytes, int length, int lines) {
    try {
      sink.write(bytes, 0, length);
      written.addAndGet(lines);
    } catch (IOException e) {
      failedWrites.addAndGet(lines);
      dropped.addAndGet(lines);
      reportWriteFailure(e);
    }
  }

  private void reportWriteFailure(IOException e) {
    if (!writeFailureReported) {
      writeFailureReported = true;
      log().warn("access log: writing to stdout failed ({}); lines that cannot be written are counted as dropped",
          e.toString());
    }
  }

  // ------------------------------------------------------------------ the reporter thread

  private long reported;
  private long lastReportNanos = System.nanoTime();

  private void reportLoop() {
    while (!stopping) {
      try {
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(REPORT_EVERY_NANOS));
      } catch (InterruptedException e) {
        return;
      }
      report(false);
    }
  }

  /** WARNs about lines dropped since the last report; only from the reporter thread, or once it has ended. */
  private void report(boolean last) {
    long now = System.nanoTime();
    long total = dropped.get();
    long fresh = total - reported;
    if (fresh > 0) {
      log().warn("access log: {} lines dropped in the last {} ms ({} dropped in all): stdout did not keep up with "
              + "a queue of {} lines, or failed{}", fresh, TimeUnit.NANOSECONDS.toMillis(now - lastReportNanos), total,
          capacity, last ? "; the access log is stopping" : "");
      reported = total;
    }
    lastReportNanos = now;
  }

  /** The operational log (stderr), looked up late: logback may still be configuring itself when this is made. */
  private Logger log() {
    return getContext() instanceof LoggerContext loggers
        ? loggers.getLogger(AccessLog.class)
        : org.slf4j.LoggerFactory.getLogger(AccessLog.class);
  }

  private static void join(Thread thread) {
    try {
      thread.join(TimeUnit.SECONDS.toMillis(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
