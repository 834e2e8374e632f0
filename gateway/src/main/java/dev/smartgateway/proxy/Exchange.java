package dev.smartgateway.proxy;

import dev.smartgateway.config.ResourceSettings.Protocol;
import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One forwarded HTTP exchange. All callbacks run on the server request's context, so the state needs no
 * synchronisation; {@code finished} makes every late event (a reset answering our own reset, a timer, a
 * close) a no-op once the outcome is decided.
 */
final class Exchange {

  private static final String HTTP = "http";
  private static final String HTTPS = "https";
  private static final String TE = "te";

  private final Vertx vertx;
  private final Context context;
  private final VmClients clients;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final ForwardTarget target;
  private final Promise<ForwardOutcome> promise = Promise.promise();
  /** Told once when the VM's response head (or 101) arrives; null once told, or if nobody asked. */
  private Runnable answered;
  /** Sees the VM's response as it streams (the response cache); {@link ResponseTap#NONE} for nobody. */
  private final ResponseTap tap;

  private long contentLength = -1;
  private boolean upgrade;
  private boolean bodyExpected;
  private HttpClientRequest upstream;
  private HttpClientResponse upstreamResponse;
  private boolean noResponseBody;
  private long requestBytes;
  private long responseBytes;
  /** The client's request end was read and passed on: nothing of the request is left. */
  private boolean requestEnded;
  /** Status and headers were put on the client response; from here on a failure can only reset. */
  private boolean headApplied;
  /** The client cannot tell where the body ends (HTTP/1.0, no Content-Length): closing marks it. */
  private boolean closeAfterEnd;
  private boolean finished;
  /** A connection to the VM was obtained: from here on, the VM may have seen the request. */
  private boolean vmReached;
  /** No connection could be had, by the VM's own fault (ConnectFailure). */
  private boolean vmUnreachable;
  /** The VM's answer is awaited until then (ForwardTarget.responseTimeout); null when not running. */
  private ResponseDeadlines.Deadline responseDeadline;
  /** Checks that the client's body keeps coming (ForwardTarget.bodyIdleTimeout); -1 when not running. */
  private long bodyTimer = -1;
  private long lastBodyProgressNanos;
  /** The gateway paused the client's body itself (the VM reads slowly): that is no stall of the client's. */
  private boolean bodyHeldBack;

  /** @param context the request's own context: every handler of the exchange runs there */
  Exchange(Vertx vertx, Context context, VmClients clients, HttpServerRequest request, ForwardTarget target,
           Runnable answered, ResponseTap tap) {
    this.vertx = vertx;
    this.context = context;
    this.clients = clients;
    this.request = request;
    this.response = request.response();
    this.target = target;
    this.answered = answered;
    this.tap = tap == null ? ResponseTap.NONE : tap;
  }

  Future<ForwardOutcome> future() {
    return promise.future();
  }

  /** Must run on the request's context. */
  void start() {
    try {
      begin();
    } catch (RuntimeException e) {
      // A request the caller already answered or that was read before forward(): a programming error upstream,
      // but it must still end in a failed future, never a hung one.
      abort(new GatewayException(ErrorType.BAD_REQUEST, "The request cannot be forwarded: " + e.getMessage()),
          e, false);
    }
  }

  /** Fails at once, as when the gateway shuts down; the request is untouched and could go elsewhere. */
  void refuse(GatewayException problem) {
    finished = true;
    promise.fail(new ForwardException(problem, true, false, false, ForwardException.State.NOTHING, null));
  }

