package dev.smartgateway.conformance;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the contract waits. Every wait is for a condition and ends at its deadline with a failure that says what
 * did not happen; none of them is a pause. The defaults are generous, for real VMs on a loaded machine: an adapter
 * whose instances boot in milliseconds passes as fast with them as with short ones, so an author lowers them only to
 * make a failing run fail sooner, and raises {@link #ready} for images that take minutes.
 *
 * @param call  one SPI call ({@code start}, {@code describe}, {@code stop}, {@code list}, {@code suspend},
 *              {@code resume}, {@code close}, the factory's {@code create}) until its future completes
 * @param ready from {@code start} (or {@code resume}) until the instance is RUNNING and its endpoint answers HTTP
 * @param stop  from {@code stop} until {@code describe} reports the instance STOPPED or FAILED, or no longer knows it
 */
public record ContractTimeouts(Duration call, Duration ready, Duration stop) {

  /** 60 s per call, 5 minutes to be ready, 2 minutes to stop. */
  public static final ContractTimeouts DEFAULTS =
      new ContractTimeouts(Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ofMinutes(2));

  public ContractTimeouts {
    positive(call, "call");
    positive(ready, "ready");
    positive(stop, "stop");
  }

  public ContractTimeouts withCall(Duration call) {
    return new ContractTimeouts(call, ready, stop);
  }

  public ContractTimeouts withReady(Duration ready) {
    return new ContractTimeouts(call, ready, stop);
  }

  public ContractTimeouts withStop(Duration stop) {
    return new ContractTimeouts(call, ready, stop);
  }

  private static void positive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + ": must be longer than 0, got " + value);
    }
  }
}
