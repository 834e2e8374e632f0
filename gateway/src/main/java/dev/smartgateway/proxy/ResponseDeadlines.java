package dev.smartgateway.proxy;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The response timeouts of the exchanges on one event loop, with one Vert.x timer per distinct timeout value instead
 * of one per exchange. Setting and cancelling a timer for every forwarded request (a map entry and a scheduled task
 * each way) showed in the warm path's profile; here a request only links itself into a list and unlinks itself when
 * its VM answers. Exchanges with the same timeout join their list in the order they start, so its head has the
 * earliest deadline: the list's one timer is armed for the head, and when it fires it times out every exchange that
 * is past its deadline and sleeps again until the new head's. An exchange therefore times out at its own deadline,
 * as with a timer of its own.
 *
 * <p>Not thread-safe: one instance per context ({@link #of}), used only from that context's thread, as every handler
 * of an {@link Exchange} is.
 */
final class ResponseDeadlines {

  private static final Object KEY = ResponseDeadlines.class;

  private final Vertx vertx;
  /** One list per timeout in milliseconds; with one {@code responseTimeout} for every resource, just one. */
  private final Map<Long, Line> lines = new HashMap<>(4);

  private ResponseDeadlines(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The deadlines of {@code context} (an exchange's: the request's own). */
  static ResponseDeadlines of(Vertx vertx, Context context) {
    if (context instanceof ContextInternal internal) {
      return (ResponseDeadlines) internal.contextData().computeIfAbsent(KEY, k -> new ResponseDeadlines(vertx));
    }
    return new ResponseDeadlines(vertx);
  }

  /** Runs {@code onTimeout} on this context once {@code timeoutMs} have passed, unless cancelled before. */
  Deadline start(long timeoutMs, Runnable onTimeout) {
    Line line = lines.computeIfAbsent(timeoutMs, ms -> new Line());
    Deadline d = new Deadline(line, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs), onTimeout);
    line.add(d);
    return d;
  }

  /** One exchange's deadline: a node of its line. */
  static final class Deadline {
    private Line line;
    private final long atNanos;
    private final Runnable onTimeout;
    private Deadline prev;
    private Deadline next;

    private Deadline(Line line, long atNanos, Runnable onTimeout) {
      this.line = line;
      this.atNanos = atNanos;
      this.onTimeout = onTimeout;
    }

    /** The answer came (or the exchange ended): the timeout will not run. Idempotent. */
    void cancel() {
      if (line != null) {
        line.unlink(this);
      }
    }
  }

  private final class Line {
    private Deadline head;
    private Deadline tail;
    private long timer = -1;

    void add(Deadline d) {
      if (tail == null) {
        head = d;
      } else {
        tail.next = d;
        d.prev = tail;
      }
      tail = d;
      if (timer < 0) {
        arm(d.atNanos);
      }
    }

    void unlink(Deadline d) {
      if (d.prev == null) {
        head = d.next;
      } else {
        d.prev.next = d.next;
      }
      if (d.next == null) {
        tail = d.prev;
      } else {
        d.next.prev = d.prev;
      }
      d.prev = null;
      d.next = null;
      d.line = null;
    }

    private void arm(long atNanos) {
      long delayMs = TimeUnit.NANOSECONDS.toMillis(atNanos - System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1) - 1);
      timer = vertx.setTimer(Math.max(1, delayMs), id -> fire());
    }

    private void fire() {
      timer = -1;
      long now = System.nanoTime();
      while (head != null && head.atNanos - now <= 0) {
        Deadline due = head;
        unlink(due);
        due.onTimeout.run();
      }
      if (head != null && timer < 0) {
        arm(head.atNanos);
      }
    }
  }
}
