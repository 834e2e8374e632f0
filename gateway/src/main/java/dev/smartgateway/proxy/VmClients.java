package dev.smartgateway.proxy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import dev.smartgateway.config.ResourceSettings.Protocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP clients of one forwarder: one per VM connect timeout in use, which with one {@code connectTimeout}
 * for every resource (the usual case) is one client per event loop.
 *
 * <p>Why per connect timeout: Netty's TCP connect timeout is a setting of the client, not of a request, and
 * {@link ConnectFailure} can only tell a VM that does not accept connections from a busy pool if, for a
 * connection opened at once, the TCP connect timeout fires before the pool's own timer (which runs from
 * queueing or connecting, whichever comes first). So each distinct timeout gets a client whose TCP connect
 * timeout is exactly it, and requests get a pool timer a margin longer ({@link #poolTimeoutMillis}).
 *
 * <p>WebSocket upgrades get clients of their own ({@link #upgradeClient}): without an idle timeout, since a
 * spliced WebSocket may rightly be quiet for hours (its own is {@code server.webSocketIdleTimeout}), and with
 * TCP keep-alive, so that a VM that vanished without a word is still noticed, in the end, by the OS.
 *
 * <p>Resources with {@code protocol: h2c} get clients of their own that speak HTTP/2 with prior knowledge (no
 * {@code Upgrade: h2c} round trip, which would also cost the first request its body streaming): per VM address
 * at most {@link ForwarderOptions#h2cConnectionsPerVm()} connections of
 * {@link ForwarderOptions#h2cStreamsPerConnection()} streams each, the same queue and wait bounds as HTTP/1.1.
 */
final class VmClients {

  /** The largest body chunk the VM's response is cut into: one full socket read. */
  static final int BODY_CHUNK_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final ForwarderOptions options;
  // Vert.x 5 closes a client nobody references: these are held here for as long as the forwarder lives.
  private final ConcurrentMap<Long, HttpClientAgent> clients = new ConcurrentHashMap<>();
  private final ConcurrentMap<Long, HttpClientAgent> h2cClients = new ConcurrentHashMap<>();
  private final ConcurrentMap<Long, HttpClientAgent> upgradeClients = new ConcurrentHashMap<>();

  VmClients(Vertx vertx, ForwarderOptions options) {
    this.vertx = vertx;
    this.options = options;
  }

  ForwarderOptions options() {
    return options;
  }

  /** The client whose TCP connect timeout is {@code connectTimeout}, speaking HTTP/1.1. */
  HttpClientAgent client(Duration connectTimeout) {
    return client(connectTimeout, Protocol.HTTP1);
  }

  /** The client whose TCP connect timeout is {@code connectTimeout}, speaking {@code protocol}. */
  HttpClientAgent client(Duration connectTimeout, Protocol protocol) {
    long key = Math.max(1, connectTimeout.toMillis());
    return protocol == Protocol.H2C
        ? h2cClients.computeIfAbsent(key, millis -> create(millis, false, true))
        : clients.computeIfAbsent(key, millis -> create(millis, false, false));
  }

  /** The client for WebSocket upgrades (unpooled connections, see Exchange) with this TCP connect timeout. */
  HttpClientAgent upgradeClient(Duration connectTimeout) {
    return upgradeClients.computeIfAbsent(Math.max(1, connectTimeout.toMillis()), millis -> create(millis, true, false));
  }

  /**
   * How long a request may wait for a pooled connection: {@code connectionWait}, but never so short that the
   * pool's timer could cut a TCP connect short (which would read as a busy pool, see {@link ConnectFailure}).
   */
  long poolTimeoutMillis(Duration connectTimeout) {
    long connect = connectTimeout.toMillis() + ForwarderOptions.CONNECT_MARGIN_MS;
    return Math.max(options.connectionWait().toMillis(), connect);
  }

  Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    clients.values().forEach(client -> closing.add(client.close()));
    h2cClients.values().forEach(client -> closing.add(client.close()));
    upgradeClients.values().forEach(client -> closing.add(client.close()));
    return Future.join(closing).mapEmpty();
  }

  private HttpClientAgent create(long connectTimeoutMillis, boolean upgrades, boolean h2c) {
    HttpClientOptions http = new HttpClientOptions()
        .setName("smart-gateway-forwarder")
        .setProtocolVersion(HttpVersion.HTTP_1_1)
        .setKeepAlive(true)
        .setKeepAliveTimeout((int) Math.max(1, options.keepAlive().toSeconds()))
        .setPipelining(false)
        .setTcpNoDelay(true)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeoutMillis))
        // Bodies pass through as the VM encoded them; decoding would break Content-Length and waste CPU.
        .setDecompressionSupported(false)
        // Vert.x's defaults (8 KiB of headers, a 4 KiB status line) are below what applications send (big
        // cookies, security policies): a larger head would fail the exchange (see BadResponse).
        .setMaxHeaderSize(options.maxResponseHeaderSize())
        .setMaxInitialLineLength(options.maxResponseLineLength())
        // A body chunk as large as one socket read (Netty reads at most 64 KiB at a time) rather than Vert.x's
        // 8 KiB: each chunk costs a heap copy, a write with its promise and a flush to the client, so a 64 KiB
        // body passes in one or two writes instead of eight or more. The bytes held per exchange stay bounded
        // by this size and the client connection's write queue (back-pressure pauses the VM's response).
        .setMaxChunkSize(BODY_CHUNK_BYTES)
        .setMaxRedirects(0);
    http.setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    // The wait for a 101 is bounded by the exchange's response timeout; after it the splice has its own.
    http.setIdleTimeout(upgrades ? 0 : (int) Math.min(Integer.MAX_VALUE, options.idleTimeout().toMillis()));
    http.setTcpKeepAlive(upgrades);
    PoolOptions pool = new PoolOptions()
        .setHttp1MaxSize(options.connectionsPerVm())
        .setMaxWaitQueueSize(options.connectionQueuePerVm());
    if (h2c) {
      http.setProtocolVersion(HttpVersion.HTTP_2)
          .setHttp2ClearTextUpgrade(false)
          .setHttp2MultiplexingLimit(options.h2cStreamsPerConnection())
          .setHttp2KeepAliveTimeout((int) Math.max(1, options.keepAlive().toSeconds()));
      // HTTP/2's counterpart of the response head limit; a larger head fails its stream (a 502).
      http.getInitialSettings().setMaxHeaderListSize(options.maxResponseHeaderSize());
      pool.setHttp2MaxSize(options.h2cConnectionsPerVm());
    }
    return vertx.httpClientBuilder().with(http).with(pool).build();
  }
}
