package dev.smartgateway.it;

import dev.smartgateway.browser.Browser;
import dev.smartgateway.browser.BrowserExtension;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

import java.util.LinkedHashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The waiting page in a real headless Chromium, against a real gateway and the real mock cloud: what a person
 * clicking a stable link sees. Screenshots of every step go to {@code gateway/target/screenshots/}.
 */
@ExtendWith(BrowserExtension.class)
class WaitingPageBrowserTest {

  private static String phase(Browser browser) {
    return browser.attribute(By.tagName("body"), "data-phase");
  }

  @Test
  void theWaitingPageShowsThePhaseAndATickingTimeThenOpensTheVmByItself(Browser browser) {
    try (Harness h = Harness.start(3000, 3000, "")) {
      String path = "/smart_proxy/demo/g1/reports/q3%202026/?year=2026&sort=-date&q=a%2Fb+c";
      browser.open("http://127.0.0.1:" + h.port() + path);

      assertThat(browser.text(By.tagName("h1"))).isEqualTo("Starting demo…");
      assertThat(phase(browser)).isIn("starting", "booting");
      assertThat(browser.text(By.id("phase"))).isNotBlank();
      String firstElapsed = browser.text(By.id("elapsed"));
      assertThat(firstElapsed).matches("\\d+ s");
      browser.screenshot("1-waiting");

      Set<String> phases = new LinkedHashSet<>();
      String later = browser.waitFor("the elapsed time ticks", d -> {
        phases.add(phase(browser));
        String now = browser.text(By.id("elapsed"));
        return now.equals(firstElapsed) ? null : now;
      });
      assertThat(Integer.parseInt(later.replace(" s", ""))).isGreaterThan(Integer.parseInt(firstElapsed.replace(" s", "")));
      assertThat(browser.text(By.id("phase"))).isIn("Asking the cloud for a machine…", "The machine is booting…",
          "The machine is up; its application is starting…");
      browser.screenshot("2-ticking");
      assertThat(phases).contains("booting");

      // No click, no reload: the page moves on to the VM by itself, at the very URL asked for.
      String body = browser.waitFor("the VM's own answer", d -> {
        String text = browser.bodyText();
        return text.contains("\"vm\"") ? text : null;
      });
      // Chromium shows a JSON answer as text in a <pre> (with a pretty-print switch of its own above it).
      body = browser.text(By.tagName("pre"));
      JsonObject echo = new JsonObject(body);
      assertThat(echo.getString("path")).isEqualTo("/reports/q3%202026/");
      assertThat(echo.getString("query")).isEqualTo("year=2026&sort=-date&q=a%2Fb+c");
      assertThat(echo.getString("resource")).isEqualTo("demo");
      assertThat(browser.driver().getCurrentUrl()).isEqualTo("http://127.0.0.1:" + h.port() + path);
      assertThat(h.stats().getInteger("started")).isEqualTo(1);
      browser.screenshot("3-vm");
    }
  }

  @Test
  void aBootFailureShowsTheFailurePageAndAReloadDuringTheBackoffStartsNothing(Browser browser) {
    try (Harness h = Harness.start(1000, 1000, "defaults: {startBackoff: {initial: 30s, max: 1m}}")) {
      h.faults(new JsonObject().put("bootFailureRate", 1.0));
      String url = "http://127.0.0.1:" + h.port() + "/smart_proxy/wiki/staff/page?id=7";
      browser.open(url);
      assertThat(phase(browser)).isIn("starting", "booting");
      browser.screenshot("1-waiting");

      browser.waitFor("the failure is shown", d -> "failed".equals(phase(browser)));
      assertFailurePage(browser, url);
      browser.screenshot("2-failed");
      assertThat(h.stats().getInteger("started")).isEqualTo(1);

      // A reload (and the page's own link) during the backoff: the failure again, straight from the gateway.
      browser.driver().navigate().refresh();
      assertThat(phase(browser)).as("served as a failure page, not 'Starting…'").isEqualTo("failed");
      assertFailurePage(browser, url);
      assertThat(browser.text(By.id("failure-detail"))).contains("the next start is in");
      assertThat(browser.text(By.id("retry-wait"))).matches("You can try again in \\d+ s\\.");
      browser.screenshot("3-reloaded");
      browser.driver().findElement(By.id("retry")).click();
      browser.waitFor("the retry link loads the page again", d -> "failed".equals(phase(browser)));
      assertThat(browser.driver().getCurrentUrl()).isEqualTo(url);
      assertThat(h.stats().getInteger("started")).as("no start during the backoff").isEqualTo(1);
    }
  }

  private static void assertFailurePage(Browser browser, String url) {
    assertThat(browser.text(By.tagName("h1"))).isEqualTo("The VM failed to start");
    assertThat(browser.text(By.id("failure-detail"))).contains("FAILED");
    assertThat(browser.text(By.id("failure-type"))).isEqualTo("502 · urn:smart-gateway:problem:boot-failed");
    assertThat(browser.driver().findElement(By.id("retry")).isDisplayed()).isTrue();
    assertThat(browser.driver().findElement(By.id("retry")).getDomProperty("href")).isEqualTo(url);
    assertThat(browser.driver().findElement(By.id("phase")).isDisplayed()).as("no 'Starting…' left").isFalse();
    assertThat(browser.driver().getTitle()).isEqualTo("wiki: The VM failed to start");
  }
}
