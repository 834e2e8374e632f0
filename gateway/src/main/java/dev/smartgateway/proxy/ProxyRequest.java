package dev.smartgateway.proxy;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.config.ResourceSettings;
import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import dev.smartgateway.error.ProblemResponder;
import dev.smartgateway.lifecycle.Lease;
import dev.smartgateway.routing.VirtualUrl;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * One request on its way through the stages (parse, access, acquire, forward, finish): what each stage
 * learnt, for the next ones and for the {@link RequestRecord} at the end. Mutable, and touched by one stage
 * at a time; the answer's fields (status, bytes, error) are set by whichever stage answers.
 */
final class ProxyRequest {

  final HttpServerRequest request;
  final long startNanos;

  VirtualUrl url;
  /** The request's target in origin form (path and query, raw): what a waiting page moves on to. */
  String originUri;
  /** The status URL of a start ({@code /{prefix}/_status/...}), not a virtual URL: answered by {@link StatusStage}. */
  boolean statusUrl;
  /** Known as early as the URL names a valid resource, even if the rest of the URL is refused. */
  String resource;
  GroupSet groups;
  /** The verified token's subject ({@code access.groups: jwt}), sent to the VM; null otherwise. */
  String subject;
  ResourceSettings settings;
  /** The lease being forwarded on; null before acquire and once released. */
  Lease lease;
  /** The instance last forwarded to, for the record. */
  String instance;
  /** 0, or 1 for the one retry after a failure that never reached (or was reset by) the VM. */
  int attempt;
  /** The last retry was for a stale keep-alive connection (the VM was reached, or its connection was). */
  boolean staleRetry;
  /** Whether the request was held for a VM, and for how long in all (measured around each wait). */
  boolean held;
  long waitMs;
  /** When the VM's response head arrived, for a held request (System.nanoTime); -1 until then, and when not held. */
  long firstByteNanos = -1;
  /** What the response cache did (CacheStage: HIT, MISS or none); null when the resource has no cache. */
  String cache;
  /** Fills the cache from the VM's answer (a miss that may be stored); null otherwise. */
  CacheFill cacheFill;

  int status;
  long bytesIn;
  long bytesOut;
  String error;
  private boolean finished;

  ProxyRequest(HttpServerRequest request, long startNanos) {
    this.request = request;
    this.startNanos = startNanos;
  }

  /** True once a stage has answered the client (or found it gone): the remaining stages are skipped. */
  boolean answered() {
    return status != 0;
  }

  /**
   * Until the forwarder takes the request over (and while it is held): a body that turns out malformed (a
   * broken chunk) gets its 400 before Vert.x closes the connection, not a silent close.
   */
  void guardBody() {
    request.exceptionHandler(err -> {
      if (!(err instanceof HttpClosedException) && !answered()) {
        failAndClose(new GatewayException(ErrorType.BAD_REQUEST, "malformed request body: " + err.getMessage(),
            resource));
      }
    });
  }

  /** Answers with the problem and records it. */
  void fail(GatewayException problem) {
    failed(problem, ProblemResponder.respond(request, problem));
  }

  /** Answers with the problem and closes the connection (untrustworthy framing), and records it. */
  void failAndClose(GatewayException problem) {
    failed(problem, ProblemResponder.respondAndClose(request, problem));
  }

  /** Records a failure whose answer is already on its way (or could not be given); bytesOut as sent. */
  void failed(GatewayException problem, long bodyBytesSent) {
    status = problem.type().status();
    error = problem.type().slug() + ": " + problem.detail();
    bytesOut = bodyBytesSent;
    if (resource == null) {
      resource = problem.resource();
    }
  }

  /** The client went away before its answer: logged as 499 (nginx's convention); nothing is sent. */
  void clientClosed(String detail) {
    status = ErrorType.CLIENT_CLOSED.status();
    error = ErrorType.CLIENT_CLOSED.slug() + ": " + detail;
  }

  /** Marks the request finished; true only the first time, so the end-of-request hook runs once. */
  boolean finish() {
    if (finished) {
      return false;
    }
    finished = true;
    return true;
  }

  boolean isFinished() {
    return finished;
  }

  RequestRecord toRecord(long nowNanos) {
    HttpMethod method = request.method();
    String uri = request.uri();
    return new RequestRecord(method == null ? "?" : method.name(), uri == null ? "" : uri, resource, groups,
        instance, status, waitMs, (nowNanos - startNanos) / 1_000_000, bytesIn, bytesOut, error, held,
        firstByteNanos < 0 ? -1 : (firstByteNanos - startNanos) / 1_000_000, cache, protocol(request.version()));
  }

  /** As the access log writes it. */
  static String protocol(HttpVersion version) {
    if (version == null) {
      return null;
    }
    return switch (version) {
      case HTTP_1_0 -> "HTTP/1.0";
      case HTTP_1_1 -> "HTTP/1.1";
      case HTTP_2 -> "HTTP/2";
      default -> version.alpnName();
    };
  }
}
