package dev.smartgateway.cloud.process;

import dev.smartgateway.cloud.Liveness;
import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceState;
import dev.smartgateway.cloud.ProviderContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives providers through the SPI from the test thread: blocks on futures and events with deadlines,
 * remembers every pid it saw so the test can prove that none survived.
 */
final class ProcessTestSupport {

  static final Duration DEADLINE = Duration.ofSeconds(20);

  final Vertx vertx;
  /** Handles, not bare pids: a handle knows its process's start time, so a recycled pid is never mistaken for it. */
  final Map<Long, ProcessHandle> seen = new ConcurrentHashMap<>();
  private final List<CloudProvider> providers = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  ProcessTestSupport(Vertx vertx) {
    this.vertx = vertx;
  }

  /** A provider section with the given resources, state kept in {@code stateDir}. */
  static JsonObject providerConfig(Path stateDir, JsonObject resources) {
    return new JsonObject()
        .put("type", "process")
        .put("host", "127.0.0.1")
        .put("stateDir", stateDir.toString())
        .put("resources", resources);
  }

  static JsonObject resource(String... command) {
    return new JsonObject().put("command", new JsonArray(List.of((Object[]) command)));
  }

  /** A provider without an owner, whose events are recorded for {@link #awaitEvent}. */
  Provider create(JsonObject config) {
    return register(await(new ProcessCloudProviderFactory().create(vertx, config)));
  }

  /** A provider of the gateway {@code owner} (as the gateway creates it), events recorded. */
  Provider create(JsonObject config, String owner) {
    return register(await(new ProcessCloudProviderFactory().create(vertx, config, ProviderContext.of(owner))));
  }

  private Provider register(CloudProvider provider) {
    providers.add(provider);
    Provider wrapped = new Provider(provider);
    provider.events().orElseThrow().handler(instance -> {
      remember(instance);
      wrapped.record(instance);
    });
    return wrapped;
  }

  final class Provider {
    final CloudProvider spi;
    /** Every event so far, in order; waiting never consumes them, so events may arrive in any order. */
    private final List<Instance> events = new ArrayList<>();

    Provider(CloudProvider spi) {
      this.spi = spi;
    }

    private synchronized void record(Instance instance) {
      events.add(instance);
      notifyAll();
    }

    synchronized List<Instance> events() {
      return List.copyOf(events);
    }

    Instance start(String resource, String... groups) {
      return remember(await(spi.start(resource, Set.of(groups))));
    }

    Instance describe(String id) {
      return remember(await(spi.describe(id)));
    }

    List<Instance> list() {
      List<Instance> all = await(spi.list());
      all.forEach(ProcessTestSupport.this::remember);
      return all;
    }

    void stop(String id) {
      await(spi.stop(id));
    }

    /** Waits for the event that puts {@code id} into {@code state}; earlier events of other states are skipped. */
    Instance awaitEvent(String id, InstanceState state) {
      return awaitEvent(i -> i.id().equals(id) && i.state() == state, id + " " + state);
    }

    synchronized Instance awaitEvent(Predicate<Instance> matching, String what) {
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      try {
        while (true) {
          Optional<Instance> found = events.stream().filter(matching).findFirst();
          if (found.isPresent()) {
            return found.get();
          }
          long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
          if (left <= 0) {
            throw new AssertionError("no event " + what + " within " + DEADLINE + "; events: " + events);
          }
          wait(left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  Instance remember(Instance instance) {
    String pid = instance.metadata().get("pid");
    if (pid != null) {
      ProcessHandle.of(Long.parseLong(pid)).ifPresent(this::remember);
    }
    return instance;
  }

  void remember(ProcessHandle process) {
    seen.putIfAbsent(process.pid(), process);
    process.descendants().forEach(d -> seen.putIfAbsent(d.pid(), d));
  }

  static long pid(Instance instance) {
    return Long.parseLong(instance.metadata().get("pid"));
  }

  /**
   * The process behind an instance, as first seen (so a later recycled pid is not confused with it); empty
   * if it had already exited when the test first saw the instance.
   */
  Optional<ProcessHandle> process(Instance instance) {
    return Optional.ofNullable(seen.get(pid(instance)));
  }

  /** Like {@link #process} for a process the test knows is running. */
  ProcessHandle running(Instance instance) {
    return process(instance).orElseThrow(() -> new AssertionError("no process seen for " + instance.id()));
  }

  /** Whether the process has exited (a zombie has: see {@link Liveness#gone}). */
  static boolean gone(ProcessHandle process) {
    return Liveness.gone(process);
  }

  HttpResponse<String> get(URI uri) {
    try {
      return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("GET " + uri + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Re-checks {@code condition} on a Vert.x timer until it holds; the test thread just waits for that,
   * bounded by the deadline.
   */
  void awaitCondition(String what, Supplier<Future<Boolean>> condition) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    long timer = vertx.setPeriodic(0, 25, id -> condition.get().onComplete(ar -> {
      if (ar.succeeded() && ar.result()) {
        done.complete(null);
      }
    }));
    try {
      done.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("condition not met within " + DEADLINE + ": " + what, e);
    } finally {
      vertx.cancelTimer(timer);
    }
  }

  /**
   * Closes what the test left open, then proves that no process survived: every pid seen must be dead;
   * survivors are killed (so one failure does not leak into the next test) and reported.
   */
  void closeAndAssertNoSurvivors() {
    for (CloudProvider provider : providers) {
      try {
        await(provider.close());
      } catch (AssertionError | RuntimeException ignored) {
        // the pid check below is what matters
      }
    }
    List<Long> survivors = new ArrayList<>();
    for (ProcessHandle process : seen.values()) {
      if (!Liveness.gone(process)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        survivors.add(process.pid());
      }
    }
    assertThat(survivors).as("processes left running after the test").isEmpty();
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new AssertionError(e.getCause());
    } catch (Exception e) {
      throw new AssertionError("no answer within " + DEADLINE, e);
    }
  }
}
