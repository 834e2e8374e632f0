package dev.smartgateway.cloud;

import dev.smartgateway.config.CloudCallsConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.streams.ReadStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Wraps a provider so that every API call has a timeout, is retried with backoff when that is safe, and
 * passes a circuit breaker. Resilience4j has no Vert.x binding: the breaker is driven by hand around each
 * {@link Future} ({@code tryAcquirePermission} / {@code onSuccess} / {@code onError}), and backoff waits on
 * {@code vertx.setTimer}, never a thread.
 *
 * <p>Retry rules: {@link CloudException.Kind#TRANSIENT} failures are retried for every call (the cloud said
 * it did nothing, or was not reached); {@link CloudException.Kind#TIMEOUT} only for idempotent calls
 * (describe, stop, list) — a start that timed out may have happened, and starting again would leave a VM
 * running that nobody knows. If such a start succeeds after all, the VM is stopped at once.
 *
 * <p>Every attempt is reported to a {@link CloudCallListener} (metrics: latency and errors per operation), and
 * the breaker lives in a {@link CircuitBreakerRegistry} given by the caller, where its state can be watched.
 */
public final class ResilientCloudProvider implements CloudProvider {

  private static final Logger log = LoggerFactory.getLogger(ResilientCloudProvider.class);

  private final Vertx vertx;
  private final CloudProvider delegate;
  private final CloudCallsConfig config;
  private final CircuitBreaker breaker;
  private final String name;
  private final CloudCallListener listener;

  public ResilientCloudProvider(Vertx vertx, CloudProvider delegate, CloudCallsConfig config, String name) {
    this(vertx, delegate, config, name, CircuitBreakerRegistry.ofDefaults(), CloudCallListener.NONE);
  }

  /**
   * @param name      the provider's name in logs and metrics (its type; numbered when a type is used twice)
   * @param breakers  where its circuit breaker ({@code cloud-<name>}) is created and can be watched
   * @param listener  told of every attempt
   */
  public ResilientCloudProvider(Vertx vertx, CloudProvider delegate, CloudCallsConfig config, String name,
                                CircuitBreakerRegistry breakers, CloudCallListener listener) {
    this.vertx = vertx;
    this.delegate = delegate;
    this.config = config;
    this.name = name;
    this.listener = listener;
    this.breaker = breakers.circuitBreaker("cloud-" + name, CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(config.breakerWindow())
        .minimumNumberOfCalls(config.breakerMinimumCalls())
        .failureRateThreshold(config.breakerFailureRate())
        .waitDurationInOpenState(config.breakerOpenFor())
        .permittedNumberOfCallsInHalfOpenState(config.breakerHalfOpenCalls())
        // Every call ends (it has a timeout), so a half-open trial always reports back; this is the backstop.
        .maxWaitDurationInHalfOpenState(config.breakerOpenFor().plus(config.timeout().multipliedBy(2)))
        // Only the cloud being unhealthy counts: "unknown resource" or "no capacity" are answers, not faults.
        .recordException(e -> e instanceof CloudException ce && ce.isCloudFault())
        .build());
    breaker.getEventPublisher().onStateTransition(e ->
        log.warn("cloud circuit breaker {}: {}", name, e.getStateTransition()));
  }

  /** The name it goes by in logs and metrics. */
  public String name() {
    return name;
  }

  /** Its circuit breaker (its state for /ready, metrics). */
  public CircuitBreaker breaker() {
    return breaker;
  }

  @Override
  public Future<Instance> start(String resource, Set<String> groups) {
    return call("start", "start " + resource, false, () -> delegate.start(resource, groups), this::stopLateStart);
  }

  @Override
  public Future<Instance> describe(String instanceId) {
    return call("describe", "describe " + instanceId, true, () -> delegate.describe(instanceId), null);
  }

  @Override
  public Future<Void> stop(String instanceId) {
    return call("stop", "stop " + instanceId, true, () -> delegate.stop(instanceId), null);
  }

  @Override
  public boolean canSuspend() {
    return delegate.canSuspend();
  }

  @Override
  public Future<Void> suspend(String instanceId) {
    return call("suspend", "suspend " + instanceId, true, () -> delegate.suspend(instanceId), null);
  }

  @Override
  public Future<Void> resume(String instanceId) {
    return call("resume", "resume " + instanceId, true, () -> delegate.resume(instanceId), null);
  }

  @Override
  public Future<List<Instance>> list() {
    return call("list", "list", true, delegate::list, null);
  }

  @Override
  public Optional<ReadStream<Instance>> events() {
    return delegate.events();
  }

  @Override
  public Future<Void> close() {
    return delegate.close();
  }

  private <T> Future<T> call(String operation, String what, boolean idempotent, Supplier<Future<T>> call,
                             LateSuccess<T> lateSuccess) {
    Promise<T> result = Promise.promise();
    attempt(operation, what, idempotent, call, lateSuccess, 0, result);
    return result.future();
  }

  private <T> void attempt(String operation, String what, boolean idempotent, Supplier<Future<T>> call,
                           LateSuccess<T> lateSuccess, int retry, Promise<T> result) {
    if (!breaker.tryAcquirePermission()) {
      report(() -> listener.refused(name, operation));
      result.fail(new CloudException(CloudException.Kind.TRANSIENT,
          what + ": the cloud is failing, calls are suspended (circuit open)", null, config.breakerOpenFor()));
      return;
    }
    long start = System.nanoTime();
    Future<T> original;
    try {
      original = call.get();
    } catch (RuntimeException e) {
      original = Future.failedFuture(e);
    }
    Future<T> bounded = original.timeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
        .recover(err -> Future.failedFuture(classify(what, err)));
    if (lateSuccess != null) {
      Future<T> first = original;
      bounded.onFailure(err -> {
        if (err instanceof CloudException ce && ce.kind() == CloudException.Kind.TIMEOUT) {
          first.onSuccess(late -> lateSuccess.handle(what, late));
        }
      });
    }
    bounded.onComplete(ar -> {
      long elapsed = System.nanoTime() - start;
      report(() -> listener.attempted(name, operation, elapsed, ar.cause()));
      if (ar.succeeded()) {
        breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
        result.complete(ar.result());
        return;
      }
      Throwable err = ar.cause();
      breaker.onError(elapsed, TimeUnit.NANOSECONDS, err);
      if (retry < config.retryCount() && retryable(err, idempotent)) {
        long delay = backoff(retry);
        log.info("{} failed ({}); retry {} of {} in {} ms", what, err.getMessage(), retry + 1, config.retryCount(), delay);
        vertx.setTimer(delay, t -> attempt(operation, what, idempotent, call, lateSuccess, retry + 1, result));
      } else {
        result.fail(err);
      }
    });
  }

  /** A listener's bug must not cost the call its answer. */
  private static void report(Runnable told) {
    try {
      told.run();
    } catch (RuntimeException e) {
      log.warn("cloud call listener failed: {}", e.toString());
    }
  }

  private static boolean retryable(Throwable err, boolean idempotent) {
    if (!(err instanceof CloudException ce)) {
      return false;
    }
    return ce.kind() == CloudException.Kind.TRANSIENT || (idempotent && ce.kind() == CloudException.Kind.TIMEOUT);
  }

  /** Exponential backoff from retryInterval, with ±25% jitter so that gateways do not retry in step. */
  private long backoff(int retry) {
    long base = config.retryInterval().toMillis() << Math.min(retry, 10);
    long jitter = base / 4;
    return Math.max(1, base + (jitter == 0 ? 0 : ThreadLocalRandom.current().nextLong(-jitter, jitter + 1)));
  }

  private static Throwable classify(String what, Throwable err) {
    if (err instanceof CloudException) {
      return err;
    }
    if (CloudException.isTimeout(err)) {
      return new CloudException(CloudException.Kind.TIMEOUT, what + ": no answer in time", err);
    }
    return new CloudException(CloudException.Kind.PERMANENT, what + ": " + err.getMessage(), err);
  }

  private void stopLateStart(String what, Instance late) {
    log.warn("{} answered after its timeout with {}: stopping it, nobody is waiting for it", what, late.id());
    delegate.stop(late.id()).onFailure(err -> log.warn("could not stop {}: {}", late.id(), err.toString()));
  }

  @FunctionalInterface
  private interface LateSuccess<T> {
    void handle(String what, T value);
  }
}
