package dev.smartgateway.routing;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses raw request URIs into {@link VirtualUrl}s per DESIGN section 3. Works on the raw URI so the
 * forwarded path and query are exactly what the client sent; rejects anything that could reach another
 * resource by path tricks.
 */
public final class VirtualUrlParser {

  static final int MAX_RESOURCE_LENGTH = 128;
  static final int MAX_GROUP_LENGTH = 64;
  static final int MAX_GROUPS = 32;

  private final String prefix;
  private final String prefixPath;

  /** @param prefix the first segment, without slashes (e.g. {@code smart_proxy}) */
  public VirtualUrlParser(String prefix) {
    this.prefix = prefix;
    this.prefixPath = "/" + prefix;
  }

  public String prefix() {
    return prefix;
  }

  /** True if the URI is under the prefix at all (otherwise the gateway answers 404, not 400). */
  public boolean matches(String rawUri) {
    if (rawUri == null || !rawUri.startsWith(prefixPath)) {
      return false;
    }
    if (rawUri.length() == prefixPath.length()) {
      return true;
    }
    char next = rawUri.charAt(prefixPath.length());
    return next == '/' || next == '?';
  }

  /**
   * @param rawUri the request's raw URI (path and query, as on the request line)
   * @throws GatewayException {@link ErrorType#BAD_VIRTUAL_URL} naming what is wrong
   */
  public VirtualUrl parse(String rawUri) {
    if (!matches(rawUri)) {
      throw bad("the path must start with /" + prefix + "/");
    }
    for (int i = 0; i < rawUri.length(); i++) {
      char c = rawUri.charAt(i);
      if (c <= 0x20 || c == 0x7f) {
        throw bad("the URL contains a control character or space");
      }
    }
    int q = rawUri.indexOf('?');
    String rawPath = q < 0 ? rawUri : rawUri.substring(0, q);
    String rawQuery = q < 0 ? null : rawUri.substring(q + 1);

    String afterPrefix = rawPath.substring(prefixPath.length());
    if (!afterPrefix.startsWith("/") || afterPrefix.length() == 1) {
      throw bad("missing resource: expected /" + prefix + "/{resource}/{groups}/...");
    }
    int resEnd = afterPrefix.indexOf('/', 1);
    if (resEnd < 0) {
      throw bad("missing groups: expected /" + prefix + "/{resource}/{groups}/...");
    }
    String resource = afterPrefix.substring(1, resEnd);
    int groupsEnd = afterPrefix.indexOf('/', resEnd + 1);
    String groupsSegment = groupsEnd < 0 ? afterPrefix.substring(resEnd + 1) : afterPrefix.substring(resEnd + 1, groupsEnd);
    String rest = groupsEnd < 0 ? "/" : afterPrefix.substring(groupsEnd);

    checkResource(resource);
    GroupSet groups = parseGroups(groupsSegment);
    checkRest(rest);
    return new VirtualUrl(resource, groups, rest, rawQuery);
  }

  private static void checkResource(String resource) {
    if (resource.isEmpty()) {
      throw bad("empty resource");
    }
    if (resource.length() > MAX_RESOURCE_LENGTH) {
      throw bad("resource longer than " + MAX_RESOURCE_LENGTH + " characters");
    }
    if (!isAlnum(resource.charAt(0))) {
      throw bad("resource must start with a letter or digit");
    }
    for (int i = 1; i < resource.length(); i++) {
      if (!isNameChar(resource.charAt(i))) {
        throw bad("resource contains an invalid character (allowed: A-Z a-z 0-9 . _ -)");
      }
    }
  }

  private static GroupSet parseGroups(String segment) {
    if (segment.isEmpty()) {
      throw bad("empty groups: at least one group is required");
    }
    List<String> names = new ArrayList<>();
    int start = 0;
    while (true) {
      int comma = segment.indexOf(',', start);
      String name = comma < 0 ? segment.substring(start) : segment.substring(start, comma);
      if (name.isEmpty()) {
        throw bad("empty group name");
      }
      if (name.length() > MAX_GROUP_LENGTH) {
        throw bad("group name longer than " + MAX_GROUP_LENGTH + " characters");
      }
      if (name.equals(".") || name.equals("..")) {
        throw bad("dot segment in groups");
      }
      for (int i = 0; i < name.length(); i++) {
        if (!isNameChar(name.charAt(i))) {
          throw bad("group name contains an invalid character (allowed: A-Z a-z 0-9 . _ -)");
        }
      }
      names.add(name);
      if (names.size() > MAX_GROUPS) {
        throw bad("more than " + MAX_GROUPS + " groups");
      }
      if (comma < 0) {
        break;
      }
      start = comma + 1;
    }
    return GroupSet.of(names);
  }

  private static void checkRest(String rest) {
    int start = 1;
    while (start <= rest.length()) {
      int slash = rest.indexOf('/', start);
      String segment = slash < 0 ? rest.substring(start) : rest.substring(start, slash);
      if (isDotSegment(segment)) {
        throw bad("dot segment ('.' or '..') in the forwarded path");
      }
      if (slash < 0) {
        break;
      }
      start = slash + 1;
    }
  }

  /** {@code .}, {@code ..} and their percent-encoded forms ({@code %2e}, {@code %2E}, mixed). */
  static boolean isDotSegment(String segment) {
    String decoded = segment.replace("%2e", ".").replace("%2E", ".");
    return decoded.equals(".") || decoded.equals("..");
  }

  private static boolean isAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private static boolean isNameChar(char c) {
    return isAlnum(c) || c == '.' || c == '_' || c == '-';
  }

  private static GatewayException bad(String detail) {
    return new GatewayException(ErrorType.BAD_VIRTUAL_URL, detail);
  }
}
