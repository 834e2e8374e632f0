package dev.smartgateway.tls;

import dev.smartgateway.config.ConfigException;
import dev.smartgateway.config.TlsConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.impl.KeyStoreHelper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Enumeration;

/**
 * A listener's certificate chain and private key, read from their PEM files and checked before a listener uses
 * them: both files readable, both PEM of the right kind, parseable, and the key the certificate's own (a
 * signature made with the key verifies with the certificate). Held as the files' bytes, so a reload can tell a
 * changed pair from a rewritten identical one. Reading files blocks: never on an event loop.
 *
 * @param cert    the certificate chain's PEM bytes
 * @param key     the private key's PEM bytes
 * @param subject the listener certificate's subject, for logs
 * @param serial  its serial number (hex), for logs
 */
public record PemKeyPair(Buffer cert, Buffer key, String subject, String serial) {

  private static final byte[] PROBE = "smart-gateway key check".getBytes(StandardCharsets.US_ASCII);

  /**
   * @throws ConfigException naming {@code <section>.cert} or {@code <section>.key} and what is wrong with it
   */
  public static PemKeyPair load(Vertx vertx, TlsConfig tls) {
    byte[] cert = read(tls, "cert", tls.certFile());
    byte[] key = read(tls, "key", tls.keyFile());
    requirePem(tls, "cert", tls.certFile(), cert, "CERTIFICATE");
    requirePem(tls, "key", tls.keyFile(), key, "PRIVATE KEY");
    PemKeyCertOptions options = new PemKeyCertOptions().setCertValue(Buffer.buffer(cert)).setKeyValue(Buffer.buffer(key));
    KeyStore store;
    try {
      store = options.loadKeyStore(vertx);
    } catch (Exception e) {
      throw new ConfigException(tls.key("key"), "cannot read the certificate and key (" + tls.certFile() + ", "
          + tls.keyFile() + "): " + e.getMessage());
    }
    try {
      Enumeration<String> aliases = store.aliases();
      while (aliases.hasMoreElements()) {
        String alias = aliases.nextElement();
        if (store.isKeyEntry(alias) && store.getCertificate(alias) instanceof X509Certificate x509) {
          PrivateKey privateKey = (PrivateKey) store.getKey(alias, KeyStoreHelper.DUMMY_PASSWORD.toCharArray());
          if (!matches(privateKey, x509.getPublicKey())) {
            throw new ConfigException(tls.key("key"), tls.keyFile() + " is not the private key of the certificate "
                + x509.getSubjectX500Principal().getName() + " in " + tls.certFile());
          }
          return new PemKeyPair(Buffer.buffer(cert), Buffer.buffer(key), x509.getSubjectX500Principal().getName(),
              x509.getSerialNumber().toString(16));
        }
      }
    } catch (GeneralSecurityException e) {
      throw new ConfigException(tls.key("key"), "cannot use the key in " + tls.keyFile() + ": " + e.getMessage());
    }
    throw new ConfigException(tls.key("cert"), "no certificate with a private key in " + tls.certFile());
  }

  /** What a listener is given: the pair as values (the files may change again before it reads them). */
  public PemKeyCertOptions keyCertOptions() {
    return new PemKeyCertOptions().setCertValue(cert).setKeyValue(key);
  }

  /** Same bytes in both files. */
  public boolean sameAs(PemKeyPair other) {
    return other != null && Arrays.equals(cert.getBytes(), other.cert.getBytes())
        && Arrays.equals(key.getBytes(), other.key.getBytes());
  }

  private static byte[] read(TlsConfig tls, String name, Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(tls.key(name), "file not found: " + file);
    } catch (IOException e) {
      throw new ConfigException(tls.key(name), "cannot read " + file + " (" + e + ")");
    }
  }

  private static void requirePem(TlsConfig tls, String name, Path file, byte[] content, String kind) {
    String text = new String(content, StandardCharsets.US_ASCII);
    if (!text.contains("-----BEGIN ") || !text.contains(kind + "-----")) {
      throw new ConfigException(tls.key(name), file + " is not a PEM " + kind.toLowerCase(java.util.Locale.ROOT)
          + " (no -----BEGIN ..." + kind + "----- block)");
    }
    if (kind.equals("PRIVATE KEY") && text.contains("ENCRYPTED PRIVATE KEY")) {
      throw new ConfigException(tls.key(name), file + " is encrypted: the gateway needs an unencrypted key");
    }
  }

  /** Signs with the private key and verifies with the certificate's public key: the only check for every key type. */
  private static boolean matches(PrivateKey privateKey, PublicKey publicKey) throws GeneralSecurityException {
    String algorithm = switch (privateKey.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "Ed448", "EdDSA" -> privateKey.getAlgorithm();
      case "DSA" -> "SHA256withDSA";
      default -> null;
    };
    if (algorithm == null) {
      return true; // a key type this check does not know: the TLS handshake is left to tell
    }
    if (!privateKey.getAlgorithm().equals(publicKey.getAlgorithm())
        && !(privateKey.getAlgorithm().startsWith("Ed") && publicKey.getAlgorithm().startsWith("Ed"))) {
      return false;
    }
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(privateKey);
    signer.update(PROBE);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(publicKey);
    verifier.update(PROBE);
    return verifier.verify(signature);
  }
}
