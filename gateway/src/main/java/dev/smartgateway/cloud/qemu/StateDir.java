package dev.smartgateway.cloud.qemu;

import dev.smartgateway.cloud.local.RecordDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The state directory of a {@code qemu} provider: the files of each VM (see {@link VmPaths}), its record among them.
 * Every method does file I/O: call from a worker thread only.
 */
final class StateDir {

  private final RecordDir<VmRecord> records;

  StateDir(Path dir) {
    this.records = new RecordDir<>(dir, "VM record", VmRecord::fromJson);
  }

  Path dir() {
    return records.dir();
  }

  VmPaths paths(String id) {
    return VmPaths.of(dir(), id);
  }

  void create() {
    records.create();
  }

  void write(VmRecord record) {
    records.write(paths(record.id()).record(), record);
  }

  /** Every readable record; unreadable ones are logged and deleted. */
  List<VmRecord> readAll() {
    return records.readAll();
  }

  /** Every file of the VM: its record, socket, pid file, console and overlay. */
  void deleteAll(String id) {
    paths(id).all().forEach(RecordDir::deleteQuietly);
  }

  /** The pid QEMU wrote to its pid file, or -1 if there is none (yet). */
  long readPid(String id) {
    try {
      return Long.parseLong(Files.readString(paths(id).pid(), StandardCharsets.US_ASCII).strip());
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }
}
