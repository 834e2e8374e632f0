package dev.smartgateway.it;

import dev.smartgateway.it.Harness.Reply;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /console} over plain HTTP: the page and its files are served from the jar on the admin listener with
 * their media types, a Content-Security-Policy that allows no script but the console's own file, ETag
 * revalidation; no token for the files, while the API they call still asks for it.
 */
class ConsolePageTest {

  private static final String TOKEN = "console-page-token";
  private static Path dir;
  private static Harness h;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("console-page");
    Path token = Files.writeString(dir.resolve("admin.token"), TOKEN + "\n");
    h = Harness.start(5, 10, "admin: {port: 0, tokenFile: '" + token + "'}\n");
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) {
      h.close();
    }
    Files.deleteIfExists(dir.resolve("admin.token"));
    Files.deleteIfExists(dir);
  }

  private static String text(Reply reply) {
    return reply.body().toString(StandardCharsets.UTF_8);
  }

  @Test
  void thePageIsServedWithoutATokenWithAPolicyThatRunsOnlyItsOwnScript() {
    Reply page = h.adminGet("/console");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
    assertThat(page.header("Cache-Control")).isEqualTo("no-cache");
    assertThat(page.header("ETag")).matches("\"[0-9a-f]{24}\"");
    assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
    String policy = page.header("Content-Security-Policy");
    assertThat(policy).startsWith("default-src 'self'; ").contains("script-src 'self'", "connect-src 'self'",
        "frame-ancestors 'none'", "form-action 'none'").doesNotContain("unsafe-inline", "unsafe-eval", "*");

    String html = text(page);
    assertThat(html).startsWith("<!doctype html>").contains("<html lang=\"en\">", "<meta charset=\"utf-8\">");
    assertThat(scripts(html)).as("scripts are files, none inline").containsExactly("console/console.js");
    assertThat(html).as("no inline style either").doesNotContain("<style", " style=");
    assertThat(html).as("the tables the console keeps live").contains("id=\"resources\"", "id=\"instances\"",
        "id=\"held\"", "id=\"tasks\"", "id=\"events\"", "aria-live=");

    assertThat(h.admin(HttpMethod.GET, "/admin/resources", null).status())
        .as("the API the page calls still needs the token").isEqualTo(401);
    assertThat(h.admin(HttpMethod.GET, "/admin/resources", null, TOKEN).status()).isEqualTo(200);
  }

  @Test
  void everyFileThePageNamesIsServedWithItsTypeAndNothingComesFromElsewhere() {
    String html = text(h.adminGet("/console"));
    List<String> named = new ArrayList<>(scripts(html));
    Matcher links = Pattern.compile("<link [^>]*href=\"([^\"]+)\"").matcher(html);
    while (links.find()) {
      named.add(links.group(1));
    }
    assertThat(named).containsExactlyInAnyOrder("console/console.js", "console/console.css");
    for (String name : named) {
      String path = URI.create("http://127.0.0.1/console").resolve(name).getPath();
      Reply file = h.adminGet(path);
      assertThat(file.status()).as(path).isEqualTo(200);
      assertThat(file.header("Content-Type")).as(path)
          .isEqualTo(name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8");
      assertThat(file.header("Cache-Control")).isEqualTo("no-cache");
      assertThat(file.header("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(text(file)).as("%s loads nothing from another origin", path)
          .doesNotContainPattern("(?i)https?://|url\\(\\s*['\"]?//|@import");
    }
    String script = text(h.adminGet("/console/console.js"));
    assertThat(script).as("the token lives in the tab's session only")
        .contains("sessionStorage").doesNotContain("localStorage", "document.cookie");
    assertThat(script).as("the stream is read with fetch, which can send the token")
        .contains("admin/events/stream", "Last-Event-ID").doesNotContain("new EventSource");
    assertThat(script).as("no HTML is parsed from data").doesNotContain("innerHTML", "insertAdjacentHTML", "eval(");
  }

  @Test
  void aBrowsersCopyIsRevalidatedByItsETag() {
    for (String path : List.of("/console", "/console/console.js", "/console/console.css")) {
      Reply first = h.adminGet(path);
      String etag = first.header("ETag");
      Reply again = h.adminGet(path, "If-None-Match", etag);
      assertThat(again.status()).as(path).isEqualTo(304);
      assertThat(again.body().length()).isZero();
      assertThat(again.header("ETag")).isEqualTo(etag);
      Reply other = h.adminGet(path, "If-None-Match", "\"something-else\"");
      assertThat(other.status()).isEqualTo(200);
      assertThat(other.body()).isEqualTo(first.body());
    }
    assertThat(h.adminGet("/console/console.js").header("ETag"))
        .isNotEqualTo(h.adminGet("/console/console.css").header("ETag"));
  }

  @Test
  void aFileTheConsoleDoesNotHaveIsA404Problem() {
    Reply missing = h.adminGet("/console/other.js");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.header("Content-Type")).isEqualTo("application/problem+json");
  }

  @Test
  void withASlashThePageIsSentWhereItsRelativeLinksResolve() {
    Reply slash = h.adminGet("/console/");
    assertThat(slash.status()).isEqualTo(308);
    String location = slash.header("Location");
    assertThat(URI.create("http://127.0.0.1/console/").resolve(location).getPath()).isEqualTo("/console");
    assertThat(h.adminGet(URI.create("http://127.0.0.1/console/").resolve(location).getPath()).status()).isEqualTo(200);
  }

  /** The {@code src} of every script element; fails on a script element with content of its own. */
  private static List<String> scripts(String html) {
    List<String> sources = new ArrayList<>();
    Matcher m = Pattern.compile("<script([^>]*)>(.*?)</script>", Pattern.DOTALL).matcher(html);
    while (m.find()) {
      assertThat(m.group(2).trim()).as("inline script").isEmpty();
      Matcher src = Pattern.compile("src=\"([^\"]+)\"").matcher(m.group(1));
      assertThat(src.find()).as("a script element without src").isTrue();
      sources.add(src.group(1));
    }
    return sources;
  }
}
