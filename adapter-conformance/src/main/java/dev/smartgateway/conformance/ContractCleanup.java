package dev.smartgateway.conformance;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.TestAbortedException;

import java.lang.reflect.Method;

/**
 * Ends each contract test's session (stops what it started, closes its providers) right after the test method,
 * passed or failed, and <em>before</em> any {@code @AfterEach}: an author's {@code @AfterEach} typically tears
 * down the cloud fixture (a fake API, a mock cloud), and the instances must be stopped while it still answers.
 */
final class ContractCleanup implements InvocationInterceptor {

  @Override
  public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                  ExtensionContext extensionContext) throws Throwable {
    Throwable failure = null;
    try {
      invocation.proceed();
    } catch (Throwable e) {
      failure = e;
    }
    if (invocationContext.getTarget().orElse(null) instanceof CloudProviderContract contract) {
      try {
        contract.endContractSession();
      } catch (Throwable leak) {
        if (failure == null) {
          failure = leak;
        } else if (failure instanceof TestAbortedException skipped) {
          // A skipped test that leaked an instance must not look skipped.
          leak.addSuppressed(skipped);
          failure = leak;
        } else {
          failure.addSuppressed(leak);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
