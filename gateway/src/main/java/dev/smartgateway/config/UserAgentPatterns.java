package dev.smartgateway.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code ignoreUserAgents}: regular expressions matched with {@link java.util.regex.Matcher#find()} against a
 * request's {@code User-Agent}. A client that matches any of them never wakes a VM (DESIGN section 7a). Equal
 * when the expressions are (a {@link Pattern} itself has no equality).
 */
public final class UserAgentPatterns {

  private static final UserAgentPatterns NONE = new UserAgentPatterns(List.of());

  private final List<Pattern> patterns;
  private final List<String> sources;

  private UserAgentPatterns(List<Pattern> patterns) {
    this.patterns = List.copyOf(patterns);
    this.sources = this.patterns.stream().map(Pattern::pattern).toList();
  }

  public static UserAgentPatterns none() {
    return NONE;
  }

  /** @throws java.util.regex.PatternSyntaxException for an expression that does not compile */
  public static UserAgentPatterns of(List<String> expressions) {
    return expressions.isEmpty() ? NONE : new UserAgentPatterns(expressions.stream().map(Pattern::compile).toList());
  }

  public boolean isEmpty() {
    return patterns.isEmpty();
  }

  /** The first expression found in {@code userAgent}, or null (also for a request without a User-Agent). */
  public String firstMatch(String userAgent) {
    if (userAgent == null) {
      return null;
    }
    for (Pattern pattern : patterns) {
      if (pattern.matcher(userAgent).find()) {
        return pattern.pattern();
      }
    }
    return null;
  }

  public List<String> expressions() {
    return sources;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UserAgentPatterns other && sources.equals(other.sources);
  }

  @Override
  public int hashCode() {
    return sources.hashCode();
  }

  @Override
  public String toString() {
    return sources.toString();
  }
}
