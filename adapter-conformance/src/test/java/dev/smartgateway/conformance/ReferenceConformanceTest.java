package dev.smartgateway.conformance;

import org.junit.jupiter.api.AfterEach;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract passes on a provider that follows the SPI, suspend and resume included (which no built-in adapter
 * offers yet), and every test leaves the cloud as it found it: the control for {@link BrokenProviderConformanceTest}.
 */
class ReferenceConformanceTest extends LoopbackContract {

  /** Runs after the kit's own clean-up: nothing the test started may still run. */
  @AfterEach
  void nothingIsLeftRunning() {
    assertThat(cloud.live()).as("VMs still running after the test").isEmpty();
  }
}
