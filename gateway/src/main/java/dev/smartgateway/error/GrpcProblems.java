package dev.smartgateway.error;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.nio.charset.StandardCharsets;

/**
 * A gateway error as a gRPC client understands it: a "trailers-only" response (HTTP 200,
 * {@code content-type: application/grpc}, {@code grpc-status}, {@code grpc-message}, no body), never a problem
 * document or a page, which a gRPC client could only report as a broken response. Over HTTP/2 it is a single
 * HEADERS frame that ends the stream, as gRPC servers send it; over HTTP/1.1 the same fields in the head of an
 * empty response.
 */
public final class GrpcProblems {

  static final String GRPC_STATUS = "grpc-status";
  static final String GRPC_MESSAGE = "grpc-message";
  private static final String GRPC_CONTENT_TYPE = "application/grpc";

  private GrpcProblems() {
  }

  /** A gRPC request: its content type is {@code application/grpc}, alone or with a suffix ({@code +proto}, ...). */
  public static boolean isGrpc(HttpServerRequest request) {
    String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
    return type != null && type.regionMatches(true, 0, GRPC_CONTENT_TYPE, 0, GRPC_CONTENT_TYPE.length());
  }

  /** Puts the trailers-only head of {@code error} on the (unwritten) response; the caller ends it without a body. */
  static void applyHead(HttpServerResponse response, GatewayException error) {
    response.setStatusCode(200);
    response.putHeader(HttpHeaders.CONTENT_TYPE, GRPC_CONTENT_TYPE);
    response.putHeader(GRPC_STATUS, Integer.toString(GrpcStatus.of(error.type()).code()));
    response.putHeader(GRPC_MESSAGE, percentEncode(message(error)));
    if (error.retryAfter() != null) {
      // Not read by gRPC clients, but by people and proxies looking at the exchange.
      response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, error.retryAfter().toSeconds())));
    }
  }

  /** The problem's type and detail, as {@code grpc-message} carries them before encoding: {@code start-timeout: ...}. */
  static String message(GatewayException error) {
    String resource = error.resource() == null ? "" : " (resource " + error.resource() + ")";
    return error.type().slug() + ": " + error.detail() + resource;
  }

  /**
   * {@code grpc-message} as the gRPC HTTP/2 protocol defines it: the UTF-8 bytes, each byte outside printable
   * ASCII (0x20–0x7E) and {@code %} itself written as {@code %XX}. A line break or non-ASCII text in a detail
   * would otherwise make an invalid header.
   */
  public static String percentEncode(String message) {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length + 8);
    for (byte b : bytes) {
      int c = b & 0xFF;
      if (c >= 0x20 && c <= 0x7E && c != '%') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    return out.toString();
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
}
