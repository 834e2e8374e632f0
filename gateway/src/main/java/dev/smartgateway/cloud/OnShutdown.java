package dev.smartgateway.cloud;

/**
 * What {@code close()} does with the instances an adapter runs on this machine or daemon ({@code provider.onShutdown}):
 * the {@code process}, {@code docker} and {@code qemu} adapters offer the same choice. Read with
 * {@link ProviderJson#onShutdown}.
 */
public enum OnShutdown {
  /** Leave them running: the next gateway with the same id adopts them (from its records, labels or pid files). */
  LEAVE,
  /** Stop every instance of this provider (each bounded by its stopTimeout, then killed). */
  STOP
}
