package dev.smartgateway.cloud.qemu;

import dev.smartgateway.cloud.ProviderJson;
import dev.smartgateway.config.ConfigException;
import dev.smartgateway.config.Sizes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.smartgateway.cloud.ProviderJson.duration;
import static dev.smartgateway.cloud.ProviderJson.object;
import static dev.smartgateway.cloud.ProviderJson.onlyKnownKeys;
import static dev.smartgateway.cloud.ProviderJson.string;

/**
 * Turns the {@code provider} JSON section into {@link QemuSettings}. Every error is a {@link ConfigException} naming
 * the full key ({@code provider.resources.demo.kernel}); unknown keys are errors too. Whether the files exist is not
 * checked here: a kernel built after the gateway started is fine, a missing one fails that resource's starts.
 */
final class QemuConfigParser {

  /** DESIGN section 3; also keeps resource ids safe in file names and on the kernel command line. */
  private static final Pattern RESOURCE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern DISK_FORMAT = Pattern.compile("[a-z0-9]+");
  private static final Pattern MACHINE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Set<String> PROVIDER_KEYS = Set.of("type", "qemu", "qemuImg", "stateDir", "host", "accel",
      "onShutdown", "forgetAfter", "resources");
  private static final Set<String> RESOURCE_KEYS = Set.of("kernel", "initrd", "append", "disk", "diskFormat", "memory",
      "cpus", "guestPort", "machine", "stopTimeout", "extraArgs");
  private static final Duration DEFAULT_FORGET_AFTER = Duration.ofMinutes(1);
  private static final long DEFAULT_MEMORY = 256L << 20;
  private static final long MIN_MEMORY = 16L << 20;
  /** The longest id the adapter makes for a resource: {@code sg-<resource>-<8 hex digits>}. */
  private static final int ID_EXTRA = "sg--12345678".length();

  private QemuConfigParser() {
  }

