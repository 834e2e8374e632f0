package dev.smartgateway.cloud.qemu;

import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The state directory of a {@code qemu} provider: the files of each VM (see {@link VmPaths}). Every method does file
 * I/O: call from a worker thread only.
 */
final class StateDir {

  private static final Logger LOG = LoggerFactory.getLogger(StateDir.class);
  private static final String RECORD_SUFFIX = ".json";

  private final Path dir;

  StateDir(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  Path dir() {
    return dir;
  }

  VmPaths paths(String id) {
    return VmPaths.of(dir, id);
  }

  void create() {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the state directory " + dir, e);
    }
  }

  /** Written to a temporary file and moved into place: a crash never leaves half a record to adopt from. */
  void write(VmRecord record) {
    Path target = paths(record.id()).record();
    Path tmp = dir.resolve(target.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, record.toJson().encodePrettily(), StandardCharsets.UTF_8);
      try {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  /** Every readable record; unreadable ones are logged and deleted (nothing could be adopted from them). */
  List<VmRecord> readAll() {
    List<VmRecord> records = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + RECORD_SUFFIX)) {
      for (Path file : files) {
        try {
          records.add(VmRecord.fromJson(new JsonObject(Files.readString(file, StandardCharsets.UTF_8))));
        } catch (IOException | RuntimeException e) {
          LOG.warn("Ignoring and deleting the unreadable VM record {}: {}", file, e.toString());
          deleteQuietly(file);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the state directory " + dir, e);
    }
    return records;
  }

  /** Every file of the VM: its record, socket, pid file, console and overlay. */
  void deleteAll(String id) {
    paths(id).all().forEach(StateDir::deleteQuietly);
  }

  /** The pid QEMU wrote to its pid file, or -1 if there is none (yet). */
  long readPid(String id) {
    try {
      return Long.parseLong(Files.readString(paths(id).pid(), StandardCharsets.US_ASCII).strip());
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("Cannot delete {}: {}", file, e.toString());
    }
  }
}
