package dev.smartgateway.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smartgateway.config.ResourceSettings.Protocol;
import org.junit.jupiter.api.Test;

/** The readiness probe and the liveness ping speak the resource's {@code protocol}: an h2c-only server answers no other. */
class ProbeProtocolTest {

  @Test
  void anH2cResourceIsProbedAndPingedOverH2c() {
    Rig rig = new Rig("resources: {grpc: {protocol: h2c, liveness: {ping: 10s}}}");

    rig.warmUp("grpc", "g").release();
    assertThat(rig.prober.protocols).as("the readiness probe").containsOnly(Protocol.H2C).isNotEmpty();

    int probes = rig.prober.protocols.size();
    rig.clock.advance(12_000);
    assertThat(rig.prober.protocols.size()).as("a liveness ping went out").isGreaterThan(probes);
    assertThat(rig.prober.protocols).containsOnly(Protocol.H2C);
  }

  @Test
  void anyOtherResourceIsProbedOverHttp11() {
    Rig rig = new Rig("resources: {grpc: {protocol: h2c}}");

    rig.warmUp("web", "g").release();

    assertThat(rig.prober.protocols).containsOnly(Protocol.HTTP1).isNotEmpty();
  }
}
