package dev.smartgateway.proxy;

import dev.smartgateway.access.AccessPolicy;
import dev.smartgateway.config.GatewayConfig;
import dev.smartgateway.config.ResourceSettings;
import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import dev.smartgateway.error.ProblemResponder;
import dev.smartgateway.lifecycle.Lease;
import dev.smartgateway.lifecycle.LifecycleManager;
import dev.smartgateway.routing.VirtualUrl;
import dev.smartgateway.routing.VirtualUrlParser;
import dev.smartgateway.server.RequestFraming;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * The public request path: virtual URL → access check → a lease on a ready VM (at once on the warm path, or
 * after holding the paused request) → stream through → access log. Shared by every event loop; stateless.
 */
public final class ProxyHandler implements Handler<HttpServerRequest> {

  static final String WAIT_HEADER = "X-Smart-Gateway-Wait-Ms";
  private static final MultiMap NO_HEADERS = MultiMap.caseInsensitiveMultiMap();

  private final GatewayConfig config;
  private final VirtualUrlParser parser;
  private final AccessPolicy access;
  private final LifecycleManager lifecycle;
  private final Forwarder forwarder;

  public ProxyHandler(GatewayConfig config, AccessPolicy access, LifecycleManager lifecycle, Forwarder forwarder) {
    this.config = config;
    this.parser = new VirtualUrlParser(config.server().prefix());
    this.access = access;
    this.lifecycle = lifecycle;
    this.forwarder = forwarder;
  }

  @Override
  public void handle(HttpServerRequest request) {
    // Pause before anything asynchronous: a held request must not have its body read (or lost) meanwhile.
    request.pause();
    long startNanos = System.nanoTime();
    if (!framingIsSound(request, startNanos)) {
      return;
    }
    // Until the forwarder takes the request over: a body that turns out malformed (a broken chunk) while the
    // request is held gets its 400 before Vert.x closes the connection, not a silent close.
    request.exceptionHandler(err -> {
      if (!(err instanceof HttpClosedException)) {
        ProblemResponder.respondAndClose(request, new GatewayException(ErrorType.BAD_REQUEST,
            "malformed request body: " + err.getMessage()));
      }
    });
    VirtualUrl url;
    ResourceSettings settings;
    try {
      if (!parser.matches(request.uri())) {
        throw new GatewayException(ErrorType.NOT_FOUND,
            "not a virtual URL: paths start with /" + parser.prefix() + "/{resource}/{groups}/");
      }
      url = parser.parse(request.uri());
      settings = config.settingsFor(url.resource());
      access.check(url.resource(), url.groups(), settings);
      checkDeclaredLength(request, url.resource());
    } catch (GatewayException e) {
      fail(request, null, null, e, startNanos);
      return;
    }

    Lease lease = lifecycle.tryLease(url.resource(), url.groups());
    if (lease != null) {
      forward(request, url, settings, lease, startNanos, 0);
      return;
    }
    if (settings.browser() == ResourceSettings.BrowserStrategy.WAITING_PAGE && isPageLoad(request)) {
      lifecycle.ensureStarting(url.resource(), url.groups());
      WaitingPage.send(request, url.resource());
      log(request, url, null, 503, 0, startNanos, 0, 0, "starting");
      return;
    }
    holdThenForward(request, url, settings, startNanos, 0);
  }

  private void holdThenForward(HttpServerRequest request, VirtualUrl url, ResourceSettings settings, long startNanos,
                               int attempt) {
    lifecycle.hold(url.resource(), url.groups(), request).onComplete(ar -> {
      if (ar.succeeded()) {
        forward(request, url, settings, ar.result(), startNanos, attempt);
      } else {
        fail(request, url, null, asGatewayError(url.resource(), ar.cause()), startNanos);
      }
    });
  }

  private void forward(HttpServerRequest request, VirtualUrl url, ResourceSettings settings, Lease lease,
                       long startNanos, int attempt) {
    if (request.response().closed()) {
      lease.release();
      return;
    }
    MultiMap extra = NO_HEADERS;
    if (lease.wasHeld()) {
      extra = MultiMap.caseInsensitiveMultiMap().add(WAIT_HEADER, Long.toString(lease.waitedMillis()));
    }
    ForwardTarget target = new ForwardTarget(lease.host(), lease.port(), url.forwardUri(),
        forwardedPrefix(request.path(), url.forwardPath()), url.groups(), settings.connectTimeout(),
        settings.responseTimeout(), config.server().maxBodyBytes(), extra, config.server().bodyIdleTimeout(),
        request.remoteAddress() != null && config.server().trustsProxy(request.remoteAddress().hostAddress()));
    forwarder.forward(request, target, lease::answered)
        .onComplete(ar -> finished(request, url, settings, lease, ar, startNanos, attempt));
  }

