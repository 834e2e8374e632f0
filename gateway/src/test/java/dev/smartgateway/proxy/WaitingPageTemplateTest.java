package dev.smartgateway.proxy;

import dev.smartgateway.config.ConfigException;
import dev.smartgateway.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The waiting page's template: read and checked once, every value HTML-escaped. */
class WaitingPageTemplateTest {

  @Test
  void theBuiltInTemplateUsesEveryPlaceholderAndLoadsNothingFromElsewhere() throws IOException {
    String builtIn;
    try (var in = WaitingPage.class.getResourceAsStream(WaitingPage.BUILT_IN)) {
      builtIn = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    WaitingPage.load(ServerConfig.defaults()); // parses
    for (String name : WaitingPage.PLACEHOLDERS) {
      assertThat(builtIn).as("the built-in page shows what a theme can").contains("{{" + name + "}}");
    }
    assertThat(builtIn).doesNotContain("http://").doesNotContain("https://").doesNotContain(" src=");
  }

  @Test
  void everyValueIsHtmlEscapedAndPlaceholdersMayHaveSpaces() {
    WaitingPage page = WaitingPage.parse("<a href=\"{{ retryUrl }}\" title='{{detail}}'>{{resource}}</a>{{status}}",
        "t.html", "smart_proxy");
    Map<String, String> values = new LinkedHashMap<>();
    values.put("retryUrl", "/smart_proxy/r/g/?a=1&b=\"><script>");
    values.put("detail", "it's <b>");
    values.put("resource", "r&d");
    assertThat(page.render(values)).isEqualTo("<a href=\"/smart_proxy/r/g/?a=1&amp;b=&quot;&gt;&lt;script&gt;\" "
        + "title='it&#39;s &lt;b&gt;'>r&amp;d</a>");
  }

  @Test
  void anUnknownPlaceholderOrAnUnreadableFileIsAConfigErrorNamingTheKey(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("t.html");
    Files.writeString(file, "<p>{{resource}}</p>\n\n<p>{{resorce}}</p>");
    assertThatThrownBy(() -> WaitingPage.load(withTemplate(file)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("server.waitingPageTemplate: " + file + ", line 3: unknown placeholder {{resorce}} (known: "
            + String.join(", ", WaitingPage.PLACEHOLDERS) + ")");
    Files.write(file, new byte[] {'<', 'p', '>', (byte) 0xff, (byte) 0xfe});
    assertThatThrownBy(() -> WaitingPage.load(withTemplate(file))).isInstanceOf(ConfigException.class)
        .hasMessage("server.waitingPageTemplate: " + file + " is not UTF-8 text");
    Files.writeString(file, "  \n");
    assertThatThrownBy(() -> WaitingPage.load(withTemplate(file))).isInstanceOf(ConfigException.class)
        .hasMessage("server.waitingPageTemplate: " + file + " is empty");
    assertThatThrownBy(() -> WaitingPage.load(withTemplate(dir.resolve("nope.html")))).isInstanceOf(ConfigException.class)
        .hasMessage("server.waitingPageTemplate: file not found: " + dir.resolve("nope.html"));
  }

  private static ServerConfig withTemplate(Path file) {
    ServerConfig d = ServerConfig.defaults();
    return new ServerConfig(d.host(), d.port(), d.prefix(), d.maxBodyBytes(), d.maxHeaderBytes(),
        d.maxInitialLineLength(), d.idleTimeout(), d.shutdownGrace(), d.requestHeaderTimeout(), d.bodyIdleTimeout(),
        d.maxConnections(), d.trustedProxies(), d.maxResponseHeaderBytes(), d.maxResponseLineLength(),
        d.accessLogQueue(), d.webSocketIdleTimeout(), file);
  }
}
