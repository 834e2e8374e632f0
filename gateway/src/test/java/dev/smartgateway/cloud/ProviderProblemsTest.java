package dev.smartgateway.cloud;

import dev.smartgateway.config.ConfigException;
import dev.smartgateway.config.ConfigLoader;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What adapters refuse is a configuration problem under the section's key; all of them are reported together. */
class ProviderProblemsTest {

  @Test
  void refusedSettingsBecomeProblemsUnderTheSectionsKey() {
    assertThat(ProviderRegistry.asProblem("provider", new IllegalArgumentException("unknown key 'x' (known: url)")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e).hasMessage("provider: unknown key 'x' (known: url)"));
    assertThat(ProviderRegistry.asProblem("resources.a.provider", new IllegalArgumentException("provider.images: required")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e).hasMessage("resources.a.provider.images: required"));
    assertThat(ProviderRegistry.asProblem("resources.a.provider", new ConfigException("provider.resources.f.command", "required")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("resources.a.provider.resources.f.command"));
    assertThat(ProviderRegistry.asProblem("provider", new IllegalStateException("disk full")))
        .isNotInstanceOf(ConfigException.class).hasMessage("provider: disk full");
  }

  @Test
  void everyProviderProblemIsReportedTogether() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      var config = ConfigLoader.parse("""
          provider: {type: nimbus}
          resources:
            legacy: {provider: {type: static}}
            other: {provider: {type: mock, url: nowhere}}
          """, "gw.yaml");
      assertThatThrownBy(() -> ProviderRegistry.create(vertx, config).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause().isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
              .extracting(ConfigException::key)
              .containsExactlyInAnyOrder("provider.type", "resources.legacy.provider.endpoints", "resources.other.provider.url"));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
