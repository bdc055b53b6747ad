package dev.ferry.proxy.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.config.ProxyConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReloaderTest {
  @TempDir Path dir;
  private Path file;
  private final RecordingTarget target = new RecordingTarget();
  private ConfigReloader reloader;

  /** A valid config whose one cluster, and route, is named {@code cluster}. */
  private static String config(String cluster) {
    return """
        listeners:
          - address: 127.0.0.1:0
            routes:
              - match: { service: helloworld.Greeter }
                cluster: %s
        clusters:
          %s: { endpoints: [127.0.0.1:1] }
        """
        .formatted(cluster, cluster);
  }

  @BeforeEach
  void watchAStartedConfig() throws Exception {
    file = dir.resolve("ferry.yaml");
    Files.writeString(file, config("first"));
    reloader = ConfigReloader.watch(file, target);
  }

  @AfterEach
  void stopWatching() {
    reloader.close();
  }

  /** Replaces the file in one step, as editors and config management do. */
  private void replace(String yaml) throws Exception {
    Path next = Files.createTempFile(dir, "next", ".tmp");
    Files.writeString(next, yaml);
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The next config the watcher applied; fails after 10 s. */
  private ProxyConfig nextApplied() throws InterruptedException {
    ProxyConfig c = target.applied.poll(10, TimeUnit.SECONDS);
    assertThat(c).as("a config applied by the watcher").isNotNull();
    return c;
  }

  @Test
  void fileChangedOnDisk_isApplied() throws Exception {
    Files.writeString(file, config("second"));

    assertThat(nextApplied().clusters()).containsOnlyKeys("second");
  }

  @Test
  void fileReplacedByRename_isApplied() throws Exception {
    replace(config("second"));

    assertThat(nextApplied().clusters()).containsOnlyKeys("second");
  }

  @Test
  void reloadNow_appliesTheFile_evenUnchanged() {
    ConfigReloader.Outcome r = reloader.reloadNow();

    assertThat(r.applied()).isTrue();
    assertThat(r.summary()).isEqualTo("clusters [first]");
    assertThat(r.errors()).isEmpty();
    assertThat(target.applied)
        .singleElement()
        .satisfies(c -> assertThat(c.clusters()).containsOnlyKeys("first"));
  }

  @Test
  void brokenFile_isRefusedWithWhereAndWhy_andNothingIsApplied() throws Exception {
    Files.writeString(file, config("first").replace("cluster: first", "cluster: nowhere"));

    ConfigReloader.Outcome r = reloader.reloadNow();

    assertThat(r.applied()).isFalse();
    assertThat(r.summary()).isNull();
    assertThat(r.errors())
        .singleElement()
        .asString()
        .startsWith(file + ":5:")
        .contains("no cluster named 'nowhere'");
    assertThat(target.applied).isEmpty();
  }

  @Test
  void afterABrokenFile_theNextGoodOneIsApplied_andNothingBetween() throws Exception {
    replace("listeners: [");
    replace(config("third"));

    // The watcher handles events in order: had it applied anything for the broken file, that
    // would come first.
    assertThat(nextApplied().clusters()).containsOnlyKeys("third");
  }

  @Test
  void targetRefusingTheConfig_isReportedAsRefused() {
    target.refusal = new IllegalArgumentException("listeners: addresses changed");

    ConfigReloader.Outcome r = reloader.reloadNow();

    assertThat(r.applied()).isFalse();
    assertThat(r.errors()).containsExactly(file + ": listeners: addresses changed");
  }

  @Test
  void bugInTheTarget_isRefused_andTheReloaderKeepsWorking() throws Exception {
    target.refusal = new NullPointerException("oops");

    ConfigReloader.Outcome r = reloader.reloadNow();
    target.refusal = null;
    replace(config("second"));

    assertThat(r.applied()).isFalse();
    assertThat(r.errors()).singleElement().asString().contains("reload failed");
    assertThat(nextApplied().clusters()).containsOnlyKeys("second");
  }

  /** A reload target that records what it applied, or refuses when told to. */
  private static final class RecordingTarget implements Reloadable {
    final BlockingQueue<ProxyConfig> applied = new LinkedBlockingQueue<>();
    volatile RuntimeException refusal;

    @Override
    public String reload(ProxyConfig next) {
      RuntimeException r = refusal;
      if (r != null) {
        throw r;
      }
      applied.add(next);
      return "clusters " + next.clusters().keySet();
    }
  }
}
