package dev.smartgateway.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.smartgateway.config.ConfigTexts.failure;
import static dev.smartgateway.config.ConfigTexts.parse;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code ignoreUserAgents} under {@code defaults} and {@code resources.<id>} (DESIGN section 7a). */
class IgnoreUserAgentsConfigTest {

  @Test
  void noneByDefault() {
    assertThat(parse("").defaults().ignoreUserAgents().isEmpty()).isTrue();
    assertThat(parse("").defaults().ignoreUserAgents().firstMatch("Googlebot/2.1")).isNull();
  }

  @Test
  void expressionsAreFoundAnywhereInTheUserAgent() {
    UserAgentPatterns patterns = parse("defaults: {ignoreUserAgents: ['(?i)bot', kube-probe]}").defaults().ignoreUserAgents();

    assertThat(patterns.expressions()).containsExactly("(?i)bot", "kube-probe");
    assertThat(patterns.firstMatch("Mozilla/5.0 (compatible; Googlebot/2.1)")).isEqualTo("(?i)bot");
    assertThat(patterns.firstMatch("BOT")).isEqualTo("(?i)bot");
    assertThat(patterns.firstMatch("kube-probe/1.29")).isEqualTo("kube-probe");
    assertThat(patterns.firstMatch("curl/8.5.0")).isNull();
    assertThat(patterns.firstMatch(null)).as("no User-Agent header").isNull();
  }

  @Test
  void aResourceInheritsTheDefaultsListOrReplacesItAsAWhole() {
    GatewayConfig config = parse("""
        defaults: {ignoreUserAgents: [bot]}
        resources:
          inherits: {idleTimeout: 1m}
          own: {ignoreUserAgents: [crawler]}
          none: {ignoreUserAgents: []}
        """);

    assertThat(config.settingsFor("inherits").ignoreUserAgents().expressions()).containsExactly("bot");
    assertThat(config.settingsFor("own").ignoreUserAgents().expressions()).containsExactly("crawler");
    assertThat(config.settingsFor("none").ignoreUserAgents().isEmpty()).isTrue();
    assertThat(config.settingsFor("unlisted").ignoreUserAgents().expressions()).containsExactly("bot");
  }

  @Test
  void settingsWithTheSameExpressionsAreEqual() {
    assertThat(parse("defaults: {ignoreUserAgents: [a, b]}").defaults())
        .isEqualTo(parse("defaults: {ignoreUserAgents: [a, b]}").defaults());
    assertThat(UserAgentPatterns.of(List.of())).isEqualTo(UserAgentPatterns.none());
  }

  @Test
  void aBadExpressionNamesTheKeyAndIndex() {
    ConfigException e = failure("resources: {demo: {ignoreUserAgents: [bot, '(?i']}}");

    assertThat(e.key()).isEqualTo("resources.demo.ignoreUserAgents[1]");
    assertThat(e.reason()).startsWith("\"(?i\" is not a regular expression");
  }

  @Test
  void anEmptyExpressionWouldMatchEveryoneAndIsRefused() {
    assertThat(failure("defaults: {ignoreUserAgents: ['']}").key()).isEqualTo("defaults.ignoreUserAgents[0]");
  }

  @Test
  void itIsAListOfText() {
    assertThat(failure("defaults: {ignoreUserAgents: bot}").key()).isEqualTo("defaults.ignoreUserAgents");
    assertThat(failure("defaults: {ignoreUserAgents: [1]}").key()).isEqualTo("defaults.ignoreUserAgents[0]");
  }
}