  static QemuSettings parse(JsonObject provider) {
    String p = "provider";
    onlyKnownKeys(provider, PROVIDER_KEYS, p);
    String qemu = nonBlank(provider, "qemu", p, "qemu-system-x86_64");
    String qemuImg = nonBlank(provider, "qemuImg", p, "qemu-img");
    Path stateDir = Path.of(nonBlank(provider, "stateDir", p,
        Path.of(System.getProperty("java.io.tmpdir"), "smart-gateway-qemu").toString())).toAbsolutePath().normalize();
    String host = nonBlank(provider, "host", p, "127.0.0.1");
    Accel accel;
    try {
      accel = Accel.parse(string(provider, "accel", p, "auto"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(p + ".accel", e.getMessage());
    }
    QemuSettings.OnShutdown onShutdown = switch (string(provider, "onShutdown", p, "leave").toLowerCase(Locale.ROOT)) {
      case "leave" -> QemuSettings.OnShutdown.LEAVE;
      case "stop" -> QemuSettings.OnShutdown.STOP;
      default -> throw new ConfigException(p + ".onShutdown", "expected leave or stop, got '" + provider.getValue("onShutdown") + "'");
    };
    Duration forgetAfter = duration(provider, "forgetAfter", p, DEFAULT_FORGET_AFTER);

    JsonObject resources = object(provider, "resources", p);
    if (resources == null || resources.isEmpty()) {
      throw new ConfigException(p + ".resources", "required: at least one resource with a kernel or a disk");
    }
    Map<String, VmSpec> specs = new LinkedHashMap<>();
    for (String id : resources.fieldNames()) {
      String key = p + ".resources." + id;
      if (!RESOURCE_ID.matcher(id).matches()) {
        throw new ConfigException(key, "not a valid resource id (letters, digits, '.', '_', '-'; at most 128)");
      }
      if (!(resources.getValue(id) instanceof JsonObject resource)) {
        throw new ConfigException(key, "must be an object with a kernel or a disk");
      }
      specs.put(id, resource(id, resource, key));
      checkSocketPath(stateDir, id, p);
    }
    return new QemuSettings(qemu, qemuImg, stateDir, host, accel, onShutdown, forgetAfter, specs);
  }

  private static VmSpec resource(String id, JsonObject json, String key) {
    onlyKnownKeys(json, RESOURCE_KEYS, key);
    String kernel = string(json, "kernel", key, null);
    String disk = string(json, "disk", key, null);
    if ((kernel == null) == (disk == null)) {
      throw new ConfigException(key, "needs either a kernel (with an optional initrd) or a disk image, not "
          + (kernel == null ? "neither" : "both"));
    }
    String initrd = string(json, "initrd", key, null);
    String append = string(json, "append", key, null);
    String diskFormat = string(json, "diskFormat", key, null);
    if (disk != null && (initrd != null || append != null)) {
      throw new ConfigException(key + "." + (initrd != null ? "initrd" : "append"), "only with a kernel, not with a disk");
    }
    if (kernel != null && diskFormat != null) {
      throw new ConfigException(key + ".diskFormat", "only with a disk, not with a kernel");
    }
    if (diskFormat != null && !DISK_FORMAT.matcher(diskFormat).matches()) {
      throw new ConfigException(key + ".diskFormat", "expected a qemu-img format such as qcow2 or raw, got '" + diskFormat + "'");
    }
    String machine = string(json, "machine", key, "q35");
    if (!MACHINE.matcher(machine).matches()) {
      throw new ConfigException(key + ".machine", "expected a QEMU machine type such as q35 or pc, got '" + machine + "'");
    }
    return new VmSpec(id, path(kernel, key + ".kernel"), path(initrd, key + ".initrd"), append == null ? "" : append,
        path(disk, key + ".disk"), diskFormat == null ? "qcow2" : diskFormat, memoryMb(json, key),
        integer(json, "cpus", key, 1, 1, 64), integer(json, "guestPort", key, 80, 1, 65535), machine,
        duration(json, "stopTimeout", key, VmSpec.DEFAULT_STOP_TIMEOUT), extraArgs(json, key));
  }

  private static Path path(String text, String key) {
    if (text == null) {
      return null;
    }
    if (text.isBlank()) {
      throw new ConfigException(key, "must not be empty");
    }
    return Path.of(text).toAbsolutePath().normalize();
  }

  private static int memoryMb(JsonObject json, String key) {
    Object value = json.getValue("memory");
    if (value == null) {
      return (int) (DEFAULT_MEMORY >> 20);
    }
    long bytes;
    try {
      bytes = Sizes.parse(String.valueOf(value));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key + ".memory", e.getMessage());
    }
    if (bytes < MIN_MEMORY) {
      throw new ConfigException(key + ".memory", "must be at least 16m (a guest kernel needs more)");
    }
    if (bytes % (1L << 20) != 0 || bytes > (1L << 40)) {
      throw new ConfigException(key + ".memory", "must be a whole number of MiB up to 1024g, got '" + value + "'");
    }
    return (int) (bytes >> 20);
  }

  private static int integer(JsonObject json, String name, String key, int fallback, int min, int max) {
    Object value = json.getValue(name);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Integer number) || number < min || number > max) {
      throw new ConfigException(key + "." + name, "must be a whole number from " + min + " to " + max + ", got '" + value + "'");
    }
    return number;
  }

  private static List<String> extraArgs(JsonObject json, String key) {
    Object value = json.getValue("extraArgs");
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw new ConfigException(key + ".extraArgs", "must be a list of QEMU arguments");
    }
    List<String> args = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      args.add(ProviderJson.scalar(array.getValue(i), key + ".extraArgs[" + i + "]"));
    }
    return args;
  }

  private static String nonBlank(JsonObject json, String name, String key, String fallback) {
    String value = string(json, name, key, fallback);
    if (value.isBlank()) {
      throw new ConfigException(key + "." + name, "must not be empty");
    }
    return value;
  }

  /** A QMP socket lives in the state directory; unix socket paths are short, so a deep directory cannot work. */
  private static void checkSocketPath(Path stateDir, String resource, String p) {
    int length = VmPaths.of(stateDir, "x".repeat(ID_EXTRA + resource.length())).qmp().toString().length();
    if (length > VmPaths.MAX_SOCKET_PATH) {
      throw new ConfigException(p + ".stateDir", "too long for the QMP sockets of resource '" + resource + "' ("
          + length + " characters, unix sockets allow " + VmPaths.MAX_SOCKET_PATH + "): use a shorter directory, e.g."
          + " /var/tmp/smart-gateway-qemu");
    }
  }
}
