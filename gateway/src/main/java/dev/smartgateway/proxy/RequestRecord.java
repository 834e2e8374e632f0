package dev.smartgateway.proxy;

import dev.smartgateway.access.GroupSet;

/**
 * What became of one request, handed to every {@link RequestHook} once it is over: the access log's fields
 * (README "Logs").
 *
 * @param method the request method ({@code ?} when the head could not be decoded)
 * @param uri the raw request URI as received
 * @param resource the resource, as soon as the URL named a valid one (also on a 400 about the rest of it); else null
 * @param groups the groups the URL asserted; null if it could not be parsed
 * @param instance the VM instance the request was (last) sent to; null if none
 * @param status the status the client got (101 for a WebSocket; 499 if it went away first)
 * @param waitMs time held waiting for a VM to become ready, also when the wait then failed
 * @param totalMs time from the request head to the end of its answer
 * @param bytesIn request body bytes passed on to the VM (for a WebSocket: client to VM)
 * @param bytesOut response body bytes sent to the client: the VM's, a problem's or the waiting page's
 * @param error {@code <problem slug>: <detail>} for a failure ({@code starting} for the waiting page); null otherwise
 * @param held whether the request was held for a VM (a cold request), also when that wait then failed
 * @param firstByteMs for a held request the VM answered: time from the request head to the VM's response head (its
 *                    first byte to the client); -1 otherwise (the warm path does not read the clock for it)
 * @param cache what the response cache did: {@code HIT} (answered from it, no VM), {@code MISS} (answered by the VM),
 *              {@code none} (the request could not use it: not GET or HEAD, no-cache, conditional...); null when the
 *              resource has no cache
 * @param protocol how the client spoke: {@code HTTP/1.0}, {@code HTTP/1.1} or {@code HTTP/2}; null when the head could
 *                 not be decoded
 */
public record RequestRecord(String method, String uri, String resource, GroupSet groups, String instance, int status,
                            long waitMs, long totalMs, long bytesIn, long bytesOut, String error, boolean held,
                            long firstByteMs, String cache, String protocol) {

  /** A record of a request over HTTP/1.1. */
  public RequestRecord(String method, String uri, String resource, GroupSet groups, String instance, int status,
                       long waitMs, long totalMs, long bytesIn, long bytesOut, String error, boolean held,
                       long firstByteMs, String cache) {
    this(method, uri, resource, groups, instance, status, waitMs, totalMs, bytesIn, bytesOut, error, held, firstByteMs,
        cache, "HTTP/1.1");
  }

  /** A record of a request whose resource has no cache. */
  public RequestRecord(String method, String uri, String resource, GroupSet groups, String instance, int status,
                       long waitMs, long totalMs, long bytesIn, long bytesOut, String error, boolean held,
                       long firstByteMs) {
    this(method, uri, resource, groups, instance, status, waitMs, totalMs, bytesIn, bytesOut, error, held, firstByteMs,
        null);
  }

  /** A record without the cold-request figures (not held). */
  public RequestRecord(String method, String uri, String resource, GroupSet groups, String instance, int status,
                       long waitMs, long totalMs, long bytesIn, long bytesOut, String error) {
    this(method, uri, resource, groups, instance, status, waitMs, totalMs, bytesIn, bytesOut, error, false, -1);
  }
}
