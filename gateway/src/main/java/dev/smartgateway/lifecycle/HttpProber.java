package dev.smartgateway.lifecycle;

import dev.smartgateway.config.ProbeConfig;
import dev.smartgateway.config.ServerConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * Probes over HTTP with a client of its own: no keep-alive (each probe proves the VM still accepts
 * connections) and a pool apart from the forwarder's, so probes never wait behind traffic.
 */
final class HttpProber implements Prober {

  static final String USER_AGENT = "smart-gateway-probe";

  private final HttpClientAgent client;

  /** @param server its response-head limits apply to probes too: a VM whose app sends big heads still becomes ready */
  HttpProber(Vertx vertx, ServerConfig server) {
    this.client = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setKeepAlive(false).setTcpNoDelay(true)
            .setMaxHeaderSize(server.maxResponseHeaderBytes())
            .setMaxInitialLineLength(server.maxResponseLineLength()))
        .with(new PoolOptions().setHttp1MaxSize(16))
        .build();
  }

  @Override
  public Future<Integer> probe(String host, int port, ProbeConfig probe) {
    long timeout = probe.timeout().toMillis();
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setHost(host)
        .setPort(port)
        .setURI(probe.path())
        .setConnectTimeout(timeout)
        .setIdleTimeout(timeout)
        .putHeader("User-Agent", USER_AGENT);
    return client.request(options)
        .compose(req -> req.send())
        .compose(resp -> resp.end().map(v -> resp.statusCode()));
  }

  @Override
  public Future<Void> close() {
    return client.close();
  }
}
