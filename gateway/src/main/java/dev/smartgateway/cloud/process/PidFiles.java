package dev.smartgateway.cloud.process;

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
 * The state directory: one {@code <resource>.<id>.json} per live child, and the child's output file
 * {@code <resource>.<id>.log} next to it. Every method does file I/O: call from a worker thread only.
 */
final class PidFiles {

  private static final Logger LOG = LoggerFactory.getLogger(PidFiles.class);
  private static final String PID_SUFFIX = ".json";

  private final Path dir;

  PidFiles(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  Path dir() {
    return dir;
  }

  void createDirectory() {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create state directory " + dir, e);
    }
  }

  Path pidFile(String resource, String id) {
    return dir.resolve(resource + "." + id + PID_SUFFIX);
  }

  Path outputFile(String resource, String id) {
    return dir.resolve(resource + "." + id + ".log");
  }

  /** Written to a temporary file and moved into place, so a crash never leaves half a pid file to adopt. */
  void write(PidRecord record) {
    Path target = pidFile(record.resource(), record.id());
    Path tmp = dir.resolve(target.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, record.toJson().encodePrettily(), StandardCharsets.UTF_8);
      try {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write pid file " + target, e);
    }
  }

  void delete(String resource, String id) {
    deleteQuietly(pidFile(resource, id));
  }

  void deleteOutput(String resource, String id) {
    deleteQuietly(outputFile(resource, id));
  }

  /** Every readable pid file; unreadable ones are logged and deleted (nothing could be adopted from them). */
  List<PidRecord> readAll() {
    List<PidRecord> records = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + PID_SUFFIX)) {
      for (Path file : files) {
        try {
          records.add(PidRecord.fromJson(new JsonObject(Files.readString(file, StandardCharsets.UTF_8))));
        } catch (IOException | RuntimeException e) {
          LOG.warn("Ignoring and deleting unreadable pid file {}: {}", file, e.toString());
          deleteQuietly(file);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read state directory " + dir, e);
    }
    return records;
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("Cannot delete {}: {}", file, e.toString());
    }
  }
}
