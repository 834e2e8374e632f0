package dev.smartgateway.admin;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;

/**
 * Why a target's exchange failed below HTTP, as the {@code error.type} of its line. Anything the gateway
 * answered, even with an error status, is not one of these: it is an answer.
 *
 * @param type   {@code timeout}: the per-target timeout passed; {@code connect}: the gateway's listener could
 *               not be reached; {@code connection}: the connection closed or was reset before the answer was
 *               whole; {@code protocol}: the answer could not be read as HTTP (e.g. a head over the client's limit)
 * @param detail what happened, for people
 */
record TargetFailure(String type, String detail) {

  static TargetFailure timeout(String detail) {
    return new TargetFailure("timeout", detail);
  }

  static TargetFailure of(Throwable error) {
    String detail = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    if (error instanceof ConnectException || error instanceof NoRouteToHostException
        || error instanceof UnknownHostException || error instanceof io.netty.channel.ConnectTimeoutException) {
      return new TargetFailure("connect", "cannot connect to the gateway's public listener: " + detail);
    }
    if (error instanceof HttpClosedException || error instanceof StreamResetException
        || error instanceof java.io.IOException) {
      return new TargetFailure("connection", "the connection ended before the answer was complete: " + detail);
    }
    if (error instanceof DecoderException || error instanceof TooLongFrameException
        || error instanceof IllegalArgumentException) {
      return new TargetFailure("protocol", "the answer is not readable HTTP: " + detail);
    }
    return new TargetFailure("connection", detail);
  }
}
