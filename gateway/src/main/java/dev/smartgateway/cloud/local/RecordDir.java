package dev.smartgateway.cloud.local;

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
import java.util.function.Function;

/**
 * The records of a local adapter's state directory: one {@code *.json} file per live instance, what the next gateway
 * adopts it from. The adapter decides each record's file name and the files that go with it. Every method does file
 * I/O: call from a worker thread only.
 *
 * @param <R> the adapter's record
 */
public final class RecordDir<R extends LocalRecord> {

  private static final Logger LOG = LoggerFactory.getLogger(RecordDir.class);
  private static final String RECORD_SUFFIX = ".json";

  private final Path dir;
  private final String noun;
  private final Function<JsonObject, R> parse;

  /**
   * @param noun  what a record is called in messages ({@code pid file}, {@code VM record})
   * @param parse reads one record; throws for one it cannot read
   */
  public RecordDir(Path dir, String noun, Function<JsonObject, R> parse) {
    this.dir = dir.toAbsolutePath().normalize();
    this.noun = noun;
    this.parse = parse;
  }

  public Path dir() {
    return dir;
  }

  public void create() {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the state directory " + dir, e);
    }
  }

  /** Written to a temporary file and moved into place: a crash never leaves half a record to adopt from. */
  public void write(Path target, R record) {
    Path tmp = dir.resolve(target.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, record.toJson().encodePrettily(), StandardCharsets.UTF_8);
      try {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the " + noun + " " + target, e);
    }
  }

  /** Every readable record; unreadable ones are logged and deleted (nothing could be adopted from them). */
  public List<R> readAll() {
    List<R> records = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + RECORD_SUFFIX)) {
      for (Path file : files) {
        try {
          records.add(parse.apply(new JsonObject(Files.readString(file, StandardCharsets.UTF_8))));
        } catch (IOException | RuntimeException e) {
          LOG.warn("Ignoring and deleting the unreadable {} {}: {}", noun, file, e.toString());
          deleteQuietly(file);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the state directory " + dir, e);
    }
    return records;
  }

  /** Deletes a file of the directory; one that cannot be deleted is logged (it is retried by no one). */
  public static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("Cannot delete {}: {}", file, e.toString());
    }
  }
}
