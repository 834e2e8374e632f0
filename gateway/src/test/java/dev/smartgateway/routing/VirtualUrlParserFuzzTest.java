package dev.smartgateway.routing;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Property tests of the parser with seeded random URLs (reproducible; {@code -Dfuzz.seed=N} tries another
 * sequence). The reference checks here are written independently of the parser, as plainly as possible.
 */
class VirtualUrlParserFuzzTest {

  private static final long SEED = Long.getLong("fuzz.seed", 20240607L);
  private static final String PREFIX = "smart_proxy";
  private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final String NAME_CHARS = ALNUM + "._-";
  private static final String PCHAR_SAFE = ALNUM + "-._~!$&'()*+,=:@";
  private static final Pattern RESOURCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern VIRTUAL_URL =
      Pattern.compile("/" + PREFIX + "/([^/?]*)/([^/?]*)(/[^?]*)?(?:\\?(.*))?", Pattern.DOTALL);
  private static final Pattern ESCAPE = Pattern.compile("%([0-9A-Fa-f]{2})");
  private static final String[] TOKENS = {"/", "/", ".", "..", "%", "%2e", "%2E", "%2f", "%2F", "%5c", "%5C", "%25", "%c0%ae",
      "%e0%80%ae", "%c0%af", ",", ",", "?", "#", ";", "\\", " ", "\u0000", "\t", "\r\n", "\u00e9", "%00", "a", "Z", "0", "-", "_",
      "~", "//", "%u002e", "%3b", "%2", "%zz", "/..", "/.", "/%2e%2e", ";x", "%252e"};

  private final VirtualUrlParser parser = new VirtualUrlParser(PREFIX);

  private record Generated(String uri, String resource, List<String> groups, String forwardPath, String query) {
  }

  @Test
  void urlsBuiltFromTheGrammarAreAcceptedWithExactlyTheirParts() {
    Random random = new Random(SEED);
    for (int i = 0; i < 5_000; i++) {
      Generated g = generate(random);
      VirtualUrl url;
      try {
        url = parser.parse(g.uri());
      } catch (GatewayException e) {
        throw new AssertionError("valid URL rejected (seed " + SEED + ", #" + i + "): " + g.uri() + " -> " + e.detail(), e);
      }
      assertThat(url.resource()).as(g.uri()).isEqualTo(g.resource());
      assertThat(url.groups()).as(g.uri()).isEqualTo(GroupSet.of(g.groups()));
      assertThat(url.forwardPath()).as(g.uri()).isEqualTo(g.forwardPath());
      assertThat(url.rawQuery()).as(g.uri()).isEqualTo(g.query());
    }
  }

