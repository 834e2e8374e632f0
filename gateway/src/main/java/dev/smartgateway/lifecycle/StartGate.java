package dev.smartgateway.lifecycle;

import dev.smartgateway.config.Durations;
import dev.smartgateway.config.ResourceSettings;
import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;

import java.time.Duration;
import java.util.Set;

/**
 * Whether another instance may be started for a pool, and the memory of starts that failed (DESIGN section
 * 6, "Pools" and "Failures"). In order: a pool whose last start failed waits out its crash-loop backoff
 * (the failure is answered meanwhile, so a browser reloading a failing page starts nothing); the instance
 * limits per resource and in all; then the start throttle. Whatever clients do, the VMs and the start
 * calls they can cause are bounded by config. Control context only.
 */
final class StartGate {

  static final Duration INSTANCE_LIMIT_RETRY = Duration.ofSeconds(10);
  /** Failures that say nothing about the pool itself: the cloud is down (the breaker), or the gateway is busy. */
  private static final Set<ErrorType> NOT_THE_POOLS = Set.of(ErrorType.UNKNOWN_RESOURCE, ErrorType.CLOUD_UNAVAILABLE,
      ErrorType.SHUTTING_DOWN, ErrorType.STARTS_THROTTLED, ErrorType.INSTANCE_LIMIT);

  private final Lifecycle core;
  private final StartThrottle throttle;

  StartGate(Lifecycle core) {
    this.core = core;
    this.throttle = new StartThrottle(core.config.limits().startsPerSecond(), core.scheduler.nanoTime());
  }

  /** Null if a start may go now (a throttle slot is then taken, and its delay stored in {@code delayMs[0]}). */
  GatewayException refusal(Pool pool, long[] delayMs) {
    long now = core.scheduler.nanoTime();
    if (pool.lastFailure != null && now - pool.retryAtNanos < 0) {
      Duration wait = Duration.ofNanos(pool.retryAtNanos - now);
      GatewayException last = pool.lastFailure;
      return new GatewayException(last.type(), last.detail() + "; the next start is in " + Durations.format(
          Duration.ofSeconds(Math.max(1, (wait.toMillis() + 999) / 1000))), pool.resource, wait, null);
    }
    ResourceSettings settings = core.settings(pool.resource);
    ResourceEntry entry = core.table.entry(pool.resource);
    if (entry.instances.length >= settings.maxInstances()) {
      return limit(pool, "the resource already has " + settings.maxInstances() + " VMs (maxInstances)");
    }
    int maxInstances = core.config.limits().maxInstances();
    if (core.table.liveCount() >= maxInstances) {
      return limit(pool, (core.cluster.on ? "the cluster" : "the gateway") + " already runs " + maxInstances
          + " VMs (limits.maxInstances)");
    }
    long delay = throttle.reserve(now);
    if (delay < 0) {
      return new GatewayException(ErrorType.STARTS_THROTTLED, "more VM starts are asked for than limits.startsPerSecond ("
          + core.config.limits().startsPerSecond() + ") allows", pool.resource, Duration.ofSeconds(5), null);
    }
    delayMs[0] = delay;
    return null;
  }

  static GatewayException limit(Pool pool, String why) {
    return new GatewayException(ErrorType.INSTANCE_LIMIT, why + " and none for these groups is starting",
        pool.resource, INSTANCE_LIMIT_RETRY, null);
  }

  /**
   * A start of the pool failed: the next one waits, doubling from {@code startBackoff.initial} to its max.
   * Returns the error to answer held requests with (with the Retry-After of the backoff).
   */
  GatewayException failed(Pool pool, GatewayException error) {
    if (NOT_THE_POOLS.contains(error.type())) {
      return error;
    }
    ResourceSettings.Backoff backoff = core.settings(pool.resource).startBackoff();
    Duration wait = backoff.after(pool.failures + 1);
    if (error.retryAfter() != null && error.retryAfter().compareTo(wait) > 0) {
      wait = error.retryAfter(); // the cloud said when to come back (no capacity): no start before that
    }
    GatewayException answered = new GatewayException(error.type(), error.detail(), pool.resource, wait, error.getCause());
    remember(pool, answered, pool.failures + 1, wait);
    return answered;
  }

  /**
   * Clustered: a start of the pool failed on another member. The pool backs off here as there (a failing resource
   * is not started by each member in turn); a record older than what this member knows changes nothing.
   */
  void learned(Pool pool, SharedInstance.Backoff shared) {
    Duration wait = Duration.ofMillis(shared.retryAtMillis() - core.scheduler.currentTimeMillis());
    if (wait.isNegative() || wait.isZero() || shared.failures() < pool.failures) {
      return;
    }
    ErrorType type;
    try {
      type = ErrorType.valueOf(shared.type());
    } catch (IllegalArgumentException e) {
      type = ErrorType.BOOT_FAILED; // written by a newer member: still a failed start
    }
    remember(pool, new GatewayException(type, shared.detail(), pool.resource, wait, null), shared.failures(), wait);
  }

  /** The shared form of the pool's backoff, or null if it has none. */
  SharedInstance.Backoff shared(Pool pool) {
    GatewayException last = pool.lastFailure;
    if (last == null) {
      return null;
    }
    long left = (pool.retryAtNanos - core.scheduler.nanoTime()) / 1_000_000;
    return new SharedInstance.Backoff(last.type().name(), last.detail(), core.scheduler.currentTimeMillis() + left,
        pool.failures);
  }

  private void remember(Pool pool, GatewayException answered, int failures, Duration wait) {
    ResourceSettings.Backoff backoff = core.settings(pool.resource).startBackoff();
    pool.failures = failures;
    pool.retryAtNanos = core.scheduler.nanoTime() + wait.toNanos();
    pool.lastFailure = answered;
    core.scheduler.cancel(pool.forgetTimer);
    pool.forgetTimer = core.scheduler.schedule(wait.plus(backoff.max()).toMillis(), () -> {
      pool.forgetTimer = -1;
      pool.lastFailure = null;
      pool.failures = 0;
      core.table.forgetIfIdle(core.table.entry(pool.resource));
    });
  }

  /** A VM of the pool became ready: the crash loop is over. */
  void recovered(Pool pool) {
    core.scheduler.cancel(pool.forgetTimer);
    pool.forgetTimer = -1;
    pool.failures = 0;
    pool.lastFailure = null;
  }
}
