package dev.smartgateway.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed certificates for tests, made by the JDK's own {@code keytool} (there is no public Java API to
 * make one, and the JDK is always there) and written out as the PEM pair a listener is configured with.
 */
public final class TestCertificates {

  private static final String PASSWORD = "changeit";

  private TestCertificates() {
  }

  /**
   * A PEM pair in files.
   *
   * @param subject the certificate's subject as X.500 prints it ({@code CN=one})
   * @param serial  its serial number, hex
   */
  public record Pem(Path cert, Path key, String subject, String serial, byte[] certBytes, byte[] keyBytes) {

    /** Writes this pair over {@code cert} and {@code key} (each replaced in one move: no half-written file). */
    public void installAt(Path certFile, Path keyFile) throws IOException {
      replace(certFile, certBytes);
      replace(keyFile, keyBytes);
    }
  }

  /** A fresh RSA key and a certificate for {@code CN=<cn>}, valid for localhost and 127.0.0.1, in {@code dir}. */
  public static Pem create(Path dir, String cn) throws IOException {
    Files.createDirectories(dir);
    Path store = Files.createTempFile(dir, cn, ".p12");
    Files.delete(store);
    run(keytool(), "-genkeypair", "-alias", "gw", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=" + cn, "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
        "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, PASSWORD.toCharArray());
      X509Certificate cert = (X509Certificate) ks.getCertificate("gw");
      PrivateKey key = (PrivateKey) ks.getKey("gw", PASSWORD.toCharArray());
      byte[] certPem = pem("CERTIFICATE", cert.getEncoded());
      byte[] keyPem = pem("PRIVATE KEY", key.getEncoded());
      Path certFile = dir.resolve(cn + ".crt");
      Path keyFile = dir.resolve(cn + ".key");
      Files.write(certFile, certPem);
      Files.write(keyFile, keyPem);
      return new Pem(certFile, keyFile, cert.getSubjectX500Principal().getName(), cert.getSerialNumber().toString(16),
          certPem, keyPem);
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(e);
    } finally {
      Files.deleteIfExists(store);
    }
  }

  private static byte[] pem(String kind, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return ("-----BEGIN " + kind + "-----\n" + body + "\n-----END " + kind + "-----\n").getBytes(StandardCharsets.US_ASCII);
  }

  private static void replace(Path file, byte[] content) throws IOException {
    Path tmp = Files.createTempFile(file.getParent(), "next", ".pem");
    Files.write(tmp, content);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String keytool() {
    return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
  }

  private static void run(String... command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("keytool did not finish within 60 s");
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IOException("keytool failed (" + process.exitValue() + "): " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
