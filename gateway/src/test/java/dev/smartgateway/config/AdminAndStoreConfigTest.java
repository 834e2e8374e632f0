package dev.smartgateway.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code admin:}, {@code state:} and {@code store:} sections. */
class AdminAndStoreConfigTest {

  @Test
  void anEmptyFileMeansAnAdminListenerOnLoopbackAndAnEmbeddedStoreUnderState() {
    GatewayConfig config = ConfigTexts.parse("");
    assertThat(config.admin()).isEqualTo(AdminConfig.defaults());
    assertThat(config.admin().host()).isEqualTo("127.0.0.1");
    assertThat(config.admin().port()).isEqualTo(8081);
    assertThat(config.store().type()).isEqualTo(StoreConfig.Type.EMBEDDED);
    assertThat(config.store().dir()).isEqualTo(Path.of("state"));
  }

  @Test
  void everyAdminKeyIsRead() {
    GatewayConfig config = ConfigTexts.parse("admin: {enabled: false, host: 10.0.0.5, port: 9443, tokenFile: /t,"
        + " tls: {cert: c.pem, key: k.pem}, fanout: {maxTargets: 5, maxConcurrency: 2, maxBodySize: 4k}}");
    AdminConfig admin = config.admin();
    assertThat(admin.enabled()).isFalse();
    assertThat(admin.host()).isEqualTo("10.0.0.5");
    assertThat(admin.port()).isEqualTo(9443);
    assertThat(admin.tokenFile()).isEqualTo(Path.of("/t"));
    assertThat(admin.tls()).isEqualTo(new TlsConfig("admin.tls", Path.of("c.pem"), Path.of("k.pem"),
        TlsConfig.DEFAULT_RELOAD_INTERVAL));
    assertThat(admin.fanoutMaxTargets()).isEqualTo(5);
    assertThat(admin.fanoutMaxConcurrency()).isEqualTo(2);
    assertThat(admin.fanoutMaxBodyBytes()).isEqualTo(4096);
  }

  @Test
  void everyStoreKeyIsRead() {
    GatewayConfig config = ConfigTexts.parse("state: {dir: /var/lib/sg}\nstore: {type: postgresql,"
        + " url: 'postgresql://sg@db:5432/sg', passwordEnv: PG_PW, retention: {maxAge: 7d, maxEvents: 10,"
        + " maxTasks: 20}, writeQueue: 30}");
    StoreConfig store = config.store();
    assertThat(store.type()).isEqualTo(StoreConfig.Type.POSTGRESQL);
    assertThat(store.dir()).isEqualTo(Path.of("/var/lib/sg"));
    assertThat(store.url()).isEqualTo("postgresql://sg@db:5432/sg");
    assertThat(store.passwordEnv()).isEqualTo("PG_PW");
    assertThat(store.maxAge()).isEqualTo(Duration.ofDays(7));
    assertThat(store.maxEvents()).isEqualTo(10);
    assertThat(store.maxTasks()).isEqualTo(20);
    assertThat(store.writeQueue()).isEqualTo(30);
  }

  @Test
  void mistakesAreReportedTogetherUnderTheirKeys() {
    ConfigException e = ConfigTexts.failure("admin: {port: 70000, tls: {cert: c.pem}, tokenEnv: 'not a name',"
        + " enabled: maybe}\nstore: {type: sqlite, writeQueue: 0}\nstate: {dir: ''}");
    assertThat(e.problems()).extracting(ConfigException::key).containsExactlyInAnyOrder(
        "admin.port", "admin.tls.key", "admin.tokenEnv", "admin.enabled", "store.type", "store.writeQueue", "state.dir");
  }

  @Test
  void postgresqlNeedsAPostgresqlUrl() {
    assertThat(ConfigTexts.failure("store: {type: postgresql}").problems())
        .extracting(ConfigException::key).containsExactly("store.url");
    assertThat(ConfigTexts.failure("store: {type: postgresql, url: 'mysql://x/y'}").getMessage())
        .contains("is not a PostgreSQL URL");
  }
}