  private void begin() {
    response.closeHandler(v -> onClientClosed());
    request.exceptionHandler(this::onClientError);
    if (response.closed()) {
      onClientClosed();
      return;
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      try {
        contentLength = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        contentLength = -2;
      }
      if (contentLength < 0) {
        abort(new GatewayException(ErrorType.BAD_REQUEST, "Invalid Content-Length"), null, false);
        return;
      }
      if (contentLength > target.maxBodyBytes()) {
        abort(tooLarge(), null, false);
        return;
      }
    }
    bodyExpected = contentLength > 0
        || contentLength < 0 && (request.headers().contains(HttpHeaders.TRANSFER_ENCODING)
        || request.version() == HttpVersion.HTTP_2 && request.method() != HttpMethod.GET
        && request.method() != HttpMethod.HEAD);
    upgrade = request.version() != HttpVersion.HTTP_2 && HeaderRules.isWebSocketUpgrade(request.headers());
    RequestOptions options = new RequestOptions()
        .setMethod(request.method())
        .setHost(target.host())
        .setPort(target.port())
        .setURI(target.uri())
        .setFollowRedirects(false);
    // An upgrade is an HTTP/1.1 mechanism: it goes over HTTP/1.1 even to an h2c VM (which speaks both).
    HttpClientAgent client = upgrade ? clients.upgradeClient(target.connectTimeout())
        : clients.client(target.connectTimeout(), target.protocol());
    if (upgrade) {
      // A connection of its own, outside the pool (see Forwarder): a WebSocket may stay open for hours.
      client.connect(new HttpConnectOptions().setHost(target.host()).setPort(target.port()))
          .compose(connection -> {
            promise.future().onComplete(done -> connection.close());
            return connection.request(options);
          })
          .onComplete(this::onConnected);
      return;
    }
    // The pool's timer covers queueing for a busy pool and opening a connection; see VmClients.
    options.setConnectTimeout(clients.poolTimeoutMillis(target.connectTimeout()));
    client.request(options).onComplete(this::onConnected);
  }

  private void onConnected(AsyncResult<HttpClientRequest> ar) {
    if (ar.failed()) {
      if (!finished) {
        String pool = clients.options().connectionsPerVm()
            + (target.protocol() == Protocol.H2C ? " streams" : " connections");
        ConnectFailure failure = ConnectFailure.classify(ar.cause(), pool,
            Duration.ofMillis(clients.poolTimeoutMillis(target.connectTimeout())));
        vmUnreachable = failure.vmAtFault();
        abort(failure.problem(), ar.cause(), false);
      }
      return;
    }
    HttpClientRequest up = ar.result();
    if (finished) {
      // The client went first (an HTTP/2 reset flood does it by the thousand): our own reset is no error to log.
      up.exceptionHandler(err -> { });
      up.reset();
      return;
    }
    upstream = up;
    vmReached = true;
    upstreamHeaders(up.headers());
    if (!upgrade && target.protocol() == Protocol.H2C) {
      h2cHead(up);
    }
    if (upgrade) {
      startUpgrade(up);
      return;
    }
    if (bodyExpected && contentLength < 0) {
      up.setChunked(true);
    }
    up.exceptionHandler(this::onUpstreamError);
    up.response().onComplete(this::onResponse);
    boolean waitsForContinue = "100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT));
    if (waitsForContinue) {
      // The client waits for 100 before sending its body; only the VM may grant it, so the head goes out now.
      up.continueHandler(v -> onContinue());
      up.sendHead();
      // The VM owes a 100 or a final answer now, not only once the body is in: a client that waits for the
      // 100 sends nothing, so without this a silent VM would hold the exchange until the idle timeout.
      startResponseTimer();
    }
    if (request.isEnded()) {
      // Replayed after an earlier attempt already read the (empty) body.
      onClientEnd();
      return;
    }
    up.drainHandler(v -> {
      if (!finished && !requestEnded) {
        bodyHeldBack = false;
        lastBodyProgressNanos = System.nanoTime();
        request.resume();
      }
    });
    request.handler(this::onClientChunk);
    request.endHandler(v -> onClientEnd());
    if (!waitsForContinue) {
      startBodyTimer();
    }
    request.resume();
  }

  private void startUpgrade(HttpClientRequest up) {
    MultiMap headers = up.headers();
    headers.set(HttpHeaders.UPGRADE, request.getHeader(HttpHeaders.UPGRADE));
    headers.set(HttpHeaders.CONNECTION, HttpHeaders.UPGRADE);
    headers.remove("te");
    up.exceptionHandler(this::onUpstreamError);
    up.connect().onComplete(this::onUpgradeAnswer);
    // An upgrade request has no body; its end must still be read for the connection to be handed over.
    requestEnded = true;
    if (!request.isEnded()) {
      request.endHandler(v -> { });
      request.resume();
    }
    startResponseTimer();
  }