  @Test
  void mutatedUrlsAreRejectedCleanlyOrAcceptedOnlyWhenSafe() {
    Random random = new Random(SEED + 1);
    int accepted = 0;
    for (int i = 0; i < 30_000; i++) {
      StringBuilder uri = new StringBuilder(generate(random).uri());
      for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
        mutate(uri, random);
      }
      accepted += checkAcceptedOnlyIfSafe(uri.toString(), i) ? 1 : 0;
    }
    // Otherwise "never accepts anything unsafe" would hold for a parser that accepts nothing.
    assertThat(accepted).as("mutated URLs accepted").isBetween(3_000, 27_000);
  }

  @Test
  void randomTokensInsertedAfterThePrefixAreRejectedCleanlyOrAcceptedOnlyWhenSafe() {
    Random random = new Random(SEED + 2);
    int accepted = 0;
    for (int i = 0; i < 20_000; i++) {
      StringBuilder uri = new StringBuilder("/" + PREFIX + "/" + pick(ALNUM, random) + "/" + pick(ALNUM, random));
      for (int tokens = random.nextInt(12); tokens > 0; tokens--) {
        uri.insert(1 + PREFIX.length() + random.nextInt(uri.length() - PREFIX.length()),
            random.nextInt(4) == 0 ? String.valueOf(randomChar(random)) : TOKENS[random.nextInt(TOKENS.length)]);
      }
      accepted += checkAcceptedOnlyIfSafe(uri.toString(), i) ? 1 : 0;
    }
    assertThat(accepted).as("random URLs accepted").isBetween(500, 19_000);
  }

  /**
   * Rejections are only ever BAD_VIRTUAL_URL; an accepted URL agrees with a strict reference reading.
   *
   * @return whether the URL was accepted
   */
  private boolean checkAcceptedOnlyIfSafe(String uri, int index) {
    VirtualUrl url;
    try {
      url = parser.parse(uri);
    } catch (GatewayException e) {
      assertThat(e.type()).as(uri).isEqualTo(ErrorType.BAD_VIRTUAL_URL);
      assertThat(e.detail()).as(uri).isNotBlank();
      return false;
    } catch (RuntimeException e) {
      throw new AssertionError("parser crashed (seed " + SEED + ", #" + index + ") on: " + printable(uri), e);
    }
    String why = referenceObjection(uri, url);
    if (why != null) {
      fail("accepted but " + why + " (seed " + SEED + ", #" + index + "): " + printable(uri) + " -> " + url);
    }
    return true;
  }

  private static String referenceObjection(String uri, VirtualUrl url) {
    if (!uri.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '#')) {
      return "it contains a character that is not printable ASCII";
    }
    Matcher m = VIRTUAL_URL.matcher(uri);
    if (!m.matches()) {
      return "it does not have the shape /prefix/resource/groups[/rest][?query]";
    }
    if (!RESOURCE.matcher(m.group(1)).matches() || !m.group(1).equals(url.resource())) {
      return "the resource is not " + m.group(1) + " or not valid";
    }
    List<String> groups = Arrays.asList(m.group(2).split(",", -1));
    if (groups.size() > 32 || !groups.stream().allMatch(g -> GROUP.matcher(g).matches() && !g.equals(".") && !g.equals(".."))) {
      return "the groups are not valid";
    }
    if (!GroupSet.of(groups).equals(url.groups())) {
      return "the groups differ";
    }
    String rest = m.group(3) == null ? "/" : m.group(3);
    if (!rest.equals(url.forwardPath()) || !java.util.Objects.equals(m.group(4), url.rawQuery())) {
      return "the forwarded path or query differ from the raw ones";
    }
    if (rest.startsWith("//")) {
      return "the forwarded path starts with //";
    }
    if (hasDecodedDotSegment(rest)) {
      return "the forwarded path has a dot segment once decoded";
    }
    return null;
  }

  /** Decodes a few times over, generously (overlong UTF-8, backslashes, ;params), looking for . or .. */
  private static boolean hasDecodedDotSegment(String path) {
    String s = path;
    for (int round = 0; round < 6; round++) {
      for (String segment : s.split("[/\\\\]", -1)) {
        String core = segment.split(";", -1)[0];
        if (core.equals(".") || core.equals("..")) {
          return true;
        }
      }
      s = ESCAPE.matcher(s).replaceAll(r -> Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(r.group(1), 16))))
          .replace("\u00c0\u00ae", ".").replace("\u00e0\u0080\u00ae", ".")
          .replace("\u00c0\u00af", "/").replace("\u00e0\u0080\u00af", "/").replace("\u00c1\u009c", "\\");
    }
    return false;
  }

  // --- generators ---

  private static Generated generate(Random random) {
    String resource = pick(ALNUM, random) + chars(NAME_CHARS, length(random, 127), random);
    List<String> groups = new ArrayList<>();
    int count = random.nextInt(10) == 0 ? 1 + random.nextInt(32) : 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      if (!groups.isEmpty() && random.nextInt(5) == 0) {
        groups.add(groups.get(random.nextInt(groups.size())));
        continue;
      }
      String name;
      do {
        name = chars(NAME_CHARS, 1 + length(random, 63), random);
      } while (name.equals(".") || name.equals(".."));
      groups.add(name);
    }
    String rest;
    do {
      rest = rest(random);
    } while (rest != null && hasDecodedDotSegment(rest));
    String query = switch (random.nextInt(4)) {
      case 0 -> null;
      case 1 -> "";
      default -> query(random);
    };
    String uri = "/" + PREFIX + "/" + resource + "/" + String.join(",", groups) + (rest == null ? "" : rest)
        + (query == null ? "" : "?" + query);
    return new Generated(uri, resource, groups, rest == null ? "/" : rest, query);
  }

  /** A path starting with a non-empty segment; later segments may be empty; null for none. */
  private static String rest(Random random) {
    if (random.nextInt(5) == 0) {
      return random.nextBoolean() ? null : "/";
    }
    StringBuilder rest = new StringBuilder();
    int segments = 1 + random.nextInt(6);
    for (int i = 0; i < segments; i++) {
      rest.append('/');
      int length = i == 0 ? 1 + random.nextInt(10) : random.nextInt(11);
      for (int k = 0; k < length; k++) {
        rest.append(random.nextInt(6) == 0 ? safeEscape(random) : pick(PCHAR_SAFE, random));
      }
    }
    if (random.nextInt(4) == 0) {
      rest.append('/');
    }
    return rest.toString();
  }

  /** A %XX escape of a byte that cannot stand for a separator, a dot, a control character or another escape. */
  private static String safeEscape(Random random) {
    int b;
    do {
      b = random.nextInt(256);
    } while (b < 0x20 || b == 0x7f || b == '.' || b == '/' || b == '\\' || b == '%' || b == 0xc0 || b == 0xc1 || b == 0xe0
        || b == 0xf0);
    String hex = String.format("%02x", b);
    return "%" + (random.nextBoolean() ? hex : hex.toUpperCase(java.util.Locale.ROOT));
  }

  private static String query(Random random) {
    StringBuilder query = new StringBuilder();
    for (int i = random.nextInt(30); i > 0; i--) {
      switch (random.nextInt(8)) {
        case 0 -> query.append(String.format("%%%02X", random.nextInt(256)));
        case 1 -> query.append(random.nextBoolean() ? "/../" : "?./");
        default -> query.append(pick(PCHAR_SAFE + "/?", random));
      }
    }
    return query.toString();
  }

  private static void mutate(StringBuilder uri, Random random) {
    int at = random.nextInt(uri.length() + 1);
    switch (random.nextInt(5)) {
      case 0 -> uri.insert(at, TOKENS[random.nextInt(TOKENS.length)]);
      case 1 -> uri.insert(at, randomChar(random));
      case 2 -> uri.delete(at, Math.min(uri.length(), at + 1 + random.nextInt(4)));
      case 3 -> {
        if (at < uri.length()) {
          uri.replace(at, at + 1, TOKENS[random.nextInt(TOKENS.length)]);
        }
      }
      default -> {
        int end = Math.min(uri.length(), at + random.nextInt(8));
        uri.insert(random.nextInt(uri.length() + 1), uri.substring(at, end));
      }
    }
  }

  private static char randomChar(Random random) {
    return (char) (random.nextInt(10) == 0 ? random.nextInt(0x180) : 0x20 + random.nextInt(0x60));
  }

  /** Mostly short, sometimes up to {@code max}. */
  private static int length(Random random, int max) {
    return random.nextInt(8) == 0 ? random.nextInt(max + 1) : random.nextInt(Math.min(max, 10) + 1);
  }

  private static String chars(String alphabet, int length, Random random) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(pick(alphabet, random));
    }
    return s.toString();
  }

  private static char pick(String alphabet, Random random) {
    return alphabet.charAt(random.nextInt(alphabet.length()));
  }

  private static String printable(String s) {
    StringBuilder out = new StringBuilder();
    s.chars().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\u%04x", c)));
    return out.toString();
  }
}
