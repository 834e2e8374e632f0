package dev.smartgateway.cloud.docker;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives docker providers through the SPI from the test thread: blocks on futures and events with deadlines, and
 * at the end closes them and removes every container of the test's owners, failing the test if any was left.
 */
final class DockerTestSupport {

  static final Duration DEADLINE = Duration.ofSeconds(30);

  final Vertx vertx;
  private final List<CloudProvider> providers = new ArrayList<>();
  private final List<String> owners = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  DockerTestSupport(Vertx vertx) {
    this.vertx = vertx;
  }

  /** A provider section on the default socket with these resources. */
  static JsonObject providerConfig(JsonObject resources) {
    return new JsonObject().put("type", "docker").put("socket", DockerDaemon.SOCKET).put("resources", resources);
  }

  /** The example image serving on the adapter's port, with these extra keys. */
  static JsonObject echo(JsonObject extra) {
    return new JsonObject()
        .put("image", DockerDaemon.echoImage())
        .put("command", new JsonArray(List.of("/bin/httpd", "-f", "-v", "-p", "{host}:{port}", "-h", "/www")))
        .put("readiness", new JsonObject().put("path", "/").put("timeout", "20s"))
        .put("stopTimeout", "2s")
        .put("init", true)
        .mergeIn(extra);
  }

  /** A fresh owner, remembered so that its containers are removed at the end. */
  String owner(String what) {
    String owner = DockerDaemon.newOwner(what);
    owners.add(owner);
    return owner;
  }

  Provider create(JsonObject config, String owner) {
    CloudProvider spi = await(new DockerCloudProviderFactory().create(vertx, config, ProviderContext.of(owner)));
    providers.add(spi);
    Provider provider = new Provider(spi);
    spi.events().orElseThrow().handler(provider::record);
    return provider;
  }

  final class Provider {
    final CloudProvider spi;
    /** Every event so far, in order; waiting never consumes them. */
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
      return await(spi.start(resource, Set.of(groups)));
    }

    Instance describe(String id) {
      return await(spi.describe(id));
    }

    List<Instance> list() {
      return await(spi.list());
    }

    void stop(String id) {
      await(spi.stop(id));
    }

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

  /** The container's state as the daemon tells the {@code docker} command; "gone" once it no longer exists. */
  static String containerState(String name) {
    DockerDaemon.Result result = DockerDaemon.dockerResult("inspect", "--format", "{{.State.Status}}", name);
    return result.status() == 0 ? result.output().strip() : "gone";
  }

  /** Polls from the test thread (never an event loop) until the condition holds, or fails after the deadline. */
  static void eventually(String what, BooleanSupplier condition) {
    long end = System.nanoTime() + DEADLINE.toNanos();
    long pause = 10;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + DEADLINE + ": " + what);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pause));
      pause = Math.min(200, pause * 2);
    }
  }

  /**
   * Closes the providers, then removes whatever containers of the test's owners are left, and fails if the test
   * expected none to be left ({@code expectNone}) and there were.
   */
  void closeAndRemoveContainers(boolean expectNone) {
    for (CloudProvider provider : providers) {
      try {
        await(provider.close());
      } catch (AssertionError | RuntimeException ignored) {
        // what is left on the daemon is what matters
      }
    }
    List<String> left = new ArrayList<>();
    for (String owner : owners) {
      left.addAll(DockerDaemon.removeContainersOf(owner));
    }
    if (expectNone) {
      assertThat(left).as("containers left behind by the test").isEmpty();
    }
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
