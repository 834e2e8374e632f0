package dev.smartgateway.cache;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The directives of a {@code Cache-Control} header (RFC 9111 section 5.2), from all of its lines: names in lower
 * case, values unquoted. A quoted value may hold commas ({@code no-cache="Set-Cookie, X-A"}), so the list is split
 * outside quotes only. The first occurrence of a directive wins.
 */
public final class CacheControl {

  /** A directive's number is absent ({@link #seconds}). */
  public static final long ABSENT = -1;
  /** A directive's number is there but not a number: RFC 9111 section 4.2.1 treats the response as stale. */
  public static final long INVALID = -2;

  private static final CacheControl EMPTY = new CacheControl(Map.of());

  private final Map<String, String> directives;

  private CacheControl(Map<String, String> directives) {
    this.directives = directives;
  }

  /** The directives of these header values (every {@code Cache-Control} line; none for an empty list). */
  public static CacheControl parse(List<String> values) {
    if (values == null || values.isEmpty()) {
      return EMPTY;
    }
    Map<String, String> directives = new HashMap<>();
    for (String value : values) {
      parseInto(value, directives);
    }
    return new CacheControl(directives);
  }

  private static void parseInto(String value, Map<String, String> directives) {
    int i = 0;
    int n = value.length();
    while (i < n) {
      int start = i;
      boolean quoted = false;
      while (i < n && (quoted || value.charAt(i) != ',')) {
        if (value.charAt(i) == '"') {
          quoted = !quoted;
        }
        i++;
      }
      add(value.substring(start, i).trim(), directives);
      i++; // the comma
    }
  }

  private static void add(String directive, Map<String, String> directives) {
    if (directive.isEmpty()) {
      return;
    }
    int eq = directive.indexOf('=');
    String name = (eq < 0 ? directive : directive.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
    String arg = eq < 0 ? null : directive.substring(eq + 1).trim();
    if (arg != null && arg.length() >= 2 && arg.charAt(0) == '"' && arg.charAt(arg.length() - 1) == '"') {
      arg = arg.substring(1, arg.length() - 1);
    }
    directives.putIfAbsent(name, arg);
  }

  public boolean has(String directive) {
    return directives.containsKey(directive);
  }

  /**
   * A delta-seconds directive ({@code max-age=60}): its value, capped at 2^31 (RFC 9111 section 1.2.2);
   * {@link #ABSENT} when the directive is not there, {@link #INVALID} when its value is not a number.
   */
  public long seconds(String directive) {
    if (!directives.containsKey(directive)) {
      return ABSENT;
    }
    String arg = directives.get(directive);
    if (arg == null || arg.isEmpty() || !arg.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return INVALID;
    }
    return arg.length() > 10 ? 1L << 31 : Math.min(Long.parseLong(arg), 1L << 31);
  }
}
