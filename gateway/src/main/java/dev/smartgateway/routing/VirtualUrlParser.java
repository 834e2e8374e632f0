package dev.smartgateway.routing;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses raw request URIs into {@link VirtualUrl}s per DESIGN section 3:
 * {@code /{prefix}/{resource}/{groups}[/{rest}][?{query}]}. Works on the raw URI so the forwarded path and
 * query are exactly what the client sent, and refuses anything that could reach another resource, or
 * leave the named path on the VM, by path tricks. Decisions:
 * <ul>
 *   <li>The whole URI must be printable ASCII: control characters, NUL, spaces, DEL, raw non-ASCII bytes
 *       (RFC 3986 requires them percent-encoded) and {@code #} (a fragment is never sent) are refused, so
 *       what is checked here is byte for byte what is forwarded.</li>
 *   <li>{@code resource} and {@code groups} follow {@link Names} and {@link GroupSet#isValidName} strictly: no percent-encoding at all
 *       (so no encoded slash or dot), no {@code .}/{@code ..} group; an empty one ({@code /p//r/g},
 *       {@code /p/r//g}) is refused.</li>
 *   <li>{@code groups} is a set: order and duplicates do not matter, but the limit of
 *       {@value #MAX_GROUPS} counts the names as written, duplicates included, so a URL cannot be padded
 *       past it.</li>
 *   <li>The forwarded path follows {@link ForwardPathRules}: no dot segment however encoded, and no empty
 *       first segment ({@code /p/r/g//x} is refused; {@code /p/r/g/a//b} is forwarded as is).</li>
 *   <li>The query is forwarded untouched (printable ASCII, no {@code #}); dot segments there are data.</li>
 * </ul>
 * Once the resource is known to be valid, errors carry it ({@link GatewayException#resource()}).
 */
public final class VirtualUrlParser {

  static final int MAX_GROUPS = 32;
  /**
   * The segment after the prefix that names the waiting page's status URL,
   * {@code /{prefix}/_status/{resource}/{groups}}: resource ids start with a letter or a digit, so it is never one.
   */
  public static final String STATUS_SEGMENT = "_status";
  private static final int MAX_QUOTED = 64;

  private final String prefix;
  private final String prefixPath;

  /** @param prefix the first segment, without slashes (e.g. {@code smart_proxy}) */
  public VirtualUrlParser(String prefix) {
    if (!Names.isPrefix(prefix)) {
      throw new IllegalArgumentException("not a valid prefix (" + Names.PREFIX_GRAMMAR + "): " + prefix);
    }
    this.prefix = prefix;
    this.prefixPath = "/" + prefix;
  }

  public String prefix() {
    return prefix;
  }

  /**
   * True if the URI is under the prefix at all: those are virtual URLs, rightly or wrongly formed (400);
   * anything else is not ours (404). Expects origin-form ({@code /path?query}) as on the request line.
   */
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
   * True if the URI is under {@code /{prefix}/_status}: the status URL of a start (rightly or wrongly formed),
   * never a virtual URL.
   */
  public boolean isStatusUrl(String rawUri) {
    String statusPath = prefixPath + "/" + STATUS_SEGMENT;
    if (rawUri == null || !rawUri.startsWith(statusPath)) {
      return false;
    }
    if (rawUri.length() == statusPath.length()) {
      return true;
    }
    char next = rawUri.charAt(statusPath.length());
    return next == '/' || next == '?';
  }

  /**
   * Parses a status URL, {@code /{prefix}/_status/{resource}/{groups}[/]}, with the grammar of a virtual URL;
   * nothing may follow the groups, and the query is ignored.
   *
   * @return the resource and groups asked about (the forward path is {@code /})
   * @throws GatewayException {@link ErrorType#BAD_VIRTUAL_URL} naming what is wrong
   */
  public VirtualUrl parseStatus(String rawUri) {
    if (!isStatusUrl(rawUri)) {
      throw bad("the path must start with /" + prefix + "/" + STATUS_SEGMENT + "/");
    }
    VirtualUrl url = parse(prefixPath + rawUri.substring(prefixPath.length() + 1 + STATUS_SEGMENT.length()));
    if (!url.forwardPath().equals("/")) {
      throw bad("nothing may follow the groups in a status URL (/" + prefix + "/" + STATUS_SEGMENT
          + "/{resource}/{groups})", url.resource());
    }
    return new VirtualUrl(url.resource(), url.groups(), "/", null);
  }

  /** The status URL of {@code (resource, groups)}: {@code /{prefix}/_status/{resource}/{groups}}. */
  public String statusPath(String resource, GroupSet groups) {
    return prefixPath + "/" + STATUS_SEGMENT + "/" + resource + "/" + groups;
  }

  /**
   * @param rawUri the request's raw URI (path and query, as on the request line)
   * @throws GatewayException {@link ErrorType#BAD_VIRTUAL_URL} naming what is wrong
   */
  public VirtualUrl parse(String rawUri) {
    if (!matches(rawUri)) {
      throw bad("the path must start with /" + prefix + "/");
    }
    checkCharacters(rawUri);
    int q = rawUri.indexOf('?');
    String rawPath = q < 0 ? rawUri : rawUri.substring(0, q);
    String rawQuery = q < 0 ? null : rawUri.substring(q + 1);

    String afterPrefix = rawPath.substring(prefixPath.length());
    if (afterPrefix.length() <= 1) {
      throw bad("missing resource: expected /" + prefix + "/{resource}/{groups}/...");
    }
    int resEnd = afterPrefix.indexOf('/', 1);
    String resource = resEnd < 0 ? afterPrefix.substring(1) : afterPrefix.substring(1, resEnd);
    checkResource(resource);
    if (resEnd < 0) {
      throw bad("missing groups: expected /" + prefix + "/" + resource + "/{groups}/...", resource);
    }
    int groupsEnd = afterPrefix.indexOf('/', resEnd + 1);
    String groupsSegment = groupsEnd < 0 ? afterPrefix.substring(resEnd + 1) : afterPrefix.substring(resEnd + 1, groupsEnd);
    String rest = groupsEnd < 0 ? "/" : afterPrefix.substring(groupsEnd);

    GroupSet groups = parseGroups(groupsSegment, resource);
    String violation = ForwardPathRules.violation(rest);
    if (violation != null) {
      throw bad(violation, resource);
    }
    return new VirtualUrl(resource, groups, rest, rawQuery);
  }

  private static void checkCharacters(String rawUri) {
    for (int i = 0; i < rawUri.length(); i++) {
      char c = rawUri.charAt(i);
      if (c <= 0x20 || c == 0x7f) {
        throw bad("the URL contains a control character or space");
      }
      if (c > 0x7f) {
        throw bad("the URL contains a non-ASCII character (percent-encode it)");
      }
      if (c == '#') {
        throw bad("the URL contains '#' (a fragment is not sent to servers; percent-encode it as %23)");
      }
    }
  }

  private static void checkResource(String resource) {
    if (Names.isResourceId(resource)) {
      return;
    }
    if (resource.isEmpty()) {
      throw bad("empty resource");
    }
    if (resource.indexOf('%') >= 0) {
      throw bad("percent-encoding is not allowed in the resource " + quote(resource));
    }
    if (resource.length() > Names.MAX_RESOURCE_LENGTH) {
      throw bad("resource longer than " + Names.MAX_RESOURCE_LENGTH + " characters");
    }
    throw bad("invalid resource " + quote(resource) + " (" + Names.RESOURCE_GRAMMAR + ")");
  }

  private static GroupSet parseGroups(String segment, String resource) {
    if (segment.isEmpty()) {
      throw bad("empty groups: at least one group is required", resource);
    }
    if (segment.indexOf('%') >= 0) {
      throw bad("percent-encoding is not allowed in the groups " + quote(segment), resource);
    }
    List<String> names = new ArrayList<>();
    int start = 0;
    while (start <= segment.length()) {
      int comma = segment.indexOf(',', start);
      int end = comma < 0 ? segment.length() : comma;
      if (names.size() == MAX_GROUPS) {
        throw bad("more than " + MAX_GROUPS + " groups (duplicates count)", resource);
      }
      names.add(checkGroup(segment.substring(start, end), resource));
      start = end + 1;
    }
    return GroupSet.of(names);
  }

  private static String checkGroup(String name, String resource) {
    if (GroupSet.isValidName(name)) {
      return name;
    }
    if (name.isEmpty()) {
      throw bad("empty group name", resource);
    }
    if (name.length() > GroupSet.MAX_NAME_LENGTH) {
      throw bad("group name longer than " + GroupSet.MAX_NAME_LENGTH + " characters", resource);
    }
    if (Names.isDots(name)) {
      throw bad("dot segment ('.' or '..') as a group name", resource);
    }
    throw bad("invalid group name " + quote(name) + " (" + GroupSet.NAME_GRAMMAR + ")", resource);
  }

  private static String quote(String value) {
    return "'" + (value.length() > MAX_QUOTED ? value.substring(0, MAX_QUOTED) + "..." : value) + "'";
  }

  private static GatewayException bad(String detail) {
    return bad(detail, null);
  }

  private static GatewayException bad(String detail, String resource) {
    return new GatewayException(ErrorType.BAD_VIRTUAL_URL, detail, resource);
  }
}