  private void onUpgradeAnswer(AsyncResult<HttpClientResponse> ar) {
    if (ar.succeeded() && ar.result().statusCode() == 101 && finished) {
      ar.result().netSocket().close();
      return;
    }
    if (ar.failed() || finished || ar.result().statusCode() != 101) {
      onResponse(ar); // a refusal (e.g. 400, 403) is relayed as an ordinary response
      return;
    }
    cancelResponseTimer();
    tellAnswered();
    HttpClientResponse r = ar.result();
    upstreamResponse = r;
    NetSocket vm = r.netSocket();
    // Frames the VM sends right after its 101 wait here until the client side is spliced in.
    vm.pause();
    MultiMap headers = response.headers();
    HeaderRules.copyEndToEnd(r.headers(), headers);
    headers.set(HttpHeaders.UPGRADE, r.getHeader(HttpHeaders.UPGRADE));
    headers.set(HttpHeaders.CONNECTION, HttpHeaders.UPGRADE);
    HeaderRules.putAll(target.extraResponseHeaders(), headers);
    headApplied = true;
    finished = true; // from here the splice owns the outcome
    request.toNetSocket().onComplete(sr -> {
      if (sr.succeeded()) {
        new Splice(vertx, context, sr.result(), vm, promise, clients.options().webSocketIdleTimeout()).start();
      } else {
        vm.close();
        promise.fail(new ForwardException(clientGone(), false, true, true, state(), sr.cause()));
      }
    });
  }

  /** Fills the headers of a request to the VM: the client's end-to-end headers plus the forwarding ones. */
  private void upstreamHeaders(MultiMap headers) {
    HeaderRules.copyEndToEnd(request.headers(), headers);
    if (request.version() == HttpVersion.HTTP_2) {
      HeaderRules.fromHttp2(headers);
    }
    HeaderRules.passTrailersAcceptance(request.headers(), headers);
    String host = request.getHeader(HttpHeaders.HOST);
    if (host == null) {
      HostAndPort authority = request.authority();
      if (authority != null) {
        host = authority.port() >= 0 ? authority.host() + ':' + authority.port() : authority.host();
        headers.set(HttpHeaders.HOST, host);
      }
    }
    SocketAddress remote = request.remoteAddress();
    String clientIp = remote == null || remote.hostAddress() == null ? "unknown" : remote.hostAddress();
    HeaderRules.addForwarded(headers, clientIp, request.isSSL() ? HTTPS : HTTP, host, target.forwardedPrefix(),
        target.fromTrustedProxy());
    if (target.groups() != null) {
      headers.set(HeaderRules.GROUPS, target.groups().toString());
    }
    HeaderRules.putAll(target.extraRequestHeaders(), headers);
  }

  /**
   * What differs towards an h2c VM: the client's {@code Host} becomes the {@code :authority} (an HTTP/2 request
   * carries it there, and the VM's app builds its links from it), and {@code TE: trailers}, which is hop-by-hop
   * and dropped with the rest, is said again when the client said it: the one TE value HTTP/2 allows, and the
   * one gRPC servers look for, since trailers are where a gRPC status travels; no {@code Connection} field.
   */
  private void h2cHead(HttpClientRequest up) {
    MultiMap headers = up.headers();
    String host = headers.get(HttpHeaders.HOST);
    headers.remove(HttpHeaders.HOST);
    HostAndPort authority = host == null ? null : HostAndPort.parseAuthority(host, -1);
    if (authority != null) {
      up.authority(authority);
    }
    if (HeaderRules.listsToken(HeaderRules.joinedValues(request.headers(), TE), "trailers")) {
      headers.set(TE, "trailers");
    }
    // HTTP/2 has no connection-specific fields (RFC 9113 8.2.2): the Connection: te said for an HTTP/1.1 VM would
    // make an h2c VM refuse the stream as malformed.
    headers.remove(HttpHeaders.CONNECTION);
  }

  private void onContinue() {
    if (!finished && !headApplied) {
      cancelResponseTimer();
      response.writeContinue();
      startBodyTimer();
    }
  }

  private void onClientChunk(Buffer chunk) {
    if (finished || chunk.length() == 0) {
      // Nothing to pass on: an HTTP/2 client may end its stream with an empty DATA frame, even after a
      // Content-Length of 0 (gRPC clients half-close that way).
      return;
    }
    if (!bodyExpected) {
      abort(new GatewayException(ErrorType.BAD_REQUEST, "A " + request.method() + " body needs a Content-Length"),
          null, false);
      return;
    }
    requestBytes += chunk.length();
    lastBodyProgressNanos = System.nanoTime();
    if (requestBytes > target.maxBodyBytes()) {
      abort(tooLarge(), null, false);
      return;
    }
    upstream.write(chunk);
    if (upstream.writeQueueFull()) {
      bodyHeldBack = true;
      request.pause();
    }
  }

  private void onClientEnd() {
    if (finished || requestEnded) {
      return;
    }
    requestEnded = true;
    cancelBodyTimer();
    upstream.end();
    if (upstreamResponse == null) {
      startResponseTimer();
    }
  }

