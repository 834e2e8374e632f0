package dev.smartgateway.cloudmock;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Objects;

/**
 * A running mock cloud, embedded in the caller's {@link Vertx}: its REST API on
 * {@link #baseUrl()} and one real HTTP server per running VM on 127.0.0.1.
 *
 * <pre>{@code
 * MockCloud.start(vertx, MockCloudOptions.defaults().withPort(0).withBootDelay(50, 200).withSeed(1L))
 *     .onSuccess(cloud -> System.out.println(cloud.baseUrl()));
 * }</pre>
 */
public final class MockCloud {

  private final Vertx vertx;
  private final MockCloudVerticle cloud;
  private final String deploymentId;
  private final String host;
  private final int port;
  private Future<Void> closing;

  private MockCloud(Vertx vertx, MockCloudVerticle cloud, String deploymentId, String host, int port) {
    this.vertx = vertx;
    this.cloud = cloud;
    this.deploymentId = deploymentId;
    this.host = host;
    this.port = port;
  }

  /** Starts the cloud; fails if the API port cannot be bound. */
  public static Future<MockCloud> start(Vertx vertx, MockCloudOptions options) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(options, "options");
    MockCloudVerticle cloud = new MockCloudVerticle(options);
    return vertx.deployVerticle(cloud)
        .map(deploymentId -> new MockCloud(vertx, cloud, deploymentId, options.host(), cloud.port()));
  }

  /** The API's actual port (useful when the options asked for port 0). */
  public int port() {
    return port;
  }

  /** {@code http://host:port} of the API. */
  public String baseUrl() {
    return "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * Closes the API and every VM server, without further events. The {@link Vertx} belongs to the caller
   * and stays open. Calling it again returns the same future.
   */
  public synchronized Future<Void> close() {
    if (closing == null) {
      // The VMs first: see MockCloudVerticle.powerOff.
      closing = cloud.powerOff().eventually(() -> vertx.undeploy(deploymentId));
    }
    return closing;
  }

  @Override
  public String toString() {
    return "MockCloud[" + baseUrl() + "]";
  }
}
