package dev.smartgateway;

import dev.smartgateway.config.ConfigException;
import dev.smartgateway.config.ConfigLoader;
import dev.smartgateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code java -jar smart-gateway.jar [--config FILE]}: runs a gateway until SIGTERM. */
public final class GatewayMain {

  static final String DEFAULT_CONFIG = "config/gateway.yaml";
  private static final Logger log = LoggerFactory.getLogger(GatewayMain.class);

  private GatewayMain() {
  }

  public static void main(String[] args) {
    Path configFile;
    try {
      configFile = parseArgs(args);
    } catch (IllegalArgumentException e) {
      System.err.println("smart-gateway: " + e.getMessage());
      System.err.println(usage());
      System.exit(2);
      return;
    }
    if (configFile == null) {
      System.out.println(usage());
      return;
    }
    GatewayConfig config;
    try {
      config = ConfigLoader.load(configFile);
    } catch (ConfigException e) {
      System.err.println("smart-gateway: invalid configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    Gateway gateway;
    try {
      // Start-up is the one place where the main thread may wait: nothing else runs yet.
      gateway = Gateway.start(vertx, config).toCompletionStage().toCompletableFuture().get();
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      System.err.println("smart-gateway: could not start: " + cause.getMessage());
      vertx.close();
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("shutting down");
      CountDownLatch done = new CountDownLatch(1);
      gateway.close().eventually(vertx::close).onComplete(ar -> done.countDown());
      try {
        done.await(config.server().shutdownGrace().toSeconds() + 10, TimeUnit.SECONDS);
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
    }, "smart-gateway-shutdown"));
  }

  /** The config file to use, or null when only help was asked for. */
  static Path parseArgs(String[] args) {
    Path config = Path.of(DEFAULT_CONFIG);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--help", "-h" -> {
          return null;
        }
        case "--config", "-c" -> {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException("--config needs a file");
          }
          config = Path.of(args[++i]);
        }
        default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
      }
    }
    if (!Files.isRegularFile(config)) {
      throw new IllegalArgumentException("config file not found: " + config.toAbsolutePath());
    }
    return config;
  }

  static String usage() {
    return """
        usage: java -jar gateway/target/smart-gateway.jar [--config FILE]

          --config FILE   gateway configuration (default: config/gateway.yaml)
          --help          this text

        Virtual URLs: http://HOST:PORT/smart_proxy/{resource}/{groups}/{path...}
        See README.md and config/gateway.yaml for every setting.""";
  }
}