  /**
   * One timer per body, not one per chunk: it fires after the idle limit, and goes back to sleep for the
   * rest of the limit if the body moved meanwhile.
   */
  private void startBodyTimer() {
    if (bodyTimer >= 0 || requestEnded || !bodyExpected || request.isEnded() || target.bodyIdleTimeout().isZero()) {
      return;
    }
    lastBodyProgressNanos = System.nanoTime();
    scheduleBodyCheck(target.bodyIdleTimeout().toMillis());
  }

  private void scheduleBodyCheck(long delayMs) {
    bodyTimer = vertx.setTimer(Math.max(1, delayMs), id -> onBodyCheck());
  }

  private void onBodyCheck() {
    bodyTimer = -1;
    if (finished || requestEnded) {
      return;
    }
    long limitMs = target.bodyIdleTimeout().toMillis();
    long idleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastBodyProgressNanos);
    if (bodyHeldBack || idleMs < limitMs) {
      scheduleBodyCheck(bodyHeldBack ? limitMs : limitMs - idleMs);
      return;
    }
    abort(new GatewayException(ErrorType.REQUEST_TIMEOUT,
        "The request body made no progress for " + limitMs + " ms"), null, false);
  }

  private void cancelBodyTimer() {
    if (bodyTimer >= 0) {
      vertx.cancelTimer(bodyTimer);
      bodyTimer = -1;
    }
  }

  private void startResponseTimer() {
    cancelResponseTimer();
    responseDeadline = ResponseDeadlines.of(vertx, context).start(target.responseTimeout().toMillis(),
        this::onResponseTimeout);
  }

  private void onResponseTimeout() {
    responseDeadline = null;
    if (finished || upstreamResponse != null) {
      return;
    }
    abort(new GatewayException(ErrorType.BACKEND_TIMEOUT,
        "The VM sent no answer within " + target.responseTimeout().toMillis() + " ms"), null, false);
  }

  private void onResponse(AsyncResult<HttpClientResponse> ar) {
    if (ar.failed()) {
      onUpstreamError(ar.cause());
      return;
    }
    if (finished) {
      return;
    }
    cancelResponseTimer();
    tellAnswered();
    HttpClientResponse r = ar.result();
    upstreamResponse = r;
    int status = r.statusCode();
    noResponseBody = request.method() == HttpMethod.HEAD || status == 204 || status == 304 || status < 200;
    tap.head(status, r.statusMessage(), r.headers());
    r.exceptionHandler(this::onUpstreamError);
    r.handler(this::onResponseChunk);
    r.endHandler(v -> onResponseEnd());
    response.drainHandler(v -> {
      if (!finished) {
        r.resume();
      }
    });
    if (!noResponseBody) {
      // Head and body usually arrive in one read and leave in one write; a VM that sends its head and then
      // thinks (server-sent events, long polls) still gets its head to the client right after this read.
      context.runOnContext(v -> flushHead());
    }
  }

  private void flushHead() {
    if (finished || headApplied) {
      return;
    }
    if (request.version() == HttpVersion.HTTP_1_0 && !upstreamResponse.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
      return; // a close-delimited HTTP/1.0 head can only go out with its first body bytes
    }
    applyHead();
    response.writeHead();
  }

  private void applyHead() {
    headApplied = true;
    HttpClientResponse r = upstreamResponse;
    int status = r.statusCode();
    response.setStatusCode(status);
    String message = r.statusMessage();
    if (message != null && !message.equals(HttpResponseStatus.valueOf(status).reasonPhrase())) {
      response.setStatusMessage(message);
    }
    MultiMap headers = response.headers();
    HeaderRules.copyEndToEnd(r.headers(), headers);
    HeaderRules.putAll(target.extraResponseHeaders(), headers);
    if (!noResponseBody && !headers.contains(HttpHeaders.CONTENT_LENGTH)) {
      if (request.version() == HttpVersion.HTTP_1_0) {
        closeAfterEnd = true;
      } else {
        response.setChunked(true);
      }
    }
  }

  private void onResponseChunk(Buffer chunk) {
    if (finished) {
      return;
    }
    if (!headApplied) {
      applyHead();
    }
    responseBytes += chunk.length();
    tap.chunk(chunk);
    response.write(chunk);
    if (response.writeQueueFull()) {
      upstreamResponse.pause();
    }
  }

  private void onResponseEnd() {
    if (finished) {
      return;
    }
    if (!headApplied) {
      applyHead();
    }
    finished = true;
    cancelResponseTimer();
    cancelBodyTimer();
    MultiMap trailers = upstreamResponse.trailers();
    tap.end(trailers);
    // HTTP/2 carries trailers on any response; HTTP/1.1 only after a chunked body. (Where gRPC puts its status.)
    if (!trailers.isEmpty() && (request.version() == HttpVersion.HTTP_2 || response.isChunked())) {
      HeaderRules.copyEndToEnd(trailers, response.trailers());
    }
    boolean close = closeAfterEnd;
    if (!requestEnded) {
      // The VM answered without reading the whole body: the rest can neither be relayed nor skipped safely
      // on a connection that stays open, so both connections end with this exchange. (A reset does not do it
      // here: once the response has ended it would hand the connection, still owing body bytes, back to the pool.)
      // Over HTTP/2 only the stream is owed anything: resetting it leaves the connection's other streams alone.
      if (target.protocol() == Protocol.H2C) {
        upstream.reset();
      } else {
        upstream.connection().close();
      }
      detachRequest();
      close |= request.version() != HttpVersion.HTTP_2;
    }
    boolean closeConnection = close;
    int status = response.getStatusCode();
    response.end().onComplete(ar -> {
      if (closeConnection) {
        request.connection().close();
      }
      if (ar.succeeded()) {
        promise.complete(new ForwardOutcome(status, requestBytes, responseBytes));
      } else {
        promise.fail(new ForwardException(clientGone(), false, true, true, state(), ar.cause()));
      }
    });
  }

  private void onUpstreamError(Throwable cause) {
    if (finished) {
      return;
    }
    GatewayException refused = BadResponse.classify(cause, upstreamResponse != null, clients.options());
    if (refused != null) {
      abort(refused, cause, false);
      return;
    }
    String detail = upstreamResponse == null
        ? "The VM closed the connection before answering"
        : "The VM connection failed while sending the response";
    abort(new GatewayException(ErrorType.BACKEND_FAILED, detail, null, null, cause), cause, false);
  }

  private void onClientError(Throwable cause) {
    if (finished) {
      return;
    }
    if (cause instanceof HttpClosedException) {
      onClientClosed();
    } else {
      abort(new GatewayException(ErrorType.BAD_REQUEST, "Reading the request failed: " + cause.getMessage()),
          cause, false);
    }
  }

  private void onClientClosed() {
    if (!finished) {
      abort(clientGone(), null, true);
    }
  }

  /**
   * Ends the exchange as failed: aborts the upstream request, resets the client connection if the response
   * had begun, and otherwise leaves the request paused and handler-free for the caller's answer or replay.
   */
  private void abort(GatewayException problem, Throwable cause, boolean clientClosed) {
    if (finished) {
      return;
    }
    finished = true;
    cancelResponseTimer();
    cancelBodyTimer();
    tap.abort();
    if (upstream != null) {
      upstream.reset();
    }
    boolean started = headApplied;
    if (started && !clientClosed) {
      ClientReset.reset(request);
    }
    if (!started && !clientClosed) {
      detachRequest();
      response.drainHandler(null);
    }
    boolean replayable = !started && !clientClosed && requestBytes == 0;
    promise.fail(new ForwardException(problem, replayable, started, clientClosed, state(), cause));
  }

  private void detachRequest() {
    if (request.isEnded()) {
      return; // nothing left to read: a whole body, or an HTTP/2 stream the client reset (pausing one throws)
    }
    request.pause();
    request.handler(null);
    request.endHandler(null);
  }

  private void cancelResponseTimer() {
    if (responseDeadline != null) {
      responseDeadline.cancel();
      responseDeadline = null;
    }
  }

  private GatewayException tooLarge() {
    return new GatewayException(ErrorType.BODY_TOO_LARGE,
        "The request body exceeds the limit of " + target.maxBodyBytes() + " bytes");
  }

  private static GatewayException clientGone() {
    return new GatewayException(ErrorType.CLIENT_CLOSED, "The client closed the connection");
  }

  private ForwardException.State state() {
    return new ForwardException.State(vmReached, vmUnreachable, requestBytes, responseBytes);
  }

  /** The VM answered (its head or 101 is in): tells the caller once, while the exchange is live. */
  private void tellAnswered() {
    Runnable told = answered;
    if (told != null) {
      answered = null;
      told.run();
    }
  }
}
