package dev.ferry.proxy.reload;

import dev.ferry.proxy.config.ConfigError;
import dev.ferry.proxy.config.ConfigException;
import dev.ferry.proxy.config.ConfigLoader;
import dev.ferry.proxy.config.ProxyConfig;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the proxy's config file when it changes on disk, or when asked (SIGHUP, in the cli): a
 * valid file applies to new calls through {@link Reloadable#reload}; an invalid one is refused, its
 * errors logged in the loader's {@code file:line:col: path: message} form, and the running config
 * stays.
 *
 * <p>The file's directory is watched rather than the file, since editors and config management
 * replace files by renaming a new one over them. A change is applied once the file has been quiet
 * for a moment, and only when its bytes differ from those last applied.
 */
public final class ConfigReloader implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);

  /** How long the file must stay unchanged before it is read: editors write in several steps. */
  private static final long QUIET_MILLIS = 100;

  private final Path file;
  private final Reloadable server;
  private final WatchService watcher;
  private final Thread thread;
  private byte[] applied;

  /** What a reload did. */
  public record Outcome(boolean applied, String summary, List<String> errors) {}

  private ConfigReloader(Path file, Reloadable server, WatchService watcher) {
    this.file = file;
    this.server = server;
    this.watcher = watcher;
    this.thread = new Thread(this::watch, "ferry-config-watch");
    this.thread.setDaemon(true);
    try {
      this.applied = Files.readAllBytes(file);
    } catch (IOException e) {
      this.applied = null;
    }
  }

  /** Starts watching {@code file}, which {@code server} was started from. */
  public static ConfigReloader watch(Path file, Reloadable server) throws IOException {
    Path abs = file.toAbsolutePath();
    WatchService ws = FileSystems.getDefault().newWatchService();
    abs.getParent()
        .register(
            ws,
            StandardWatchEventKinds.ENTRY_CREATE,
            StandardWatchEventKinds.ENTRY_MODIFY,
            StandardWatchEventKinds.ENTRY_DELETE);
    ConfigReloader r = new ConfigReloader(abs, server, ws);
    r.thread.start();
    return r;
  }

  /** Reads the file and applies it now, whether or not it changed (SIGHUP). */
  public synchronized Outcome reloadNow() {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      return refused(List.of(file + ": cannot read: " + e.getMessage()));
    }
    ProxyConfig next;
    try {
      next = ConfigLoader.load(file);
    } catch (ConfigException e) {
      return refused(e.errors().stream().map(ConfigError::toString).toList());
    } catch (IOException e) {
      return refused(List.of(file + ": cannot read: " + e.getMessage()));
    }
    String summary;
    try {
      summary = server.reload(next);
    } catch (IllegalArgumentException | IllegalStateException e) {
      return refused(List.of(file + ": " + e.getMessage()));
    } catch (RuntimeException e) {
      // A bug, not a bad file: say so with the trace, and keep the watch thread alive.
      log.error("reload of {} failed", file, e);
      return refused(List.of(file + ": reload failed: " + e));
    }
    applied = bytes;
    log.info("reloaded {}: {}", file, summary);
    return new Outcome(true, summary, List.of());
  }

  private Outcome refused(List<String> errors) {
    for (String e : errors) {
      log.error("{}", e);
    }
    log.error("reload of {} refused: the running configuration stays", file);
    return new Outcome(false, null, errors);
  }

  private void watch() {
    try {
      while (true) {
        WatchKey key = watcher.take();
        boolean ours = false;
        for (WatchEvent<?> e : key.pollEvents()) {
          Object ctx = e.context();
          ours |= ctx instanceof Path p && file.getFileName().equals(p);
        }
        key.reset();
        if (ours) {
          settleThenReload();
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed: the proxy is stopping
    }
  }

  private void settleThenReload() throws InterruptedException {
    // Let a burst of writes finish: more events within the quiet time postpone the read.
    while (true) {
      Thread.sleep(QUIET_MILLIS);
      WatchKey more = watcher.poll();
      if (more == null) {
        break;
      }
      more.pollEvents();
      more.reset();
    }
    synchronized (this) {
      byte[] now;
      try {
        now = Files.readAllBytes(file);
      } catch (IOException e) {
        return; // being replaced, or gone: the next event brings it back
      }
      if (applied != null && Arrays.equals(now, applied)) {
        return;
      }
      reloadNow();
      applied = now; // a refused version is not read again until it changes
    }
  }

  @Override
  public void close() {
    thread.interrupt();
    try {
      watcher.close();
    } catch (IOException e) {
      log.debug("closing the config watch: {}", e.toString());
    }
  }
}
