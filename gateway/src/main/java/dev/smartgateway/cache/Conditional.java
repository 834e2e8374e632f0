package dev.smartgateway.cache;

import io.vertx.core.MultiMap;

/**
 * A conditional GET or HEAD answered from a stored answer (RFC 9111 section 4.3.2): whether its condition says the
 * client's own copy is still the current one, so that a 304 does. A browser revalidating its copy is thus answered
 * by the cache too, without the VM. Only {@code If-None-Match} (weak comparison) and, without it,
 * {@code If-Modified-Since} against {@code Last-Modified}; other preconditions go to the VM
 * ({@link CachePolicy#requestBypass}).
 */
public final class Conditional {

  private Conditional() {
  }

  /** True when the request's condition holds for the stored answer (a 200): it gets 304 Not Modified. */
  public static boolean notModified(MultiMap request, CachedResponse stored) {
    if (stored.status() != 200) {
      return false;
    }
    if (request.contains("If-None-Match")) {
      String etag = stored.headers().get("ETag");
      for (String value : request.getAll("If-None-Match")) {
        for (String tag : value.split(",")) {
          String t = tag.trim();
          if (t.equals("*") || etag != null && opaque(t).equals(opaque(etag.trim()))) {
            return true;
          }
        }
      }
      return false; // If-Modified-Since is ignored beside If-None-Match (RFC 9110 section 13.1.3)
    }
    String since = request.get("If-Modified-Since");
    String lastModified = stored.headers().get("Last-Modified");
    if (since == null || lastModified == null) {
      return false;
    }
    Long sinceMs = CachePolicy.httpDate(since);
    Long modifiedMs = CachePolicy.httpDate(lastModified);
    return sinceMs != null && modifiedMs != null && modifiedMs <= sinceMs;
  }

  /** The tag without its weakness mark: the weak comparison of RFC 9110 section 8.8.3.2. */
  private static String opaque(String tag) {
    return tag.startsWith("W/") ? tag.substring(2) : tag;
  }
}
