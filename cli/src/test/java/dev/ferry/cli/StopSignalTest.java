package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StopSignalTest {
  @Test
  void await_returnsOnceStopped_evenWhenStoppedBeforeWaiting() throws Exception {
    StopSignal signal = StopSignal.manual();
    signal.arm();
    signal.stop();

    CompletableFuture<Void> waited =
        CompletableFuture.runAsync(
            () -> {
              try {
                signal.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });

    assertThat(waited).succeedsWithin(10, TimeUnit.SECONDS);
  }
}
