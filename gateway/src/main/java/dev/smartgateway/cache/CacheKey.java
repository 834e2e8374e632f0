package dev.smartgateway.cache;

import dev.smartgateway.access.GroupSet;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What a cached answer is filed under within one resource's cache: the caller's groups (one group set's answer never
 * reaches another's caller, whatever the VM does with them), the host the client named (the VM builds links for
 * it) and the URI sent to the VM. Only GET answers are stored, so the method is implied; a HEAD looks up the GET's.
 * The request headers the answer's {@code Vary} names tell its variants apart ({@link Variants}).
 */
public record CacheKey(GroupSet groups, String host, String uri) {

  public CacheKey {
    Objects.requireNonNull(groups, "groups");
    Objects.requireNonNull(uri, "uri");
    host = host == null ? "" : host.toLowerCase(Locale.ROOT);
  }

  /** The header names a response's {@code Vary} lists, lower case and sorted (without duplicates). */
  public static List<String> varyNames(MultiMap responseHeaders) {
    TreeSet<String> names = new TreeSet<>();
    for (String value : responseHeaders.getAll("Vary")) {
      for (String name : value.split(",")) {
        String trimmed = name.trim().toLowerCase(Locale.ROOT);
        if (!trimmed.isEmpty()) {
          names.add(trimmed);
        }
      }
    }
    return names.isEmpty() ? List.of() : List.copyOf(names);
  }

  /**
   * The request's values of the named headers, as one string: a header the request lacks is told apart from an empty
   * one, and repeated lines are joined as one value.
   */
  public static String variant(List<String> names, MultiMap requestHeaders) {
    if (names.isEmpty()) {
      return "";
    }
    StringBuilder variant = new StringBuilder();
    for (String name : names) {
      List<String> values = requestHeaders.getAll(name);
      variant.append(name).append(values.isEmpty() ? "\u0000" : ":" + String.join(", ", values)).append('\n');
    }
    return variant.toString();
  }
}
