package dev.smartgateway.lifecycle;

import dev.smartgateway.config.ProbeConfig;
import dev.smartgateway.config.ResourceSettings.Protocol;
import dev.smartgateway.config.ServerConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * Probes over HTTP with clients of its own: no keep-alive (each probe proves the VM still accepts
 * connections) and pools apart from the forwarder's, so probes never wait behind traffic. For a resource with
 * {@code protocol: h2c} the probe speaks HTTP/2 with prior knowledge, on a connection opened for it and closed
 * after it, as an HTTP/1.1 probe's is.
 */
final class HttpProber implements Prober {

  static final String USER_AGENT = "smart-gateway-probe";

  private final HttpClientAgent client;
  private final HttpClientAgent h2cClient;

  /** @param server its response-head limits apply to probes too: a VM whose app sends big heads still becomes ready */
  HttpProber(Vertx vertx, ServerConfig server) {
    this.client = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setKeepAlive(false).setTcpNoDelay(true)
            .setMaxHeaderSize(server.maxResponseHeaderBytes())
            .setMaxInitialLineLength(server.maxResponseLineLength()))
        .with(new PoolOptions().setHttp1MaxSize(16))
        .build();
    HttpClientOptions h2c = new HttpClientOptions().setTcpNoDelay(true)
        .setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false);
    h2c.getInitialSettings().setMaxHeaderListSize(server.maxResponseHeaderBytes());
    // Connections come from connect(), outside the pool: the pool bound is for form's sake.
    this.h2cClient = vertx.httpClientBuilder().with(h2c).with(new PoolOptions().setHttp2MaxSize(1)).build();
  }

  @Override
  public Future<Integer> probe(String host, int port, ProbeConfig probe) {
    return probe(host, port, probe, Protocol.HTTP1);
  }

  @Override
  public Future<Integer> probe(String host, int port, ProbeConfig probe, Protocol protocol) {
    long timeout = probe.timeout().toMillis();
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setHost(host)
        .setPort(port)
        .setURI(probe.path())
        .setConnectTimeout(timeout)
        .setIdleTimeout(timeout)
        .putHeader("User-Agent", USER_AGENT);
    if (protocol == Protocol.H2C) {
      return h2cClient.connect(new HttpConnectOptions().setHost(host).setPort(port).setConnectTimeout(timeout))
          .compose(connection -> connection.request(options)
              .compose(req -> req.send())
              .compose(resp -> resp.end().map(v -> resp.statusCode()))
              .eventually(connection::close));
    }
    return client.request(options)
        .compose(req -> req.send())
        .compose(resp -> resp.end().map(v -> resp.statusCode()));
  }

  @Override
  public Future<Void> close() {
    return Future.join(client.close(), h2cClient.close()).mapEmpty();
  }
}
