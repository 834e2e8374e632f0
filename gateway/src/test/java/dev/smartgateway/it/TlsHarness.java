package dev.smartgateway.it;

import dev.smartgateway.cloudmock.MockCloudOptions;
import dev.smartgateway.tls.TestCertificates;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;

/**
 * A gateway whose public listener speaks TLS with a self-signed certificate made for the test (in
 * {@code server.tls}'s files, looked at every 100 ms), and HTTP/2 and HTTP/1.1 clients that trust it.
 */
final class TlsHarness implements AutoCloseable {

  private static final MockCloudOptions DEFAULT_MOCK = MockCloudOptions.defaults().withBootDelay(50, 100);

  final Harness harness;
  final Path certFile;
  final Path keyFile;
  final TestCertificates.Pem first;
  private final Path dir;
  private final HttpClientAgent h2;
  private final HttpClientAgent h1;
  private final java.util.List<HttpClientAgent> clients = new java.util.concurrent.CopyOnWriteArrayList<>();

  private TlsHarness(Path dir, MockCloudOptions mock, String serverKeys, String resourcesYaml) throws IOException {
    this.dir = dir;
    first = TestCertificates.create(dir.resolve("made"), "first");
    certFile = dir.resolve("cert.pem");
    keyFile = dir.resolve("key.pem");
    first.installAt(certFile, keyFile);
    harness = Harness.start(mock, "tls: {cert: '" + certFile + "', key: '" + keyFile + "', reloadInterval: 100ms}"
        + (serverKeys.isEmpty() ? "" : ", " + serverKeys), "", resourcesYaml);
    h2 = client(HttpVersion.HTTP_2);
    h1 = client(HttpVersion.HTTP_1_1);
  }

  static TlsHarness start(Path dir, String serverKeys) throws IOException {
    return new TlsHarness(dir, DEFAULT_MOCK, serverKeys, "");
  }

  /** @param moreYaml more top-level sections after {@code server} and {@code provider} (e.g. {@code admin:}) */
  static TlsHarness start(Path dir, String serverKeys, String moreYaml) throws IOException {
    return new TlsHarness(dir, DEFAULT_MOCK, serverKeys, moreYaml);
  }

  /** On a mock cloud with these options (e.g. {@code withH2cResources}, for VMs that serve gRPC). */
  static TlsHarness start(Path dir, MockCloudOptions mock, String moreYaml) throws IOException {
    return new TlsHarness(dir, mock, "", moreYaml);
  }

  /**
   * A client of its own (its own connections), trusting any certificate, offering only {@code version} by ALPN.
   * Kept until the harness closes: Vert.x closes a client that is no longer referenced, and its connections with it.
   */
  HttpClientAgent client(HttpVersion version) {
    HttpClientAgent client = harness.vertx.httpClientBuilder()
        .with(new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false).setUseAlpn(true)
            .setProtocolVersion(version).setKeepAlive(true).setHttp2MultiplexingLimit(1000))
        .build();
    clients.add(client);
    return client;
  }

  /**
   * An HTTP/2 client (ALPN) as a careful gRPC client is: it trusts only the test certificate (the one installed
   * at start) and checks that it names 127.0.0.1. Kept until the harness closes, like {@link #client}.
   */
  HttpClientAgent http2TrustingTheCertificate() {
    HttpClientAgent client = harness.vertx.httpClientBuilder()
        .with(new HttpClientOptions().setSsl(true).setUseAlpn(true).setVerifyHost(true)
            .setTrustOptions(new io.vertx.core.net.PemTrustOptions().addCertPath(first.cert().toString()))
            .setProtocolVersion(HttpVersion.HTTP_2).setKeepAlive(true))
        .build();
    clients.add(client);
    return client;
  }

  /** A new certificate, written over the configured files. */
  TestCertificates.Pem renew(String cn) throws IOException {
    TestCertificates.Pem next = TestCertificates.create(dir.resolve("made"), cn);
    next.installAt(certFile, keyFile);
    return next;
  }

  /** An answer and what it came over. */
  record Seen(HttpVersion version, int status, io.vertx.core.MultiMap headers, Buffer body, String serial) {
    io.vertx.core.json.JsonObject json() {
      return body.toJsonObject();
    }
  }

  Future<Seen> send(HttpVersion version, HttpMethod method, String uri, Buffer body, String... headers) {
    return send(version == HttpVersion.HTTP_2 ? h2 : h1, method, uri, body, headers);
  }

  Future<Seen> send(HttpClientAgent client, HttpMethod method, String uri, Buffer body, String... headers) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(harness.port())
        .setURI(uri);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      options.addHeader(headers[i], headers[i + 1]);
    }
    return harness.onContext(() -> client.request(options).compose(req -> (body == null ? req.send() : req.send(body))
        .compose(resp -> resp.body().map(b -> new Seen(resp.version(), resp.statusCode(), resp.headers(), b,
            serial(req.connection()))))));
  }

  /** A connection of its own to the listener. */
  Future<HttpClientConnection> connect(HttpClientAgent client) {
    return harness.onContext(() -> client.connect(new HttpConnectOptions().setHost("127.0.0.1").setPort(harness.port())));
  }

  /** The serial (hex) of the certificate the server presented on this connection. */
  static String serial(io.vertx.core.http.HttpConnection connection) {
    try {
      return ((X509Certificate) connection.peerCertificates().get(0)).getSerialNumber().toString(16);
    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    harness.close();
  }
}