  private void finished(HttpServerRequest request, VirtualUrl url, ResourceSettings settings, Lease lease,
                        AsyncResult<ForwardOutcome> ar, long startNanos, int attempt) {
    if (ar.succeeded()) {
      lease.release();
      ForwardOutcome outcome = ar.result();
      log(request, url, lease.instanceId(), outcome.status(), lease.waitedMillis(), startNanos,
          outcome.requestBytes(), outcome.responseBytes(), null);
      return;
    }
    Throwable cause = ar.cause();
    if (!(cause instanceof ForwardException fe)) {
      lease.release();
      fail(request, url, lease.instanceId(), new GatewayException(ErrorType.BACKEND_FAILED,
          "forwarding failed: " + cause.getMessage(), url.resource(), null, cause), startNanos);
      return;
    }
    GatewayException error = fe.problem().resource() == null ? fe.problem().withResource(url.resource()) : fe.problem();
    boolean unreachable = fe.vmUnreachable();
    if (unreachable) {
      // The VM refused, reset or did not accept the connection: it leaves rotation now, not at its next ping.
      // Never for the gateway's own saturation (a busy pool, no file descriptor): see ConnectFailure.
      lease.releaseUnreachable();
    } else {
      lease.release();
    }
    if (fe.clientClosed() || fe.responseStarted()) {
      // Nobody to answer, or the client's connection was already reset: never a truncated success.
      log(request, url, lease.instanceId(), fe.clientClosed() ? ErrorType.CLIENT_CLOSED.status() : error.type().status(),
          lease.waitedMillis(), startNanos, 0, 0, error.type().slug() + ": " + error.detail());
      return;
    }
    if (attempt == 0 && fe.requestReplayable() && error.type() == ErrorType.BACKEND_FAILED
        && (!fe.vmReached() || isIdempotent(request.method()))) {
      // Retried once: a request that never reached the VM goes to a fresh one whatever its method; an
      // idempotent one that was reset before any response byte (a stale keep-alive connection) goes again.
      Lease again = lifecycle.tryLease(url.resource(), url.groups());
      if (again != null) {
        forward(request, url, settings, again, startNanos, 1);
      } else {
        holdThenForward(request, url, settings, startNanos, 1);
      }
      return;
    }
    fail(request, url, lease.instanceId(), error, startNanos);
  }

  private static boolean isIdempotent(HttpMethod method) {
    return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS
        || method == HttpMethod.PUT || method == HttpMethod.DELETE || method == HttpMethod.TRACE;
  }

  private void fail(HttpServerRequest request, VirtualUrl url, String instance, GatewayException error, long startNanos) {
    ProblemResponder.respond(request, error);
    log(request, url, instance, error.type().status(), 0, startNanos, 0, 0, error.type().slug() + ": " + error.detail());
  }

  private void log(HttpServerRequest request, VirtualUrl url, String instance, int status, long waitMs,
                   long startNanos, long bytesIn, long bytesOut, String error) {
    if (!AccessLog.enabled()) {
      return;
    }
    AccessLog.write(request.method().name(), request.uri(), url == null ? null : url.resource(),
        url == null ? null : url.groups().toString(), instance, status, waitMs,
        (System.nanoTime() - startNanos) / 1_000_000, bytesIn, bytesOut, error);
  }

  /**
   * {@code StrictRequestDecoder} refuses ambiguous framing before a request gets here. Should it not be in
   * place (it warns then), this still refuses what Netty passes on: an HTTP/1.0 request with both lengths, a
   * Transfer-Encoding other than chunked. (A 1.1 request with both arrives here with the length dropped.)
   */
  private boolean framingIsSound(HttpServerRequest request, long startNanos) {
    if (request.version() == HttpVersion.HTTP_2) {
      return true;
    }
    MultiMap headers = request.headers();
    String violation = RequestFraming.violation(request.version() == HttpVersion.HTTP_1_0,
        headers.getAll(HttpHeaders.CONTENT_LENGTH), headers.getAll(HttpHeaders.TRANSFER_ENCODING));
    if (violation == null) {
      return true;
    }
    GatewayException error = new GatewayException(ErrorType.BAD_REQUEST, violation);
    ProblemResponder.respondAndClose(request, error);
    log(request, null, null, error.type().status(), 0, startNanos, 0, 0, error.type().slug() + ": " + violation);
    return false;
  }

  private void checkDeclaredLength(HttpServerRequest request, String resource) {
    String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (declared == null) {
      return;
    }
    long length;
    try {
      length = Long.parseLong(declared.trim());
    } catch (NumberFormatException e) {
      throw new GatewayException(ErrorType.BAD_REQUEST, "invalid Content-Length", resource);
    }
    if (length > config.server().maxBodyBytes()) {
      throw new GatewayException(ErrorType.BODY_TOO_LARGE, "the body (" + length + " bytes) is over the limit of "
          + config.server().maxBodyBytes() + " bytes", resource);
    }
  }

  private static GatewayException asGatewayError(String resource, Throwable cause) {
    return cause instanceof GatewayException ge ? ge
        : new GatewayException(ErrorType.BACKEND_FAILED, cause.toString(), resource, null, cause);
  }

  /** A browser navigating to the page (not an XHR or an API client): it can show a waiting page. */
  private static boolean isPageLoad(HttpServerRequest request) {
    HttpMethod method = request.method();
    return (method == HttpMethod.GET || method == HttpMethod.HEAD) && ProblemResponder.prefersHtml(request);
  }

  /** The part of the path the client used to reach the resource, for X-Forwarded-Prefix. */
  static String forwardedPrefix(String rawPath, String forwardPath) {
    if (rawPath.endsWith(forwardPath) && rawPath.length() > forwardPath.length()) {
      return rawPath.substring(0, rawPath.length() - forwardPath.length());
    }
    return rawPath;
  }
}
