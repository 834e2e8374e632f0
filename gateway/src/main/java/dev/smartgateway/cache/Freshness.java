package dev.smartgateway.cache;

/**
 * Whether a response may be stored, and for how long it is fresh: what {@link CachePolicy} decides from its
 * status, its headers and the request's.
 *
 * @param refusal      why it may not be stored ({@code "no-store"}, {@code "status 500"}, ...); null when it may
 * @param lifetimeMs   its freshness lifetime (RFC 9111 section 4.2.1), from its storing on; 0 when refused
 * @param initialAgeMs how old it already was when it arrived ({@code Age}); counts against the lifetime
 */
public record Freshness(String refusal, long lifetimeMs, long initialAgeMs) {

  static Freshness refused(String why) {
    return new Freshness(why, 0, 0);
  }

  /** True when the response may be stored and served until {@code lifetimeMs - initialAgeMs} from now. */
  public boolean storable() {
    return refusal == null;
  }
}
