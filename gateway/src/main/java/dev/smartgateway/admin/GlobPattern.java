package dev.smartgateway.admin;

import dev.smartgateway.routing.Names;

/**
 * A resource name pattern of the fan-out: {@code *} matches any run of characters (also none), {@code ?}
 * exactly one, anything else itself; anchored at both ends ({@code web-*} matches {@code web-1}, not
 * {@code my-web-1}). Matched with the linear-backtracking glob algorithm rather than a regular expression:
 * no pattern an operator types can make matching slow, whatever the number of stars.
 */
final class GlobPattern {

  /** Longer than any resource name with a star between each of its characters could need. */
  static final int MAX_LENGTH = 2 * Names.MAX_RESOURCE_LENGTH;

  private final String glob;

  private GlobPattern(String glob) {
    this.glob = glob;
  }

  /**
   * @throws IllegalArgumentException if the text is empty, too long, or has a character that can be neither
   *                                  in a resource name nor a wildcard (so it could never match)
   */
  static GlobPattern compile(String glob) {
    if (glob == null || glob.isEmpty()) {
      throw new IllegalArgumentException("an empty pattern matches nothing; use * for every resource");
    }
    if (glob.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("longer than " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c != '*' && c != '?' && !Names.isResourceId("a" + c)) {
        throw new IllegalArgumentException("'" + c + "' at " + i + " can never match: resource names are "
            + Names.RESOURCE_GRAMMAR + ", and the wildcards are * and ?");
      }
    }
    return new GlobPattern(glob);
  }

  boolean matches(String name) {
    int p = 0;
    int n = 0;
    int star = -1;
    int resume = 0;
    while (n < name.length()) {
      if (p < glob.length() && (glob.charAt(p) == '?' || glob.charAt(p) == name.charAt(n))) {
        p++;
        n++;
      } else if (p < glob.length() && glob.charAt(p) == '*') {
        star = p++;
        resume = n;
      } else if (star >= 0) {
        // Let the last star swallow one more character and retry from there.
        p = star + 1;
        n = ++resume;
      } else {
        return false;
      }
    }
    while (p < glob.length() && glob.charAt(p) == '*') {
      p++;
    }
    return p == glob.length();
  }

  @Override
  public String toString() {
    return glob;
  }
}
