package dev.ferry.cli.call.load;

import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import dev.ferry.cli.call.transport.ChannelFactory;
import dev.ferry.cli.call.transport.Target;
import dev.ferry.cli.call.transport.TransportOptions;
import dev.ferry.cli.exit.ExitCodes;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ferry call ... -n N}: opens the load's connections, runs it with a progress line on a
 * terminal (none when piped), prints the summary and decides the exit code: 1 when an SLO failed,
 * or, without SLOs, when any call failed.
 */
public final class LoadMode {
  private final LoadOptions load;
  private final TransportOptions transport;
  private final Duration deadline;
  private final Target target;
  private final ChannelFactory.Security security;
  private final PrintWriter out;
  private final PrintWriter err;

  /**
   * @param deadline each call's deadline; null for none
   * @param security what the target was found to speak, so the load's connections need no probe
   */
  public LoadMode(
      LoadOptions load,
      TransportOptions transport,
      Duration deadline,
      Target target,
      ChannelFactory.Security security,
      PrintWriter out,
      PrintWriter err) {
    this.load = load;
    this.transport = transport;
    this.deadline = deadline;
    this.target = target;
    this.security = security;
    this.out = out;
    this.err = err;
  }

  public int run(
      Descriptors.MethodDescriptor method, List<DynamicMessage> requests, Metadata headers)
      throws IOException, InterruptedException {
    // The reflection channel learned the schema; the load gets channels of its own.
    List<ManagedChannel> channels = new ArrayList<>();
    try {
      while (channels.size() < load.connections()) {
        channels.add(ChannelFactory.open(target, transport, security, true));
      }
      LoadRunner runner =
          new LoadRunner(
              channels,
              method,
              requests.stream().map(DynamicMessage::toByteArray).toList(),
              headers,
              deadline,
              transport.maxMessageSize(),
              load);
      boolean terminal = System.console() != null;
      long start = System.nanoTime();
      LoadStats stats = runner.run(terminal ? () -> progress(runner, start) : () -> {});
      if (terminal) {
        err.print("\r" + " ".repeat(80) + "\r");
        err.flush();
      }
      List<Slo> slos = load.slo == null ? List.of() : Slo.parse(load.slo);
      boolean sloHeld = LoadSummary.print(out, stats, load, slos);
      if (load.report != null) {
        LoadReport.write(
            load.report.get(0),
            Path.of(load.report.get(1)),
            stats,
            load,
            method.getService().getFullName() + "/" + method.getName() + " at " + target);
      }
      if (!slos.isEmpty()) {
        return sloHeld ? ExitCodes.OK : ExitCodes.FAILURE;
      }
      return stats.failed() == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
    } finally {
      for (ManagedChannel channel : channels) {
        channel.shutdownNow();
      }
    }
  }

  private void progress(LoadRunner runner, long start) {
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    Duration warmup = load.warmup == null ? Duration.ZERO : load.warmup;
    String line =
        elapsed.compareTo(warmup) < 0
            ? String.format(
                Locale.ROOT,
                "warming up: %.1fs of %.1fs",
                elapsed.toMillis() / 1e3,
                warmup.toMillis() / 1e3)
            : ProgressBar.line(
                runner.stats().calls(), load.total, elapsed.minus(warmup), load.duration);
    // Padded: the warm-up line is shorter than the bar that follows it on the same row.
    err.print("\r" + String.format(Locale.ROOT, "%-79s", line));
    err.flush();
  }
}
