package dev.smartgateway.observe.metrics;

import dev.smartgateway.error.ErrorType;
import dev.smartgateway.lifecycle.LifecycleEvent;
import dev.smartgateway.lifecycle.LifecycleState;
import dev.smartgateway.proxy.RequestRecord;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * How lifecycle events and request records become label values: a few fixed words each, never free text, so
 * that the number of series stays bounded whatever happens. Pure functions.
 */
final class Categories {

  /** A start's outcomes ({@code outcome} of the cold-start histogram and of the start counter). */
  static final String READY = "ready";
  static final String TIMEOUT = "timeout";
  static final String FAILED = "failed";
  static final String CANCELLED = "cancelled";
  /** Held requests only: the client went away while held. */
  static final String ABANDONED = "abandoned";
  /** Held requests only: refused or failed for another reason than the start (limits, shutdown, the VM itself). */
  static final String OTHER = "other";

  static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

  /** Problems that end a held request because its start failed (the cloud refused it, or the VM did not boot). */
  private static final Set<String> START_FAILURES = Stream.of(ErrorType.BOOT_FAILED, ErrorType.CLOUD_FAILED,
      ErrorType.CLOUD_UNAVAILABLE, ErrorType.NO_CAPACITY, ErrorType.UNKNOWN_RESOURCE)
      .map(ErrorType::slug).collect(Collectors.toUnmodifiableSet());
  /** Every problem slug, each as the one String instance a label is made of. */
  private static final Map<String, String> SLUGS = Stream.of(ErrorType.values()).map(ErrorType::slug)
      .collect(Collectors.toUnmodifiableMap(Function.identity(), Function.identity()));

  private Categories() {
  }

  /**
   * The outcome of the start this event ends, or null if it ends none: READY is {@code ready}; FAILED while
   * starting is {@code timeout} (not ready within startTimeout) or {@code failed}; STOPPING while starting (a start
   * cancelled by hand, or its resource unregistered) is {@code cancelled}.
   */
  static String startOutcome(LifecycleEvent e) {
    return switch (e.type()) {
      case READY -> READY;
      case FAILED -> comingUp(e.from())
          ? (e.cause() == LifecycleEvent.Cause.START_TIMEOUT ? TIMEOUT : FAILED) : null;
      case STOPPING -> comingUp(e.from()) ? CANCELLED : null;
      default -> null;
    };
  }

  /** Why an instance was started: {@code request} (a held request or a browser), {@code by_hand}, {@code adopted}. */
  static String startReason(LifecycleEvent.Cause cause) {
    return switch (cause) {
      case REQUEST, BY_HAND, ADOPTED, LOAD, FLOOR -> cause.label();
      default -> OTHER;
    };
  }

  /**
   * Why this event ends an instance, or null if it ends none: STOPPING is {@code idle}, {@code by_hand} or
   * {@code unregistered}; FAILED is {@code failed} (unless the instance was already stopping: that stop was
   * counted).
   */
  static String stopReason(LifecycleEvent e) {
    if (e.type() == LifecycleEvent.Type.STOPPING) {
      return switch (e.cause()) {
        case IDLE, BY_HAND, UNREGISTERED, LOAD -> e.cause().label();
        default -> OTHER;
      };
    }
    if (e.type() == LifecycleEvent.Type.FAILED && e.from() != LifecycleState.STOPPING) {
      return FAILED;
    }
    return null;
  }

  private static boolean comingUp(LifecycleState state) {
    return state == LifecycleState.STARTING || state == LifecycleState.WARMING;
  }

  /**
   * How a held request's wait ended: {@code ready} (a VM took it), {@code timeout} (start-timeout),
   * {@code cancelled} (start-cancelled), {@code failed} (its start failed: boot-failed, the cloud's refusals),
   * {@code abandoned} (the client went away), {@code other} (refused by a limit, shutting down, ...).
   */
  static String heldOutcome(RequestRecord r) {
    String error = r.error();
    if (error == null) {
      return READY;
    }
    String slug = slug(error);
    if (slug == null) {
      return OTHER;
    }
    if (slug.equals(ErrorType.START_TIMEOUT.slug())) {
      return TIMEOUT;
    }
    if (slug.equals(ErrorType.START_CANCELLED.slug())) {
      return CANCELLED;
    }
    if (slug.equals(ErrorType.CLIENT_CLOSED.slug())) {
      return ABANDONED;
    }
    return START_FAILURES.contains(slug) ? FAILED : OTHER;
  }

  /**
   * The problem slug of a request the gateway refused or failed ({@code rejections_total}'s reason), or null if it
   * was not one: no error, the waiting page ({@code starting}), or a client that went away (nothing was answered).
   */
  static String rejection(RequestRecord r) {
    String error = r.error();
    if (error == null || r.status() < 400) {
      return null;
    }
    String slug = slug(error);
    return slug == null || slug.equals(ErrorType.CLIENT_CLOSED.slug()) ? null : slug;
  }

  /** The problem slug an error starts with ({@code <slug>: <detail>}), or null if it names none. */
  static String slug(String error) {
    int colon = error.indexOf(':');
    return SLUGS.get(colon < 0 ? error : error.substring(0, colon));
  }

  /** 0 for 1xx, ... 4 for 5xx; anything out of range counts with its nearest class. */
  static int statusClass(int status) {
    int cls = status / 100 - 1;
    return cls < 0 ? 0 : Math.min(cls, 4);
  }
}
