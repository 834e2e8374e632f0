package dev.smartgateway.browser;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension for browser tests: {@code @ExtendWith(BrowserExtension.class)} skips each test when Chromium is
 * missing (fails it under {@code CI=true}, see {@link Browser#requireChromium}), gives each test method that asks
 * for a {@link Browser} parameter a fresh one named {@code <TestClass>.<method>}, and closes it after the test, with
 * a last screenshot ({@code -failed}) when the test failed.
 */
public final class BrowserExtension implements BeforeEachCallback, ParameterResolver, AfterEachCallback {

  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(BrowserExtension.class);

  /** Per test, not per class: each test is then reported skipped, with the reason, where Chromium is missing. */
  @Override
  public void beforeEach(ExtensionContext context) {
    Browser.requireChromium();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Browser.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    String name = context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName();
    Browser browser = Browser.start(name);
    context.getStore(NS).put("browser", browser);
    return browser;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Browser browser = context.getStore(NS).remove("browser", Browser.class);
    if (browser == null) {
      return;
    }
    try {
      if (context.getExecutionException().isPresent()) {
        browser.screenshot("failed");
      }
    } catch (RuntimeException ignored) {
      // the browser may be what failed; the test's own error is the one to report
    } finally {
      browser.close();
    }
  }
}
