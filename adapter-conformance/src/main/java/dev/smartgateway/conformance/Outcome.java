package dev.smartgateway.conformance;

import dev.smartgateway.cloud.CloudException;

/**
 * How one SPI call ended: with a value, with a failed future, or by throwing where it should have answered a failed
 * future. The contract's rule that every failure is a typed {@link CloudException} is applied here, once, to every
 * call the kit makes, so that any test that meets an untyped failure fails for it.
 */
final class Outcome<T> {

  private final String what;
  private final T value;
  private final Throwable failure;
  private final boolean threw;

  private Outcome(String what, T value, Throwable failure, boolean threw) {
    this.what = what;
    this.value = value;
    this.failure = failure;
    this.threw = threw;
  }

  static <T> Outcome<T> succeeded(String what, T value) {
    return new Outcome<>(what, value, null, false);
  }

  static <T> Outcome<T> failed(String what, Throwable failure) {
    return new Outcome<>(what, null, failure, false);
  }

  /** The method threw instead of answering a future: the gateway calls it on its event loop, where that escapes. */
  static <T> Outcome<T> threw(String what, Throwable thrown) {
    return new Outcome<>(what, null, thrown, true);
  }

  boolean succeeded() {
    return failure == null;
  }

  /** What it failed with (or threw); null if it succeeded. */
  Throwable failure() {
    return failure;
  }

  boolean threw() {
    return threw;
  }

  /** The value; a typed failure becomes an assertion naming its kind, anything else one naming the rule broken. */
  T value() {
    if (failure == null) {
      return value;
    }
    CloudException typed = typedFailure();
    throw new AssertionError(what + " failed with CloudException " + typed.kind() + ": " + typed.getMessage(), typed);
  }

  /** The CloudException it failed with; an assertion if it succeeded, threw, or failed untyped. */
  CloudException cloudFailure() {
    if (failure == null) {
      throw new AssertionError(what + " succeeded (with " + value + ") where it must fail");
    }
    return typedFailure();
  }

  /** Succeeding is fine, and so is failing with a CloudException; throwing or an untyped failure is not. */
  void succeededOrTyped() {
    if (failure != null) {
      typedFailure();
    }
  }

  private CloudException typedFailure() {
    if (threw) {
      throw new AssertionError(what + " threw " + failure + " instead of answering a failed future; every SPI method"
          + " answers asynchronously, and its failures are CloudExceptions", failure);
    }
    if (failure instanceof CloudException typed) {
      return typed;
    }
    throw new AssertionError(what + " failed with " + failure.getClass().getName() + " (" + failure.getMessage()
        + "), not a CloudException: the gateway decides from the kind what a client gets and whether to retry",
        failure);
  }

  @Override
  public String toString() {
    if (failure == null) {
      return String.valueOf(value);
    }
    return (threw ? "threw " : "failed with ") + (failure instanceof CloudException ce ? "CloudException " + ce.kind()
        + ": " + ce.getMessage() : failure.toString());
  }
}
