package dev.smartgateway.tls;

import dev.smartgateway.config.TlsConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.ServerSSLOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps a TLS listener's certificate current (a renewed certificate, a rotated key) without a restart: every
 * {@code reloadInterval} the two files' modification times and sizes are looked at, and when either changed the
 * pair is read and checked ({@link PemKeyPair}) and handed to the listener with {@code updateSSLOptions}. Open
 * connections keep the session they negotiated; only handshakes from then on use the new pair. A pair that does not
 * load (a half-written file, a key of another certificate) is logged and the one in use is kept; it is tried again
 * once either file changes again (renewal tools write the two files one after the other). One for each listener,
 * the public one and the admin one alike.
 */
public final class CertificateReloader {

  private static final Logger log = LoggerFactory.getLogger(CertificateReloader.class);

  private final Vertx vertx;
  private final TlsConfig tls;
  private final HttpServer server;
  private volatile PemKeyPair current;
  private volatile Stamp seen;
  private final AtomicLong reloads = new AtomicLong();
  private final AtomicLong refusals = new AtomicLong();
  private long timer = -1;
  private boolean checking;

  /**
   * @param server  one of the listener's server instances: instances sharing a port share one TLS context, so
   *                updating one updates them all
   * @param current the pair the listener started with
   */
  public CertificateReloader(Vertx vertx, TlsConfig tls, HttpServer server, PemKeyPair current) {
    this.vertx = vertx;
    this.tls = tls;
    this.server = server;
    this.current = current;
    this.seen = Stamp.of(tls);
  }

  /** Starts looking every {@code reloadInterval} (unless that is zero). */
  public synchronized CertificateReloader start() {
    if (!tls.reloadInterval().isZero() && timer < 0) {
      timer = vertx.setPeriodic(Math.max(1, tls.reloadInterval().toMillis()), id -> check());
    }
    return this;
  }

  public synchronized void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** Pairs taken into use since the start. */
  public long reloads() {
    return reloads.get();
  }

  /** Changed pairs that could not be used (and were logged). */
  public long refusals() {
    return refusals.get();
  }

  /** The pair in use now. */
  public PemKeyPair current() {
    return current;
  }

  /** One look at the files; the reads happen on a worker thread, never on the event loop. */
  Future<Void> check() {
    synchronized (this) {
      if (checking) {
        return Future.succeededFuture();
      }
      checking = true;
    }
    return vertx.executeBlocking(() -> {
      Stamp now = Stamp.of(tls);
      if (now.equals(seen)) {
        return null;
      }
      seen = now;
      PemKeyPair next = PemKeyPair.load(vertx, tls);
      return next.sameAs(current) ? null : next;
    }, false).compose(next -> next == null ? Future.<Void>succeededFuture() : apply(next))
        .recover(err -> {
          refusals.incrementAndGet();
          log.warn("{}: the changed certificate and key were not loaded, the ones in use are kept: {}", tls.section(),
              err.getMessage());
          return Future.succeededFuture();
        })
        .onComplete(x -> {
          synchronized (this) {
            checking = false;
          }
        });
  }

  private Future<Void> apply(PemKeyPair next) {
    return server.updateSSLOptions(new ServerSSLOptions().setKeyCertOptions(next.keyCertOptions()), true)
        .map(updated -> {
          PemKeyPair old = current;
          current = next;
          reloads.incrementAndGet();
          log.info("{}: certificate reloaded: {} (serial {}), was {} (serial {}); open connections keep theirs",
              tls.section(), next.subject(), next.serial(), old.subject(), old.serial());
          return null;
        });
  }

  /** What is looked at: both files' modification times and sizes; a missing file is a state of its own. */
  private record Stamp(List<Object> values) {
    static Stamp of(TlsConfig tls) {
      return new Stamp(List.of(modified(tls.certFile()), size(tls.certFile()), modified(tls.keyFile()),
          size(tls.keyFile())));
    }

    private static Object modified(Path file) {
      try {
        return Files.readAttributes(file, BasicFileAttributes.class).lastModifiedTime().toInstant();
      } catch (IOException e) {
        return "missing";
      }
    }

    private static Object size(Path file) {
      try {
        return Files.size(file);
      } catch (IOException e) {
        return -1;
      }
    }
  }
}
