package dev.smartgateway.config;

import io.netty.util.NetUtil;

import java.util.Arrays;
import java.util.Objects;

/**
 * An IP address or a CIDR block ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, {@code 192.0.2.7}), for
 * {@code server.trustedProxies}. Only literals are accepted: a host name would make trust depend on DNS.
 * An IPv4 address written as IPv4-mapped IPv6 ({@code ::ffff:192.0.2.7}) matches its IPv4 form both ways,
 * as a dual-stack listener reports IPv4 peers either way.
 */
public final class IpRange {

  private final String text;
  private final byte[] network;
  private final int prefixBits;

  private IpRange(String text, byte[] network, int prefixBits) {
    this.text = text;
    this.network = network;
    this.prefixBits = prefixBits;
  }

  /** @throws IllegalArgumentException saying what is wrong with {@code text} */
  public static IpRange parse(String text) {
    Objects.requireNonNull(text, "text");
    String trimmed = text.trim();
    int slash = trimmed.indexOf('/');
    String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
    byte[] bytes = literal(address);
    if (bytes == null) {
      throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block (e.g. 10.0.0.0/8, ::1)");
    }
    int maxBits = bytes.length * 8;
    int bits = maxBits;
    if (slash >= 0) {
      String suffix = trimmed.substring(slash + 1);
      try {
        bits = Integer.parseInt(suffix);
      } catch (NumberFormatException e) {
        bits = -1;
      }
      if (bits < 0 || bits > maxBits || suffix.startsWith("+")) {
        throw new IllegalArgumentException("'" + text + "': the prefix length must be 0.." + maxBits);
      }
    }
    return new IpRange(trimmed, mask(bytes, bits), bits);
  }

  /** True if {@code address} (an IP literal, as a peer address is reported) lies in this range. */
  public boolean contains(String address) {
    byte[] bytes = address == null ? null : literal(address);
    if (bytes == null || bytes.length != network.length) {
      return false;
    }
    return Arrays.equals(mask(bytes, prefixBits), network);
  }

  /** IPv4-mapped IPv6 addresses become their IPv4 form, so each address has one comparable form. */
  private static byte[] literal(String address) {
    String bare = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(bare);
    if (bytes == null || bytes.length == 4) {
      return bytes;
    }
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return bytes;
      }
    }
    if (bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff) {
      return Arrays.copyOfRange(bytes, 12, 16);
    }
    return bytes;
  }

  private static byte[] mask(byte[] address, int bits) {
    byte[] out = address.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, bits - i * 8));
      out[i] &= (byte) (0xff << (8 - keep));
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpRange other && prefixBits == other.prefixBits && Arrays.equals(network, other.network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefixBits;
  }

  @Override
  public String toString() {
    return text;
  }
}
