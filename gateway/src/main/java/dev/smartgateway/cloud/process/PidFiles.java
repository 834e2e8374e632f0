package dev.smartgateway.cloud.process;

import dev.smartgateway.cloud.local.RecordDir;

import java.nio.file.Path;
import java.util.List;

/**
 * The state directory: one {@code <resource>.<id>.json} per live child, and the child's output file
 * {@code <resource>.<id>.log} next to it. Every method does file I/O: call from a worker thread only.
 */
final class PidFiles {

  private final RecordDir<PidRecord> records;

  PidFiles(Path dir) {
    this.records = new RecordDir<>(dir, "pid file", PidRecord::fromJson);
  }

  Path dir() {
    return records.dir();
  }

  void createDirectory() {
    records.create();
  }

  Path pidFile(String resource, String id) {
    return dir().resolve(resource + "." + id + ".json");
  }

  Path outputFile(String resource, String id) {
    return dir().resolve(resource + "." + id + ".log");
  }

  void write(PidRecord record) {
    records.write(pidFile(record.resource(), record.id()), record);
  }

  void delete(String resource, String id) {
    RecordDir.deleteQuietly(pidFile(resource, id));
  }

  void deleteOutput(String resource, String id) {
    RecordDir.deleteQuietly(outputFile(resource, id));
  }

  /** Every readable pid file; unreadable ones are logged and deleted. */
  List<PidRecord> readAll() {
    return records.readAll();
  }
}
