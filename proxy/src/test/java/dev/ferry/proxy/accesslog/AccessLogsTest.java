package dev.ferry.proxy.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.config.AccessLogConfig;
import dev.ferry.proxy.config.AccessLogConfig.Format;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessLogsTest {

  @Test
  void noConfig_isOff() throws Exception {
    assertThat(AccessLogs.open(null, new ByteArrayOutputStream())).isSameAs(AccessLog.OFF);
  }

  @Test
  void dash_writesEveryLineToStdoutByClose() throws Exception {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    AccessLog log = AccessLogs.open(new AccessLogConfig("-", Format.TEXT), stdout);
    for (int i = 0; i < 100; i++) {
      log.log(AccessLogFormatterTest.grpcOk());
    }
    log.close();
    String[] lines = stdout.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(100).allMatch(l -> l.contains("grpc=OK(0)"));
  }

  @Test
  void file_isAppendedToAsJsonLines(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("access.log");
    Files.writeString(file, "earlier\n");
    AccessLog log = AccessLogs.open(new AccessLogConfig(file.toString(), Format.JSON));
    log.log(AccessLogFormatterTest.grpcOk());
    log.log(AccessLogFormatterTest.grpcOk());
    log.close();
    assertThat(Files.readAllLines(file)).hasSize(3).first().isEqualTo("earlier");
    assertThat(Files.readAllLines(file).get(1)).startsWith("{\"time\":").endsWith("}");
  }

  @Test
  void unwritableFile_failsToOpen(@TempDir Path dir) {
    AccessLogConfig config =
        new AccessLogConfig(dir.resolve("no/such/dir/a.log").toString(), Format.TEXT);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> AccessLogs.open(config))
        .isInstanceOf(IOException.class);
  }

  @Test
  void fullQueue_dropsAndCountsInsteadOfBlocking() throws Exception {
    CountDownLatch writerBlocked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    OutputStream stuck =
        new OutputStream() {
          @Override
          public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            writerBlocked.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            written.write(b, off, len);
          }
        };
    QueuedAccessLog log =
        new QueuedAccessLog(
            new TextAccessLogFormatter(),
            new OutputStreamWriter(stuck, StandardCharsets.UTF_8),
            false,
            "test",
            2);
    log.log(AccessLogFormatterTest.grpcOk());
    // The writer took the first entry and is stuck writing it: the queue holds two, then drops.
    writerBlocked.await();
    for (int i = 0; i < 5; i++) {
      log.log(AccessLogFormatterTest.grpcOk());
    }
    assertThat(log.droppedCount()).isEqualTo(3);
    release.countDown();
    log.close();
    assertThat(written.toString(StandardCharsets.UTF_8).split("\n")).hasSize(3);
    log.log(AccessLogFormatterTest.grpcOk());
    assertThat(log.droppedCount()).isEqualTo(4);
  }
}
