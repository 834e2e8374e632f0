package dev.smartgateway.cloudmock;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/** Runs the mock cloud from the command line until SIGTERM or Ctrl-C. */
public final class MockCloudMain {

  static {
    // The logging setup ships under its own name: a plain logback.xml in this jar would take over the
    // logging of every application that embeds the mock (the gateway does).
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "cloud-mock-logback.xml");
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(MockCloudMain.class);
  static final int EXIT_USAGE = 2;
  private static final int EXIT_FAILED = 1;

  private MockCloudMain() {
  }

  public static void main(String[] args) {
    CommandLine commandLine;
    try {
      commandLine = CommandLine.parse(args);
    } catch (CommandLine.UsageException e) {
      System.err.println("cloud-mock: " + e.getMessage());
      System.err.println("Run with --help for the options.");
      System.exit(EXIT_USAGE);
      return;
    }
    if (commandLine.help()) {
      System.out.print(CommandLine.USAGE);
      return;
    }
    Vertx vertx = Vertx.vertx();
    MockCloud.start(vertx, commandLine.options())
        .onSuccess(cloud -> {
          LOG.info("mock cloud API at {}", cloud.baseUrl());
          Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(vertx, cloud), "cloud-mock-stop"));
        })
        .onFailure(err -> {
          LOG.error("mock cloud failed to start: {}", err.toString());
          vertx.close().onComplete(closed -> System.exit(EXIT_FAILED));
        });
  }

  /** Runs on the JVM's shutdown thread, never an event loop, so waiting here blocks nothing. */
  private static void shutdown(Vertx vertx, MockCloud cloud) {
    LOG.info("stopping the mock cloud");
    try {
      // One after the other: a future chained across vertx.close() would complete on a dead event loop.
      cloud.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("the mock cloud did not stop cleanly: {}", e.toString());
    }
  }
}
