package dev.smartgateway.admin;

import dev.smartgateway.access.GroupSet;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

import java.time.Duration;
import java.util.List;

/**
 * A fan-out as asked for, parsed and checked ({@link FanoutRequestReader}): what to send, to whom, and the
 * bounds it runs under. Exactly one of {@code targets} and {@code pattern} is set.
 *
 * @param targets      the resources named, duplicates removed, in the order given; null with a pattern
 * @param pattern      the resource name pattern; null with targets
 * @param groups       the groups every request is sent with (the virtual URL's groups segment)
 * @param method       the request method
 * @param path         the forwarded path, starting with {@code /}, with its query if any
 * @param headers      request headers to send (none of them hop-by-hop or framing)
 * @param body         the request body, sent with a Content-Length; null for none
 * @param concurrency  requests in flight at once, at most
 * @param timeout      per target, from sending to the last byte of the answer; covers a cold start
 * @param maxBodyBytes bytes of each answer's body a line carries
 */
record FanoutRequest(List<String> targets, GlobPattern pattern, GroupSet groups, HttpMethod method, String path,
                     MultiMap headers, Buffer body, int concurrency, Duration timeout, long maxBodyBytes) {

  FanoutRequest {
    if ((targets == null) == (pattern == null)) {
      throw new IllegalArgumentException("exactly one of targets and pattern");
    }
    targets = targets == null ? null : List.copyOf(targets);
  }
}
