package dev.smartgateway.browser;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A real headless Chromium for tests of pages a person sees (the waiting page, the console): Debian's
 * {@code /usr/bin/chromium} driven through Debian's {@code /usr/bin/chromedriver} by Selenium. Nothing is ever
 * downloaded: both paths are given explicitly, so Selenium Manager is never asked for a driver or a browser.
 *
 * <p>Each browser has a fresh profile under {@code target/browser-profiles/} (deleted when it closes) and writes
 * its screenshots to {@code target/screenshots/<name>-<step>.png} for a person to look at, and chromedriver's log
 * to {@code target/browser-logs/<name>.log}.
 *
 * <p>Where Chromium is missing, {@link #requireChromium()} skips the test with the reason, except under
 * {@code CI=true}, where the test fails: {@code .ci/run} installs {@code chromium} and {@code chromium-driver}.
 * {@link BrowserExtension} does all of this for a JUnit test class.
 */
public final class Browser implements AutoCloseable {

  /** Debian's Chromium; {@code -Dsmartgateway.chromium=...} points elsewhere. */
  public static final Path CHROMIUM = Path.of(System.getProperty("smartgateway.chromium", "/usr/bin/chromium"));
  /** Debian's chromedriver (package chromium-driver), of the same version as the browser. */
  public static final Path CHROMEDRIVER = Path.of(System.getProperty("smartgateway.chromedriver", "/usr/bin/chromedriver"));
  /** Headless, and nothing the browser would do on its own: no updates, no sync, no first-run pages, no GPU. */
  public static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
      "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
      "--window-size=1024,768");
  /** How long {@link #waitFor} waits by default: generous, for a loaded 2-core machine. */
  public static final Duration WAIT = Duration.ofSeconds(30);

  private static final Path TARGET = Path.of(System.getProperty("smartgateway.target", "target"));
  /**
   * Selenium warns on every start that it has no DevTools classes for this Chromium version; the tests use none
   * (WebDriver only). Held here: java.util.logging keeps only weak references to configured loggers.
   */
  private static final java.util.logging.Logger CDP_FINDER = quiet("org.openqa.selenium.devtools.CdpVersionFinder");
  private static final AtomicInteger PROFILES = new AtomicInteger();

  private final String name;
  private final ChromeDriverService service;
  private final ChromeDriver driver;
  private final Path profile;

  private Browser(String name, ChromeDriverService service, ChromeDriver driver, Path profile) {
    this.name = name;
    this.service = service;
    this.driver = driver;
    this.profile = profile;
  }

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
    logger.setLevel(java.util.logging.Level.SEVERE);
    return logger;
  }

  /** Why the browser cannot run here, or null if it can. */
  public static String missing() {
    if (!Files.isExecutable(CHROMIUM)) {
      return CHROMIUM + " is missing (Debian package chromium)";
    }
    if (!Files.isExecutable(CHROMEDRIVER)) {
      return CHROMEDRIVER + " is missing (Debian package chromium-driver)";
    }
    return null;
  }

  /**
   * Skips the calling test when Chromium or its driver is missing; under {@code CI=true} fails it instead, so a CI
   * run can never pass by skipping the browser tests.
   */
  public static void requireChromium() {
    String missing = missing();
    if (missing == null) {
      return;
    }
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException("browser tests need Chromium and CI=true: " + missing
          + "; .ci/run installs chromium and chromium-driver");
    }
    Assumptions.abort("browser test skipped: " + missing + " (apt-get install chromium chromium-driver)");
  }

  /**
   * Starts a headless Chromium.
   *
   * @param name what its screenshots and log are named after (a test's name): letters, digits, {@code -_.}
   */
  public static Browser start(String name) {
    requireChromium();
    String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
    Path profile;
    Path log;
    try {
      Path profiles = Files.createDirectories(TARGET.resolve("browser-profiles"));
      profile = Files.createTempDirectory(profiles, safe + "-" + PROFILES.incrementAndGet() + "-");
      log = Files.createDirectories(TARGET.resolve("browser-logs")).resolve(safe + ".log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Both set: the driver comes from here, never from Selenium Manager (which would download one).
    System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .withLogFile(log.toFile())
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(FLAGS);
    options.addArguments("--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriver driver;
    try {
      driver = new ChromeDriver(service, options);
    } catch (RuntimeException e) {
      service.stop();
      deleteTree(profile);
      throw e;
    }
    driver.manage().timeouts().pageLoadTimeout(WAIT);
    return new Browser(safe, service, driver, profile);
  }

  public WebDriver driver() {
    return driver;
  }

  /** Loads {@code url} (the page's load event, not what its scripts do later). */
  public Browser open(String url) {
    driver.get(url);
    return this;
  }

  /**
   * Waits, polling every 50 ms, until {@code condition} gives something other than null or false; returns it. An
   * element that went stale meanwhile (the page navigated between finding and reading it) counts as not yet.
   */
  public <T> T waitFor(String what, Function<WebDriver, T> condition) {
    return waitFor(what, WAIT, condition);
  }

  public <T> T waitFor(String what, Duration timeout, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, timeout, Duration.ofMillis(50))
        .withMessage(() -> what + " (page " + driver.getCurrentUrl() + ")")
        .ignoring(StaleElementReferenceException.class)
        .until(condition::apply);
  }

  /** The element's visible text; "" if there is none on the page. */
  public String text(By by) {
    String text = read(by, WebElement::getText);
    return text == null ? "" : text;
  }

  /** The element's attribute (or property); null if the element or the attribute is not there. */
  public String attribute(By by, String name) {
    return read(by, e -> e.getDomAttribute(name));
  }

  /** Reads from the first element found, again if the page changed under it (a script, a navigation). */
  private String read(By by, Function<WebElement, String> how) {
    for (int attempt = 0; ; attempt++) {
      try {
        List<WebElement> found = driver.findElements(by);
        return found.isEmpty() ? null : how.apply(found.get(0));
      } catch (StaleElementReferenceException e) {
        if (attempt == 2) {
          throw e;
        }
      }
    }
  }

  /** The page's visible text. */
  public String bodyText() {
    return text(By.tagName("body"));
  }

  /** Runs a script in the page and returns what it returns. */
  public Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  /** A screenshot of the viewport, {@code target/screenshots/<name>-<step>.png}; returns its path. */
  public Path screenshot(String step) {
    try {
      Path dir = Files.createDirectories(TARGET.resolve("screenshots"));
      Path file = dir.resolve(name + "-" + step.replaceAll("[^A-Za-z0-9._-]", "_") + ".png");
      File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
      Files.copy(shot.toPath(), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.deleteIfExists(shot.toPath());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
      deleteTree(profile);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a profile left behind under target/ is harmless
    }
  }
}
