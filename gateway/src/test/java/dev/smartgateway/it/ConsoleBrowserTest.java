package dev.smartgateway.it;

import dev.smartgateway.browser.Browser;
import dev.smartgateway.browser.BrowserExtension;
import dev.smartgateway.cloudmock.MockCloudOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real headless Chromium, on a real gateway and mock cloud: what it shows changes as the
 * gateway's events arrive, without a reload, and its buttons act through the admin API. Screenshots of each
 * step are written to {@code target/screenshots/} for a person to look at.
 */
@ExtendWith(BrowserExtension.class)
class ConsoleBrowserTest {

  private static final String TOKEN = "console-browser-token";
  private static final String TOKEN_KEY = "smart-gateway.console.token";

  @TempDir
  Path dir;

  @Test
  void anInstanceGoesFromStartingToReadyLiveAndItsStopButtonStopsIt(Browser browser) throws Exception {
    Path token = Files.writeString(dir.resolve("admin.token"), TOKEN + "\n");
    try (Harness h = Harness.start(MockCloudOptions.defaults().withBootDelay(5, 20).withResources(Set.of("app")), "", "",
        "admin: {port: 0, tokenFile: '" + token + "'}\n")) {
      browser.driver().manage().window().setSize(new Dimension(1280, 900));
      browser.open("http://127.0.0.1:" + h.adminPort() + "/console");

      // The API answers 401: the page asks for the token, once, and keeps it for this tab only.
      WebElement input = browser.waitFor("the page asks for the token", d -> shown(d, By.id("token")));
      assertThat(browser.text(By.id("link"))).isEqualTo("Token needed");
      browser.screenshot("1-token");
      input.sendKeys(TOKEN);
      browser.driver().findElement(By.cssSelector("#token-form button[type=submit]")).click();
      browser.waitFor("the event stream is live", d -> "live".equals(attr(d, By.id("link"), "data-link")));
      assertThat(browser.script("return sessionStorage.getItem(arguments[0])", TOKEN_KEY)).isEqualTo(TOKEN);
      assertThat(browser.script("return localStorage.length + ':' + document.cookie")).isEqualTo("0:");
      assertThat(shown(browser.driver(), By.id("forget"))).as("a token can be forgotten").isNotNull();
      // A reload would lose this: what follows must arrive in the page as it is.
      browser.script("window.notReloaded = true");

      // Pre-warm while the cloud holds boots: the instance shows up STARTING by itself.
      h.faults("{\"holdBoots\": true}");
      browser.driver().findElement(By.id("start-resource")).sendKeys("app");
      browser.driver().findElement(By.id("start-groups")).sendKeys("g1");
      browser.driver().findElement(By.cssSelector("#start-form button[type=submit]")).click();
      WebElement row = browser.waitFor("app's instance shows STARTING", d -> instance(d, "app", "STARTING"));
      String ref = row.getDomAttribute("data-key");
      browser.waitFor("its start task shows running", d -> task(d, "app", "start", "running"));
      assertThat(browser.text(By.id("sum-held"))).isEqualTo("0");
      browser.screenshot("2-starting");

      // The boot is released: READY, live.
      h.faults("{\"holdBoots\": false}");
      row = browser.waitFor("app's instance shows READY", d -> instance(d, "app", "READY"));
      assertThat(row.getDomAttribute("data-key")).isEqualTo(ref);
      browser.waitFor("its start task shows succeeded", d -> task(d, "app", "start", "succeeded"));
      browser.waitFor("the events show READY", d -> event(d, ref, "READY"));
      assertThat(row.findElement(By.cssSelector("[data-col=state]")).getText()).isEqualTo("READY");
      browser.screenshot("3-ready");

      // Stop, with a request in flight: the instance drains (shown DRAINING with it) until the request ends
      // (its client goes away), then it stops and leaves the table (a STOPPING instance is no longer listed).
      try (Socket slow = new Socket("127.0.0.1", h.port())) {
        slow.getOutputStream().write("GET /smart_proxy/app/g1/slow?ms=600000 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
        slow.getOutputStream().flush();
        h.awaitInFlight(1);
        WebElement stop = row.findElement(By.cssSelector("button[data-action=stop]"));
        assertThat(stop.getDomAttribute("aria-label")).isEqualTo("Stop app " + instanceId(h, ref));
        stop.click();
        WebElement draining = browser.waitFor("app's instance shows DRAINING", d -> instance(d, "app", "DRAINING"));
        browser.waitFor("its request in flight is shown", d -> "1".equals(text(draining, "in-flight")) ? true : null);
        assertThat(draining.findElement(By.cssSelector("button[data-action=stop]")).isEnabled())
            .as("a draining instance is being stopped already").isFalse();
        browser.screenshot("4-draining");
      }
      browser.waitFor("app's instance is gone", d -> instance(d, "app", null) == null);
      browser.waitFor("the events show it STOPPING", d -> event(d, ref, "STOPPING"));
      browser.waitFor("the events show it STOPPED", d -> event(d, ref, "STOPPED"));
      browser.waitFor("its stop task shows succeeded", d -> task(d, "app", "stop", "succeeded"));
      assertThat(browser.script("return window.notReloaded === true")).as("the page was never reloaded").isEqualTo(true);
      assertThat(browser.text(By.cssSelector("[data-empty-for=instances]"))).isEqualTo("No instance is running.");
      assertThat(browser.driver().findElements(By.cssSelector("#notices .notice.problem"))).as("no problem shown").isEmpty();
      browser.screenshot("5-stopped");
      h.assertNoLeaks();
    }
  }

  @Test
  void withoutATokenItJustWorksShowsRefusalsCancelsAStartAndComesBackAfterADrop(Browser browser) {
    try (Harness h = Harness.start(MockCloudOptions.defaults().withBootDelay(5, 20).withResources(Set.of("app", "guarded")),
        "", "", "resources:\n  guarded: {allowedGroups: [team]}\n");
         CuttableLink link = CuttableLink.to(h, h.adminPort())) {
      browser.driver().manage().window().setSize(new Dimension(420, 900));
      browser.open("http://127.0.0.1:" + link.port() + "/console");
      browser.waitFor("the event stream is live", d -> "live".equals(attr(d, By.id("link"), "data-link")));
      browser.waitFor("the configured resource is listed", d -> found(d, By.cssSelector("#resources tr[data-key=guarded]")));
      assertThat(shown(browser.driver(), By.id("token"))).as("no token asked for").isNull();
      assertThat(shown(browser.driver(), By.id("forget"))).as("no token to forget").isNull();

      // A start the gateway refuses: its problem (403 forbidden) is shown with its detail.
      start(browser, "guarded", "other");
      WebElement problem = browser.waitFor("the refusal is shown", d -> found(d, By.cssSelector("#notices .notice.problem")));
      assertThat(problem.getDomAttribute("role")).isEqualTo("alert");
      assertThat(problem.getText()).contains("Start of guarded", "forbidden", "403");
      browser.script("window.scrollTo(0, 0)");
      browser.screenshot("1-refused-narrow");

      // A start held booting is cancelled from its task's Cancel button.
      h.faults("{\"holdBoots\": true}");
      start(browser, "app", "g1");
      WebElement task = browser.waitFor("the start task shows running", d -> task(d, "app", "start", "running"));
      WebElement cancel = task.findElement(By.cssSelector("button[data-action=cancel]"));
      assertThat(cancel.isDisplayed()).isTrue();
      cancel.click();
      browser.waitFor("the start task shows cancelled", d -> task(d, "app", "start", "cancelled"));
      browser.waitFor("the cancelled instance is gone", d -> instance(d, "app", null) == null);
      browser.screenshot("2-cancelled-narrow");
      ((ChromeDriver) browser.driver()).executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
          List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
      browser.driver().manage().window().setSize(new Dimension(1280, 900));
      browser.waitFor("the dark colours apply", d -> "rgb(13, 17, 23)".equals(
          browser.script("return getComputedStyle(document.documentElement).backgroundColor")));
      browser.script("window.scrollTo(0, 0)");
      browser.screenshot("3-dark");
      h.faults("{\"holdBoots\": false}");

      // The connection drops (the gateway stays up): the console says so, reconnects by itself with the number
      // of the last event it saw, and shows what happened meanwhile.
      link.cut();
      browser.waitFor("the console says the stream dropped", d -> "down".equals(attr(d, By.id("link"), "data-link")));
      browser.screenshot("4-dropped");
      Harness.Reply started = h.admin(HttpMethod.POST, "/admin/resources/app/start", "{\"groups\": [\"g2\"]}");
      assertThat(started.status()).isEqualTo(202);
      String ref = started.json().getJsonObject("instance").getString("ref");
      Harness.eventually("app's g2 instance is READY", () -> Harness.await(h.gateway.lifecycle().instances()).stream()
          .anyMatch(i -> i.ref().equals(ref) && i.state().name().equals("READY")));
      link.restore();
      browser.waitFor("the stream is live again", d -> "live".equals(attr(d, By.id("link"), "data-link")));
      browser.waitFor("the instance started meanwhile is shown READY", d -> instance(d, "app", "READY"));
      browser.waitFor("and its events", d -> event(d, ref, "READY"));
      assertThat(link.sent().toLowerCase(java.util.Locale.ROOT)).as("it asked for what it missed")
          .containsPattern("last-event-id: [0-9]+\r\n");
      browser.screenshot("5-back");
      h.assertNoLeaks();
    }
  }

  // ------------------------------------------------------------------ a connection that can be cut

  /**
   * A TCP relay between the browser and the admin listener: {@link #cut()} closes every connection through it
   * and refuses new ones until {@link #restore()}, as a network that drops; the gateway goes on meanwhile. It
   * keeps what the browser sent, to see the headers of its requests.
   */
  static final class CuttableLink implements AutoCloseable {

    private final NetServer server;
    private final NetClient client;
    private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
    private final StringBuffer sent = new StringBuffer();
    private volatile boolean cut;

    private CuttableLink(Harness h, int target) {
      client = h.vertx.createNetClient();
      server = h.vertx.createNetServer().connectHandler(in -> {
        if (cut) {
          in.close();
          return;
        }
        in.pause();
        client.connect(target, "127.0.0.1").onComplete(ar -> {
          if (ar.failed() || cut) {
            in.close();
            return;
          }
          NetSocket out = ar.result();
          open.add(in);
          open.add(out);
          in.handler(b -> {
            if (sent.length() < (1 << 20)) {
              sent.append(b.toString(StandardCharsets.ISO_8859_1));
            }
            out.write(b);
          });
          out.handler(in::write);
          in.closeHandler(v -> {
            open.remove(in);
            out.close();
          });
          out.closeHandler(v -> {
            open.remove(out);
            in.close();
          });
          in.resume();
        });
      });
      Harness.await(server.listen(0, "127.0.0.1"));
    }

    static CuttableLink to(Harness h, int port) {
      return new CuttableLink(h, port);
    }

    int port() {
      return server.actualPort();
    }

    void cut() {
      cut = true;
      open.forEach(NetSocket::close);
    }

    void restore() {
      cut = false;
    }

    String sent() {
      return sent.toString();
    }

    @Override
    public void close() {
      cut();
      Harness.await(server.close());
      Harness.await(client.close());
    }
  }

  // ------------------------------------------------------------------ reading the page

  private static void start(Browser browser, String resource, String groups) {
    WebElement name = browser.driver().findElement(By.id("start-resource"));
    WebElement list = browser.driver().findElement(By.id("start-groups"));
    name.clear();
    name.sendKeys(resource);
    list.clear();
    list.sendKeys(groups);
    browser.driver().findElement(By.cssSelector("#start-form button[type=submit]")).click();
  }

  private static WebElement found(WebDriver d, By by) {
    List<WebElement> all = d.findElements(by);
    return all.isEmpty() ? null : all.get(0);
  }

  private static WebElement shown(WebDriver d, By by) {
    WebElement e = found(d, by);
    return e != null && e.isDisplayed() ? e : null;
  }

  private static String attr(WebDriver d, By by, String name) {
    WebElement e = found(d, by);
    return e == null ? null : e.getDomAttribute(name);
  }

  /** The resource's instance row, in that state (any state if null); null if there is none. */
  private static WebElement instance(WebDriver d, String resource, String state) {
    WebElement row = found(d, By.cssSelector("#instances tbody tr[data-resource='" + resource + "']"));
    return row != null && (state == null || state.equals(row.getDomAttribute("data-state"))) ? row : null;
  }

  /** The newest task row of this resource and kind, if it is in that state. */
  private static WebElement task(WebDriver d, String resource, String kind, String state) {
    WebElement row = found(d, By.cssSelector("#tasks tbody tr[data-resource='" + resource + "'][data-kind='" + kind + "']"));
    return row != null && state.equals(row.getDomAttribute("data-state")) ? row : null;
  }

  /** An events row of this instance (by its ref) that went to {@code to}. */
  private static Boolean event(WebDriver d, String ref, String to) {
    for (WebElement row : d.findElements(By.cssSelector("#events tbody tr"))) {
      String key = row.getDomAttribute("data-key");
      if (key.startsWith("lifecycle|" + to + "|" + ref + "|")) {
        return true;
      }
    }
    return false;
  }

  private static String text(WebElement row, String column) {
    return row.findElement(By.cssSelector("[data-col='" + column + "']")).getText();
  }

  private static String instanceId(Harness h, String ref) {
    return Harness.await(h.gateway.lifecycle().instances()).stream().filter(i -> i.ref().equals(ref)).findFirst()
        .map(i -> i.instanceId() == null ? ref : i.instanceId()).orElseThrow();
  }
}
