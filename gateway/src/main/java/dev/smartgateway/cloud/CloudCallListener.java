package dev.smartgateway.cloud;

/**
 * Told of every cloud API call a {@link ResilientCloudProvider} makes: each attempt (a retry is an attempt of its
 * own) with how long it took and how it ended, and each call the circuit breaker refused. The metrics subscribe
 * here; the cloud package knows nothing of them. Called on whichever thread the attempt ends on (an event loop or
 * the control context): it must be quick, must not block and must not throw.
 */
public interface CloudCallListener {

  /** Listens to nothing. */
  CloudCallListener NONE = new CloudCallListener() {
    @Override
    public void attempted(String provider, String operation, long nanos, Throwable failure) {
    }
  };

  /**
   * One attempt ended.
   *
   * @param provider  the provider's name ({@link ResilientCloudProvider#name()}: its type, numbered when a type is
   *                  configured more than once)
   * @param operation {@code start}, {@code describe}, {@code stop} or {@code list}
   * @param nanos     from the call to its answer (or its timeout)
   * @param failure   null if it succeeded; otherwise what it failed with, a {@link CloudException} as a rule
   */
  void attempted(String provider, String operation, long nanos, Throwable failure);

  /** A call was not made: the circuit breaker is open (the caller got a TRANSIENT failure at once). */
  default void refused(String provider, String operation) {
  }
}
