package dev.smartgateway.conformance;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Keeps the deliberately broken providers' test classes from running as tests of their own (where they fail, as
 * they must): they run only when {@link BrokenProviderConformanceTest} launches them with {@link #KEY} set.
 */
final class OnlyInSelfTest implements ExecutionCondition {

  static final String KEY = "smartgateway.conformance.selftest";

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    return context.getConfigurationParameter(KEY).filter("true"::equals).isPresent()
        ? ConditionEvaluationResult.enabled("launched by BrokenProviderConformanceTest")
        : ConditionEvaluationResult.disabled("a deliberately broken provider: BrokenProviderConformanceTest runs it");
  }
}
