package dev.smartgateway.routing;

import dev.smartgateway.access.GroupSet;
import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Collections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class VirtualUrlParserTest {

  private final VirtualUrlParser parser = new VirtualUrlParser("smart_proxy");

  private GatewayException rejection(String uri) {
    GatewayException e = catchThrowableOfType(GatewayException.class, () -> parser.parse(uri));
    assertThat(e).as("rejection of %s", uri).isNotNull();
    assertThat(e.type()).isEqualTo(ErrorType.BAD_VIRTUAL_URL);
    return e;
  }

  // --- what is accepted ---

  @Test
  void splitsResourceGroupsRestAndQuery() {
    VirtualUrl url = parser.parse("/smart_proxy/demo/g1,g2/api/items?limit=10");
    assertThat(url.resource()).isEqualTo("demo");
    assertThat(url.groups()).isEqualTo(GroupSet.of("g1", "g2"));
    assertThat(url.forwardPath()).isEqualTo("/api/items");
    assertThat(url.rawQuery()).isEqualTo("limit=10");
    assertThat(url.forwardUri()).isEqualTo("/api/items?limit=10");
  }

  @Test
  void forwardsRestAndQueryByteForByte() {
    VirtualUrl url = parser.parse("/smart_proxy/r/g/a%20b/%C3%A9t%c3%a9/x%2Fy/~u;v=1/a:b@c!$&'()*+,=?q=%2e%2e/..&x=a+b%20c&&=?/");
    assertThat(url.forwardPath()).isEqualTo("/a%20b/%C3%A9t%c3%a9/x%2Fy/~u;v=1/a:b@c!$&'()*+,=");
    assertThat(url.rawQuery()).isEqualTo("q=%2e%2e/..&x=a+b%20c&&=?/");
  }

  @Test
  void withoutRestTheVmGetsTheRoot() {
    assertThat(parser.parse("/smart_proxy/r/g").forwardPath()).isEqualTo("/");
    assertThat(parser.parse("/smart_proxy/r/g").rawQuery()).isNull();
    assertThat(parser.parse("/smart_proxy/r/g/").forwardPath()).isEqualTo("/");
    assertThat(parser.parse("/smart_proxy/r/g?x=1").forwardUri()).isEqualTo("/?x=1");
  }

  @Test
  void anEmptyQueryIsKeptAsEmptyNotDropped() {
    VirtualUrl url = parser.parse("/smart_proxy/r/g/x?");
    assertThat(url.rawQuery()).isEmpty();
    assertThat(url.forwardUri()).isEqualTo("/x?");
  }

  @Test
  void aTrailingSlashIsForwarded() {
    assertThat(parser.parse("/smart_proxy/r/g/dir/").forwardPath()).isEqualTo("/dir/");
  }

  @Test
  void emptySegmentsInsideTheRestAreForwarded() {
    assertThat(parser.parse("/smart_proxy/r/g/a//b").forwardPath()).isEqualTo("/a//b");
  }

  @Test
  void groupsAreASetInAnyOrderWithDuplicates() {
    assertThat(parser.parse("/smart_proxy/r/g2,g1,g2/").groups()).isEqualTo(parser.parse("/smart_proxy/r/g1,g2/").groups());
    assertThat(parser.parse("/smart_proxy/r/g1,g1/").groups()).hasToString("g1");
  }

  @Test
  void namesMayContainDotsUnderscoresAndDashes() {
    VirtualUrl url = parser.parse("/smart_proxy/my-app_v1.2/team.a,_b,-c,...,.hidden/");
    assertThat(url.resource()).isEqualTo("my-app_v1.2");
    assertThat(url.groups().asSet()).containsExactlyInAnyOrder("team.a", "_b", "-c", "...", ".hidden");
  }

  @Test
  void acceptsTheLongestNamesAndMostGroups() {
    String resource = "r" + "x".repeat(127);
    String group = "g".repeat(64);
    String groups = String.join(",", Collections.nCopies(32, group));
    VirtualUrl url = parser.parse("/smart_proxy/" + resource + "/" + groups);
    assertThat(url.resource()).hasSize(128);
    assertThat(url.groups().size()).isEqualTo(1);
  }

  @Test
  void dotsThatAreNotWholeSegmentsAreFine() {
    assertThat(parser.parse("/smart_proxy/r/g/.well-known/x..y/.../a.b.").forwardPath())
        .isEqualTo("/.well-known/x..y/.../a.b.");
    assertThat(parser.parse("/smart_proxy/r/g/%2e%2e%2e/.%2ehidden").forwardPath()).isEqualTo("/%2e%2e%2e/.%2ehidden");
  }

  @Test
  void percentEncodedNonAsciiAndOtherBytesAreFine() {
    assertThat(parser.parse("/smart_proxy/r/g/%ff%fe/%e2%82%ac").forwardPath()).isEqualTo("/%ff%fe/%e2%82%ac");
  }

  @Test
  void worksWithAnyPrefix() {
    VirtualUrlParser other = new VirtualUrlParser("vms.v2");
    assertThat(other.parse("/vms.v2/r/g/x").forwardPath()).isEqualTo("/x");
    assertThat(other.matches("/smart_proxy/r/g")).isFalse();
  }

  // --- matches(): 404 vs 400 ---

  @Test
  void onlyPathsUnderThePrefixAreVirtualUrls() {
    assertThat(parser.matches("/smart_proxy/r/g")).isTrue();
    assertThat(parser.matches("/smart_proxy")).isTrue();
    assertThat(parser.matches("/smart_proxy/")).isTrue();
    assertThat(parser.matches("/smart_proxy?x")).isTrue();
    assertThat(parser.matches("/smart_proxyX/r/g")).isFalse();
    assertThat(parser.matches("/smart_prox")).isFalse();
    assertThat(parser.matches("/other/r/g")).isFalse();
    assertThat(parser.matches("//smart_proxy/r/g")).isFalse();
    assertThat(parser.matches("/Smart_Proxy/r/g")).isFalse();
    assertThat(parser.matches("/smart%5Fproxy/r/g")).isFalse();
    assertThat(parser.matches("http://h/smart_proxy/r/g")).isFalse();
    assertThat(parser.matches("")).isFalse();
    assertThat(parser.matches(null)).isFalse();
  }

  @Test
  void parsingAUriOutsideThePrefixIsABadVirtualUrlNotACrash() {
    rejection("/other/r/g");
  }

  // --- what is rejected ---

  @ParameterizedTest
  @ValueSource(strings = {"/smart_proxy", "/smart_proxy/", "/smart_proxy?r/g", "/smart_proxy//r/g", "/smart_proxy//g"})
  void rejectsAMissingOrEmptyResource(String uri) {
    assertThat(rejection(uri).detail()).contains("resource");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/smart_proxy/r", "/smart_proxy/r/", "/smart_proxy/r?g", "/smart_proxy/r//g", "/smart_proxy/r//"})
  void rejectsMissingOrEmptyGroups(String uri) {
    GatewayException e = rejection(uri);
    assertThat(e.detail()).contains("groups");
    assertThat(e.resource()).isEqualTo("r");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-r", ".r", "_r", "r%20", "r;x", "r,s", "r:s", "r~", "r@", "r!"})
  void rejectsResourcesOutsideTheGrammar(String resource) {
    GatewayException e = rejection("/smart_proxy/" + resource + "/g/");
    assertThat(e.resource()).isNull();
  }

  @Test
  void rejectsAResourceLongerThan128() {
    assertThat(rejection("/smart_proxy/r" + "x".repeat(128) + "/g").detail()).contains("longer than 128");
  }

  @ParameterizedTest
  @ValueSource(strings = {"g1,", ",g1", "g1,,g2", "g;x", "g%31", "g:1", "g 1", "g1;g2", "g~"})
  void rejectsGroupsOutsideTheGrammar(String groups) {
    rejection("/smart_proxy/r/" + groups + "/");
  }

  @Test
  void rejectsAGroupLongerThan64() {
    assertThat(rejection("/smart_proxy/r/" + "g".repeat(65)).detail()).contains("longer than 64");
  }

  @Test
  void rejectsMoreThan32GroupNamesEvenIfSomeAreDuplicates() {
    assertThat(rejection("/smart_proxy/r/" + String.join(",", Collections.nCopies(33, "g"))).detail())
        .contains("more than 32 groups");
    String distinct33 = String.join(",", java.util.stream.IntStream.range(0, 33).mapToObj(i -> "g" + i).toList());
    rejection("/smart_proxy/r/" + distinct33);
  }

  @ParameterizedTest
  @ValueSource(strings = {".", "..", "g1,..", ".,g1", "g1,.,g2"})
  void rejectsDotGroups(String groups) {
    assertThat(rejection("/smart_proxy/r/" + groups + "/x").detail()).contains("dot segment");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/smart_proxy/%2e%2e/g/x", "/smart_proxy/r/%2e%2e/x", "/smart_proxy/r%2Fx/g/", "/smart_proxy/r/g%2Fh/",
      "/smart_proxy/r/g%2fh/", "/smart_proxy/r/g%2C/", "/smart_proxy/%72/g"})
  void rejectsAnyPercentEncodingInResourceOrGroups(String uri) {
    assertThat(rejection(uri).detail()).contains("percent-encoding is not allowed");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/..", "/.", "/../x", "/./x", "/a/..", "/a/../b", "/a/./b", "/a/.", "/a/../../other/g/x",
      "/./", "/../"})
  void rejectsRawDotSegments(String rest) {
    assertThat(rejection("/smart_proxy/r/g" + rest).detail()).contains("dot segment");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/%2e", "/%2E", "/%2e%2e", "/%2E%2E", "/.%2e", "/%2e.", "/.%2E", "/%2E.", "/%2e%2E", "/a/%2e%2e/b",
      "/a/%2E%2e"})
  void rejectsPercentEncodedDotSegments(String rest) {
    assertThat(rejection("/smart_proxy/r/g" + rest).detail()).contains("dot segment");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a%2f..%2fb", "/a%2F%2e%2e%2Fb", "/..%2fx", "/a\\..\\b", "/a%5c..%5cb", "/..;x/y", "/%2e%2e;jsessionid=1/y",
      "/..%3b/y", "/%252e%252e/y", "/%25%32%65%25%32%65/y", "/%c0%ae%c0%ae/y", "/%e0%80%ae%e0%80%ae/y", "/..%c0%af",
      "/%25252e%25252e/y", "/%2525252e/y"})
  void rejectsDotSegmentsHiddenFromNaiveChecks(String rest) {
    rejection("/smart_proxy/r/g" + rest);
  }

  @ParameterizedTest
  @ValueSource(strings = {"//x", "//", "//evil.example/x", "/%2fevil.example", "/%2Fx", "/\\evil.example", "/%5cx"})
  void rejectsAnEmptyFirstSegmentOfTheForwardedPath(String rest) {
    assertThat(rejection("/smart_proxy/r/g" + rest).detail()).contains("empty segment");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a%00b", "/a%0d%0aSet-Cookie:x", "/a%7f", "/%2500"})
  void rejectsPercentEncodedControlCharactersInThePath(String rest) {
    rejection("/smart_proxy/r/g" + rest);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a%", "/a%2", "/a%zz", "/a%g0", "/%%2e"})
  void rejectsMalformedPercentEscapesInThePath(String rest) {
    assertThat(rejection("/smart_proxy/r/g" + rest).detail()).contains("malformed percent-escape");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/smart_proxy/r/g/a b", "/smart_proxy/r/g/a\tb", "/smart_proxy/r/g/a\u0000b", "/smart_proxy/r/g/\r\nx",
      "/smart_proxy/r/g/a\u007fb", "/smart_proxy/r/g?a b", "/smart_proxy/r/g?a\u0000", "/smart_proxy/r\u0000/g",
      "/smart_proxy/r/g\u0001/"})
  void rejectsControlCharactersNulAndSpaces(String uri) {
    assertThat(rejection(uri).detail()).contains("control character or space");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/smart_proxy/r/g/caf\u00e9", "/smart_proxy/r/g?q=\u00e9", "/smart_proxy/r/g/\uff0e\uff0e/x"})
  void rejectsRawNonAsciiCharacters(String uri) {
    assertThat(rejection(uri).detail()).contains("non-ASCII");
  }

  @Test
  void rejectsAFragment() {
    assertThat(rejection("/smart_proxy/r/g/x#/../y").detail()).contains("'#'");
  }

  @Test
  void dotSegmentsInTheQueryAreDataNotPath() {
    assertThat(parser.parse("/smart_proxy/r/g/x?path=../../etc&b=/./").rawQuery()).isEqualTo("path=../../etc&b=/./");
  }

  @Test
  void errorsAfterTheResourceNameIt() {
    assertThat(rejection("/smart_proxy/demo/g/..").resource()).isEqualTo("demo");
    assertThat(rejection("/smart_proxy/demo/../x").resource()).isEqualTo("demo");
    assertThat(rejection("/smart_proxy/de%6do/g").resource()).isNull();
  }

  @Test
  void errorDetailsQuoteLongValuesOnlyInPart() {
    String detail = rejection("/smart_proxy/r" + "x".repeat(100) + "!/g").detail();
    assertThat(detail).contains("'r" + "x".repeat(63) + "...'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "..", "a/b", "a b", "%2e"})
  void refusesAPrefixThatIsNotOnePlainSegment(String prefix) {
    assertThatThrownBy(() -> new VirtualUrlParser(prefix)).isInstanceOf(IllegalArgumentException.class);
  }

  // --- the status URL of a start ---

  @Test
  void theStatusUrlIsReservedAndNeverAResource() {
    assertThat(parser.isStatusUrl("/smart_proxy/_status/demo/g1")).isTrue();
    assertThat(parser.isStatusUrl("/smart_proxy/_status")).isTrue();
    assertThat(parser.isStatusUrl("/smart_proxy/_status?x")).isTrue();
    assertThat(parser.isStatusUrl("/smart_proxy/_statusx/demo/g1")).isFalse();
    assertThat(parser.isStatusUrl("/smart_proxy/demo/g1/_status/x")).isFalse();
    assertThat(rejection("/smart_proxy/_status/g1").detail()).as("not a resource id").contains("'_status'");
  }

  @Test
  void parsesTheStatusUrlWithTheVirtualUrlGrammar() {
    VirtualUrl url = parser.parseStatus("/smart_proxy/_status/demo/g2,g1?ignored=1");
    assertThat(url.resource()).isEqualTo("demo");
    assertThat(url.groups()).isEqualTo(GroupSet.of("g1", "g2"));
    assertThat(parser.parseStatus("/smart_proxy/_status/demo/g1/").groups()).isEqualTo(GroupSet.of("g1"));
    assertThat(parser.statusPath("demo", GroupSet.of("g2", "g1"))).isEqualTo("/smart_proxy/_status/demo/g1,g2");
    for (String bad : new String[] {"/smart_proxy/_status", "/smart_proxy/_status/demo", "/smart_proxy/_status/demo/g1/x",
        "/smart_proxy/_status/../g1", "/smart_proxy/_status/demo/%2e%2e", "/smart_proxy/_status/demo/g1//"}) {
      GatewayException e = catchThrowableOfType(GatewayException.class, () -> parser.parseStatus(bad));
      assertThat(e).as("rejection of %s", bad).isNotNull();
      assertThat(e.type()).isEqualTo(ErrorType.BAD_VIRTUAL_URL);
    }
  }
}
