package dev.smartgateway.conformance;

import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceState;
import dev.smartgateway.cloud.ProviderContext;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.ReadStream;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * One test's dealings with the adapter under test. Every SPI call is made on one Vert.x event-loop context, the
 * <em>control</em> context, as the gateway makes its calls on its own; the test thread only waits for the answers,
 * each bounded by a deadline. Every instance a start answers with is remembered with the provider that started it,
 * so that {@link #close} can stop it whatever became of the test.
 */
final class ContractSession {

  private static final long POLL_FIRST_MS = 25;
  private static final long POLL_MAX_MS = 1_000;
  private static final long PROBE_ATTEMPT_MAX_MS = 10_000;

  private final Vertx vertx;
  private final Context control;
  private final ContractTimeouts timeouts;
  private final BiFunction<Vertx, ProviderContext, Future<CloudProvider>> factory;
  private final String probePath;
  /** Random per test: tests on a shared cloud (a real account, a CI machine) never see each other's owners. */
  private final String ownerPrefix;
  private final List<Driven> providers = new CopyOnWriteArrayList<>();
  /** Every instance a start answered with, late answers included, and who started it (or took it over). */
  private final Map<String, Driven> started = new ConcurrentHashMap<>();
  /** Instances the test saw end (terminal or forgotten): cleaning up need not stop them again. */
  private final Set<String> ended = ConcurrentHashMap.newKeySet();
  private volatile HttpClient http;

  ContractSession(Vertx vertx, ContractTimeouts timeouts,
                  BiFunction<Vertx, ProviderContext, Future<CloudProvider>> factory, String probePath) {
    this.vertx = vertx;
    this.control = vertx.getOrCreateContext();
    this.timeouts = timeouts;
    this.factory = factory;
    this.probePath = probePath;
    byte[] random = new byte[4];
    ThreadLocalRandom.current().nextBytes(random);
    this.ownerPrefix = "conformance-" + HexFormat.of().formatHex(random);
  }

  ContractTimeouts timeouts() {
    return timeouts;
  }

  /** An owner name of this test: label-safe, as {@link ProviderContext#owner()} asks. */
  String owner(String name) {
    return ownerPrefix + "-" + name;
  }

  // ------------------------------------------------------------------ providers

  /** A provider for {@code owner}, made by the author's factory, its events (if it offers them) recorded from now. */
  Driven open(String owner) {
    ProviderContext context = ProviderContext.of(owner);
    CompletableFuture<Outcome<CloudProvider>> created = new CompletableFuture<>();
    String what = "creating a provider for owner " + owner;
    control.runOnContext(v -> {
      Future<CloudProvider> future;
      try {
        future = factory.apply(vertx, context);
      } catch (Throwable e) {
        created.complete(Outcome.threw(what, e));
        return;
      }
      if (future == null) {
        created.complete(Outcome.threw(what, new NullPointerException("createProvider answered null")));
        return;
      }
      future.onComplete(ar -> created.complete(ar.succeeded() ? Outcome.succeeded(what, ar.result())
          : Outcome.failed(what, ar.cause())));
    });
    Outcome<CloudProvider> outcome = within(what, timeouts.call(), created);
    if (!outcome.succeeded()) {
      // The factory may refuse its configuration with any exception (the gateway reports it): not a contract matter.
      throw new AssertionError(what + " " + outcome + ": check the test's configuration");
    }
    CloudProvider spi = outcome.value();
    if (spi == null) {
      throw new AssertionError(what + " answered null");
    }
    Driven driven = new Driven(owner, spi);
    providers.add(driven);
    // Subscribed on the control context, as the gateway subscribes, and before anything is started.
    CompletableFuture<Throwable> subscribed = new CompletableFuture<>();
    control.runOnContext(v -> {
      try {
        Optional<ReadStream<Instance>> stream = spi.events();
        if (stream == null) {
          throw new NullPointerException("events() answered null instead of Optional.empty()");
        }
        stream.ifPresent(events -> {
          driven.offersEvents = true;
          events.exceptionHandler(driven::streamFailed);
          events.handler(driven::record);
        });
        subscribed.complete(null);
      } catch (Throwable e) {
        subscribed.complete(e);
      }
    });
    Throwable problem = within("subscribing to events() of " + driven, timeouts.call(), subscribed);
    if (problem != null) {
      throw new AssertionError("subscribing to events() of " + driven + ": " + problem
          + " (a provider that pushes no events answers Optional.empty())", problem);
    }
    return driven;
  }

  void close(Driven driven) {
    call("close() of " + driven, driven.spi::close).value();
    driven.closed = true;
  }

  // ------------------------------------------------------------------ calls

  /** Runs {@code call} on the control context and waits for how it ended, at most the call timeout. */
  <T> Outcome<T> call(String what, Supplier<Future<T>> call) {
    CompletableFuture<Outcome<T>> done = new CompletableFuture<>();
    control.runOnContext(v -> settle(what, call, done::complete));
    return within(what, timeouts.call(), done);
  }

  /** Runs every call in one go on the control context (none waits for another) and waits for each. */
  <T> List<Outcome<T>> callAll(String what, List<Supplier<Future<T>>> calls) {
    List<CompletableFuture<Outcome<T>>> all = new ArrayList<>();
    calls.forEach(c -> all.add(new CompletableFuture<>()));
    control.runOnContext(v -> {
      for (int i = 0; i < calls.size(); i++) {
        settle(what + " #" + (i + 1), calls.get(i), all.get(i)::complete);
      }
    });
    List<Outcome<T>> outcomes = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      outcomes.add(within(what + " #" + (i + 1), timeouts.call(), all.get(i)));
    }
    return outcomes;
  }

  private static <T> void settle(String what, Supplier<Future<T>> call, Handler<Outcome<T>> done) {
    Future<T> future;
    try {
      future = call.get();
    } catch (Throwable e) {
      done.handle(Outcome.threw(what, e));
      return;
    }
    if (future == null) {
      done.handle(Outcome.threw(what, new NullPointerException("answered null instead of a future")));
      return;
    }
    future.onComplete(ar -> done.handle(ar.succeeded() ? Outcome.succeeded(what, ar.result())
        : Outcome.failed(what, ar.cause())));
  }

  Instance start(Driven by, String resource, Set<String> groups) {
    return startOutcome(by, resource, groups).value();
  }

  Outcome<Instance> startOutcome(Driven by, String resource, Set<String> groups) {
    return call("start(" + resource + ", " + groups + ") by " + by, () -> tracked(by, by.spi.start(resource, groups)));
  }

  /** {@code count} starts issued at once, before any of them answers. */
  List<Instance> startAll(Driven by, int count, String resource, Set<String> groups) {
    List<Supplier<Future<Instance>>> starts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      starts.add(() -> tracked(by, by.spi.start(resource, groups)));
    }
    return callAll("concurrent start(" + resource + ", " + groups + ") by " + by, starts).stream()
        .map(Outcome::value).toList();
  }

  /** Remembers whatever the start answers, even after the test stopped waiting for it, so that it is stopped. */
  private Future<Instance> tracked(Driven by, Future<Instance> start) {
    if (start != null) {
      start.onSuccess(instance -> {
        if (instance != null) {
          started.putIfAbsent(instance.id(), by);
        }
      });
    }
    return start;
  }

  Outcome<Instance> describe(Driven by, String id) {
    return call("describe(" + id + ") by " + by, () -> by.spi.describe(id));
  }

  Outcome<Void> stop(Driven by, String id) {
    return call("stop(" + id + ") by " + by, () -> by.spi.stop(id));
  }

  List<Instance> list(Driven by) {
    List<Instance> all = call("list() by " + by, by.spi::list).value();
    if (all == null) {
      throw new AssertionError("list() by " + by + " answered null instead of a list");
    }
    return all;
  }

  Outcome<Void> suspend(Driven by, String id) {
    return call("suspend(" + id + ") by " + by, () -> by.spi.suspend(id));
  }

  Outcome<Void> resume(Driven by, String id) {
    return call("resume(" + id + ") by " + by, () -> by.spi.resume(id));
  }

  /** From now on {@code successor} (a new provider of the same owner) is the one that stops {@code id}. */
  void handOver(String id, Driven successor) {
    started.put(id, successor);
  }

  // ------------------------------------------------------------------ waiting for conditions

  /**
   * Waits until the instance is RUNNING: from the provider's events where it offers them (the gateway relies on them
   * for readiness), otherwise by polling {@code describe}, as the gateway does. Fails at once if it ends first.
   */
  Instance awaitRunning(Driven by, String id) {
    return by.offersEvents ? awaitRunningEvent(by, id) : awaitRunningDescribed(by, id);
  }

  private Instance awaitRunningEvent(Driven by, String id) {
    long deadline = System.nanoTime() + timeouts.ready().toNanos();
    synchronized (by) {
      while (true) {
        for (Instance event : by.events) {
          if (!event.id().equals(id)) {
            continue;
          }
          if (event.state() == InstanceState.RUNNING) {
            return event;
          }
          if (event.state().isTerminal()) {
            throw new AssertionError(id + " reached " + event.state() + " before RUNNING; its events: "
                + by.eventsOf(id));
          }
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          break;
        }
        waitOn(by, left);
      }
    }
    Outcome<Instance> now = describe(by, id);
    throw new AssertionError(id + " did not become RUNNING within " + timeouts.ready() + ": events() never reported it"
        + " RUNNING (the gateway learns readiness from the events of a provider that offers them); its events: "
        + by.eventsOf(id) + (by.streamFailure != null ? "; the stream failed: " + by.streamFailure : "")
        + "; describe now answers: " + now);
  }

  private Instance awaitRunningDescribed(Driven by, String id) {
    return poll(id + " to become RUNNING (polling describe, the provider offers no events)", timeouts.ready(),
        () -> by.spi.describe(id), (instance, failure) -> {
          if (failure != null) {
            return failure instanceof CloudException ce && ce.kind() == CloudException.Kind.INSTANCE_NOT_FOUND
                ? Step.abort("describe no longer knows " + id + " while it should be starting")
                : retryOnlyIfTransient(failure);
          }
          if (instance.state() == InstanceState.RUNNING) {
            return Step.done(instance);
          }
          if (instance.state().isTerminal()) {
            return Step.abort(id + " reached " + instance.state() + " before RUNNING: " + instance);
          }
          return Step.again("describe says " + instance.state());
        });
  }

  /** Waits until {@code describe} reports the instance STOPPED or FAILED, or no longer knows it. */
  Instance awaitEnded(Driven by, String id) {
    Instance last = poll(id + " to end (STOPPED or FAILED, or unknown to describe) after stop", timeouts.stop(),
        () -> by.spi.describe(id), (instance, failure) -> {
          if (failure != null) {
            return failure instanceof CloudException ce && ce.kind() == CloudException.Kind.INSTANCE_NOT_FOUND
                ? Step.done(null) : retryOnlyIfTransient(failure);
          }
          return instance.state().isTerminal() ? Step.done(instance) : Step.again("describe says " + instance.state());
        });
    ended.add(id);
    return last;
  }

  /**
   * Waits until the endpoint answers HTTP, with any status: a VM's own application decides what {@code /} answers.
   * The gateway probes an endpoint the same way before it forwards to it, so a provider may report RUNNING a
   * moment before its server accepts connections.
   *
   * @return the status it answered
   */
  int awaitAnswer(String what, URI endpoint) {
    URI target = endpoint.resolve(probePath);
    long attemptMs = Math.min(PROBE_ATTEMPT_MAX_MS, timeouts.call().toMillis());
    return poll(what + ": its endpoint " + target + " to answer HTTP", timeouts.ready(), () -> {
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(target.toString())
          .setConnectTimeout(attemptMs).setIdleTimeout(attemptMs);
      return http().request(options).compose(request -> request.send())
          .compose(response -> response.body().map(body -> response.statusCode()));
    }, (status, failure) -> failure == null ? Step.done(status) : Step.again(failure.toString()));
  }

  private HttpClient http() {
    HttpClient client = http;
    if (client == null) {
      synchronized (this) {
        if (http == null) {
          // No keep-alive: each probe is a fresh connection, as the gateway's first one to a new VM is.
          http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setTrustAll(true)
              .setVerifyHost(false));
        }
        client = http;
      }
    }
    return client;
  }

  /** While it polls, a cloud that answers "try again" is not yet a failure; any other failure is. */
  private static <T> Step<T> retryOnlyIfTransient(Throwable failure) {
    if (failure instanceof CloudException ce) {
      return ce.isCloudFault() ? Step.again("CloudException " + ce.kind() + ": " + ce.getMessage())
          : Step.abort("describe failed with CloudException " + ce.kind() + ": " + ce.getMessage());
    }
    return Step.abort("describe failed with " + failure + ", not a CloudException");
  }

  /** What one look at a condition found: done (with a value), not yet (and why), or never (and why). */
  record Step<T>(T value, String notYet, String never) {
    static <T> Step<T> done(T value) {
      return new Step<>(value, null, null);
    }

    static <T> Step<T> again(String why) {
      return new Step<>(null, why, null);
    }

    static <T> Step<T> abort(String why) {
      return new Step<>(null, null, why);
    }
  }

  @FunctionalInterface
  interface Judge<A, T> {
    Step<T> judge(A answer, Throwable failure);
  }

  /**
   * Looks at a condition on the control context, again and again on timers (25 ms, doubling up to 1 s), until it
   * holds; the test thread waits for that, at most {@code within}. Each look is one call, bounded by the call
   * timeout.
   */
  <A, T> T poll(String what, Duration within, Supplier<Future<A>> look, Judge<A, T> judge) {
    CompletableFuture<T> result = new CompletableFuture<>();
    AtomicReference<String> lastSeen = new AtomicReference<>("no answer to the first look yet");
    AtomicBoolean over = new AtomicBoolean();
    Handler<Void> looker = new Handler<>() {
      private long delay = POLL_FIRST_MS;

      /** Runs on the control context, and so does every call it makes and the timer that repeats it. */
      @Override
      public void handle(Void ignored) {
        if (over.get()) {
          return;
        }
        AtomicBoolean answered = new AtomicBoolean();
        long bound = vertx.setTimer(timeouts.call().toMillis(), t -> {
          if (answered.compareAndSet(false, true)) {
            result.completeExceptionally(new AssertionError("waiting for " + what + ": a call did not answer within "
                + timeouts.call()));
          }
        });
        settle(what, look, outcome -> {
          if (!answered.compareAndSet(false, true)) {
            return;
          }
          vertx.cancelTimer(bound);
          Step<T> step;
          try {
            if (outcome.threw()) {
              outcome.succeededOrTyped(); // the assertion that it threw instead of failing its future
            }
            step = judge.judge(outcome.succeeded() ? outcome.value() : null, outcome.failure());
          } catch (Throwable e) {
            result.completeExceptionally(e);
            return;
          }
          if (step.never() != null) {
            result.completeExceptionally(new AssertionError("waiting for " + what + ": " + step.never()));
          } else if (step.notYet() == null) {
            result.complete(step.value());
          } else {
            lastSeen.set(step.notYet());
            long next = delay;
            delay = Math.min(POLL_MAX_MS, delay * 2);
            control.runOnContext(v -> vertx.setTimer(next, t -> handle(null)));
          }
        });
      }
    };
    // Not on the test thread: a Vert.x HTTP response read from another thread than its connection's can be over
    // before its body is asked for, and the body is then never delivered.
    control.runOnContext(looker);
    try {
      return result.get(within.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("waited " + within + " for " + what + "; last seen: " + lastSeen.get());
    } catch (ExecutionException e) {
      throw e.getCause() instanceof AssertionError assertion ? assertion : new AssertionError(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + what, e);
    } finally {
      over.set(true);
    }
  }

  private <T> T within(String what, Duration limit, CompletableFuture<T> done) {
    try {
      return done.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(what + " did not answer within " + limit
          + ": every SPI call must complete its future, whatever the cloud does");
    } catch (ExecutionException e) {
      throw new AssertionError(what + " failed in the kit", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting: " + what, e);
    }
  }

  private static void waitOn(Object monitor, long millis) {
    try {
      monitor.wait(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for an event", e);
    }
  }

  // ------------------------------------------------------------------ the end of a test

  /**
   * Stops every instance the test started and has not seen end (through the provider that started it, or a new
   * one of the same owner if that one was closed), then closes every provider. Runs whether the test passed or not;
   * what it could not do is reported, so that a leak is never silent.
   */
  void close() {
    List<Throwable> problems = new ArrayList<>();
    Map<String, Driven> leftovers = new LinkedHashMap<>(started);
    ended.forEach(leftovers::remove);
    Map<String, Driven> successors = new LinkedHashMap<>();
    for (Map.Entry<String, Driven> entry : leftovers.entrySet()) {
      Driven by = entry.getValue();
      try {
        if (by.closed) {
          by = successors.computeIfAbsent(by.owner, owner -> providers.stream()
              .filter(p -> !p.closed && p.owner.equals(owner)).findFirst().orElseGet(() -> open(owner)));
        }
        stop(by, entry.getKey()).value();
      } catch (Throwable e) {
        problems.add(new AssertionError("cleaning up: could not stop " + entry.getKey() + " (it may still run): "
            + e.getMessage(), e));
      }
    }
    for (Driven provider : providers) {
      if (!provider.closed) {
        try {
          close(provider);
        } catch (Throwable e) {
          problems.add(new AssertionError("cleaning up: " + e.getMessage(), e));
        }
      }
    }
    HttpClient client = http;
    if (client != null) {
      client.close();
    }
    if (!problems.isEmpty()) {
      AssertionError failure = new AssertionError("cleaning up after the test: " + problems.size() + " problem(s),"
          + " the first: " + problems.get(0).getMessage());
      problems.forEach(failure::addSuppressed);
      throw failure;
    }
  }

  // ------------------------------------------------------------------ one provider under test

  /** A provider under test, with its owner and every event it pushed so far, in order. */
  static final class Driven {
    final String owner;
    final CloudProvider spi;
    /** Guarded by {@code this}; waiting never consumes events. */
    private final List<Instance> events = new ArrayList<>();
    private volatile boolean offersEvents;
    private volatile Throwable streamFailure;
    volatile boolean closed;

    Driven(String owner, CloudProvider spi) {
      this.owner = owner;
      this.spi = spi;
    }

    boolean offersEvents() {
      return offersEvents;
    }

    private synchronized void record(Instance event) {
      events.add(event);
      notifyAll();
    }

    private void streamFailed(Throwable failure) {
      streamFailure = failure;
    }

    /** Every event of one instance so far, in the order pushed. */
    synchronized List<Instance> eventsOf(String id) {
      return events.stream().filter(e -> e != null && id.equals(e.id())).toList();
    }

    /** Every event so far, in the order pushed (null ones included: that is a finding too). */
    synchronized List<Instance> events() {
      return new ArrayList<>(events);
    }

    /**
     * Waits until the events of {@code id} include one in a terminal state, at most {@code within}; answers the
     * instance's events so far either way.
     */
    List<Instance> awaitTerminalEvent(String id, Duration within) {
      long deadline = System.nanoTime() + within.toNanos();
      synchronized (this) {
        while (eventsOf(id).stream().noneMatch(e -> e.state().isTerminal())) {
          long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
          if (left <= 0) {
            throw new AssertionError("events() did not report " + id + " STOPPED or FAILED within " + within
                + " of its stop; its events: " + eventsOf(id));
          }
          waitOn(this, left);
        }
        return eventsOf(id);
      }
    }

    @Override
    public String toString() {
      return "the provider of owner " + owner;
    }
  }
}
