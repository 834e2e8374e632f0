package dev.smartgateway.proxy;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.config.ResourceSettings.Protocol;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to forward one request.
 *
 * @param host the VM's address
 * @param port the VM's port
 * @param uri raw path and query to send, byte for byte as the client wrote them (e.g. {@code /hello?x=1})
 * @param forwardedPrefix sent as {@code X-Forwarded-Prefix} (e.g. {@code /smart_proxy/demo/g1}); null for none
 * @param groups sent as {@code X-Smart-Gateway-Groups: g1,g2}; null to send none
 * @param connectTimeout TCP connect timeout to the VM before 502 (waiting for a pooled connection is bounded
 *     separately, by {@link ForwarderOptions#connectionWait()}, with 503 gateway-busy)
 * @param responseTimeout time from the request being fully sent to the VM to its response head before 504
 *     (with {@code Expect: 100-continue}: also from the head being sent to the VM's 100 or answer)
 * @param maxBodyBytes request body limit before 413; {@link Long#MAX_VALUE} for none
 * @param extraResponseHeaders added to the client's response (e.g. {@code X-Smart-Gateway-Wait-Ms}); may be
 *     null or empty
 * @param bodyIdleTimeout a client request body that makes no progress for this long (not counting time the
 *     gateway itself holds it back because the VM reads slowly) fails with 408; {@link Duration#ZERO} for never
 * @param fromTrustedProxy whether the client is a trusted proxy whose forwarding headers are kept (see
 *     {@link HeaderRules#addForwarded})
 * @param extraRequestHeaders set on the request to the VM after the client's headers and the forwarding ones (e.g.
 *     {@code X-Smart-Gateway-Subject}); may be null or empty
 * @param protocol how to speak to the VM: HTTP/1.1, or h2c (HTTP/2 with prior knowledge); WebSocket upgrades go
 *     over HTTP/1.1 either way
 */
public record ForwardTarget(String host, int port, String uri, String forwardedPrefix, GroupSet groups,
                            Duration connectTimeout, Duration responseTimeout, long maxBodyBytes,
                            MultiMap extraResponseHeaders, Duration bodyIdleTimeout, boolean fromTrustedProxy,
                            MultiMap extraRequestHeaders, Protocol protocol) {

  /** To a VM spoken to over HTTP/1.1, adding no request header of its own beyond the groups. */
  public ForwardTarget(String host, int port, String uri, String forwardedPrefix, GroupSet groups,
                       Duration connectTimeout, Duration responseTimeout, long maxBodyBytes,
                       MultiMap extraResponseHeaders, Duration bodyIdleTimeout, boolean fromTrustedProxy) {
    this(host, port, uri, forwardedPrefix, groups, connectTimeout, responseTimeout, maxBodyBytes, extraResponseHeaders,
        bodyIdleTimeout, fromTrustedProxy, null, Protocol.HTTP1);
  }

  public ForwardTarget {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(responseTimeout, "responseTimeout");
    Objects.requireNonNull(bodyIdleTimeout, "bodyIdleTimeout");
    Objects.requireNonNull(protocol, "protocol");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (uri.isEmpty() || uri.charAt(0) != '/') {
      throw new IllegalArgumentException("uri must start with '/': " + uri);
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be positive: " + connectTimeout);
    }
    if (responseTimeout.isNegative() || responseTimeout.isZero()) {
      throw new IllegalArgumentException("responseTimeout must be positive: " + responseTimeout);
    }
    if (bodyIdleTimeout.isNegative()) {
      throw new IllegalArgumentException("bodyIdleTimeout must not be negative: " + bodyIdleTimeout);
    }
    if (maxBodyBytes < 0) {
      throw new IllegalArgumentException("maxBodyBytes must not be negative: " + maxBodyBytes);
    }
  }
}
