package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import sun.misc.Signal;

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

  @Test
  void hangup_runsTheCommandsAction_insteadOfEndingTheProcess() throws Exception {
    StopSignal signal = StopSignal.fromOperatingSystem();
    CountDownLatch heard = new CountDownLatch(1);
    signal.onHangup(heard::countDown);

    Signal.raise(new Signal("HUP")); // without a handler, the JVM would exit with 129 here

    assertThat(heard.await(10, TimeUnit.SECONDS)).isTrue();
  }
}
