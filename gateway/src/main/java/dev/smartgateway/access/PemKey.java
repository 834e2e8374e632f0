package dev.smartgateway.access;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEM public key file ({@code access.jwt.publicKey}): a {@code PUBLIC KEY} block or a {@code CERTIFICATE}. Its
 * type decides which algorithms tokens may use with it: RSA → RS256/384/512 and PS256/384/512; EC → the ES of its
 * curve (P-256 ES256, P-384 ES384, P-521 ES512); Ed25519 → EdDSA. A private key is refused: the gateway verifies,
 * it never signs, and a file with a private key is one that should not be lying where the gateway can read it.
 */
final class PemKey {

  private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");

  private PemKey() {
  }

  /**
   * The key of a PEM text and what it allows.
   *
   * @param block      the first PEM block alone (text around it, such as comments, left out)
   * @param algorithms the algorithms tokens signed with this key's private half may use
   */
  record Parsed(String block, List<String> algorithms) {
  }

  /** @throws IllegalArgumentException saying what is wrong with the text */
  static Parsed read(String pem) {
    Matcher block = BLOCK.matcher(pem);
    if (!block.find()) {
      throw new IllegalArgumentException("no PEM block (-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----)");
    }
    String kind = block.group(1);
    if (kind.contains("PRIVATE")) {
      throw new IllegalArgumentException("holds a private key (" + kind + "); give the public key");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(block.group(2).trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the PEM block is not base64 (" + e.getMessage() + ")");
    }
    PublicKey key = switch (kind) {
      case "PUBLIC KEY" -> publicKey(der);
      case "CERTIFICATE" -> certificateKey(der);
      default -> throw new IllegalArgumentException("holds a " + kind + ", not a PUBLIC KEY or CERTIFICATE");
    };
    return new Parsed(block.group(), algorithms(key));
  }

  private static List<String> algorithms(PublicKey key) {
    if (key instanceof RSAPublicKey) {
      return KeySet.RSA;
    }
    if (key instanceof ECPublicKey ec) {
      return switch (ec.getParams().getCurve().getField().getFieldSize()) {
        case 256 -> List.of("ES256");
        case 384 -> List.of("ES384");
        case 521 -> List.of("ES512");
        default -> throw new IllegalArgumentException("an EC key on a curve JWT does not use ("
            + ec.getParams().getCurve().getField().getFieldSize() + " bits)");
      };
    }
    if (key.getAlgorithm().equals("EdDSA") || key.getAlgorithm().equals("Ed25519")) {
      return List.of("EdDSA");
    }
    throw new IllegalArgumentException("a " + key.getAlgorithm() + " key (RSA, EC or Ed25519 only)");
  }

  private static PublicKey publicKey(byte[] der) {
    for (String type : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next type
      }
    }
    throw new IllegalArgumentException("not an RSA, EC or Ed25519 public key");
  }

  private static PublicKey certificateKey(byte[] der) {
    try {
      return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an X.509 certificate (" + e.getMessage() + ")");
    }
  }
}
