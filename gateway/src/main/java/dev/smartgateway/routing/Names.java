package dev.smartgateway.routing;

/**
 * The resource and prefix grammar of DESIGN section 3, shared by the URL parser and the configuration so
 * that a name the configuration accepts is one a URL can carry. Group names:
 * {@link dev.smartgateway.access.GroupSet#isValidName}.
 */
public final class Names {

  public static final int MAX_RESOURCE_LENGTH = 128;

  public static final String RESOURCE_GRAMMAR = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";
  public static final String PREFIX_GRAMMAR = "[A-Za-z0-9._-]+, not . or ..";

  private Names() {
  }

  /** {@code [A-Za-z0-9][A-Za-z0-9._-]{0,127}}: the leading letter or digit also rules out {@code .} and {@code ..}. */
  public static boolean isResourceId(String s) {
    return s != null && !s.isEmpty() && s.length() <= MAX_RESOURCE_LENGTH && isAlnum(s.charAt(0))
        && allNameChars(s);
  }

  /** The first path segment of virtual URLs: {@code [A-Za-z0-9._-]+} except {@code .} and {@code ..}. */
  public static boolean isPrefix(String s) {
    return s != null && !s.isEmpty() && allNameChars(s) && !isDots(s);
  }

  static boolean isDots(String s) {
    return s.equals(".") || s.equals("..");
  }

  static boolean isAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  static boolean isNameChar(char c) {
    return isAlnum(c) || c == '.' || c == '_' || c == '-';
  }

  private static boolean allNameChars(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!isNameChar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
