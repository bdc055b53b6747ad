package dev.ferry.cli;

import dev.ferry.cli.exit.ExitCodes;
import dev.ferry.cli.exit.UserFacingException;
import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.proxy.xds.XdsBootstrap;
import dev.ferry.proxy.xds.XdsClient;
import dev.ferry.proxy.xds.XdsOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * `ferry serve` configured by an xDS control plane, once its options are checked: it waits for the
 * first complete configuration, serves it, follows the control plane's updates until the stop
 * signal, then drains.
 */
final class XdsServe {
  private static final Logger log = LoggerFactory.getLogger(XdsServe.class);

  /** How long serve waits for the control plane's first complete configuration. */
  static final Duration FIRST_CONFIG_WAIT = Duration.ofSeconds(30);

  private final StopSignal stopSignal;

  XdsServe(StopSignal stopSignal) {
    this.stopSignal = stopSignal;
  }

  /**
   * Serves what the control plane in {@code bootstrap} gives, on top of {@code base} (admin, access
   * log, drain timeout); with {@code check}, only says what it would follow.
   */
  int run(
      XdsBootstrap bootstrap,
      Path bootstrapFile,
      ProxyConfig base,
      XdsOptions options,
      boolean check,
      PrintWriter out,
      PrintWriter err)
      throws InterruptedException {
    String source = "xds " + bootstrap.serverUri() + " (" + bootstrapFile + ")";
    if (check) {
      out.println(source + ": OK (node " + bootstrap.node().getId() + ")");
      return ExitCodes.OK;
    }
    stopSignal.arm();
    XdsClient client;
    try {
      client = XdsClient.start(bootstrap, base, options);
    } catch (IllegalArgumentException e) {
      // grpc refuses a target it cannot parse
      throw new UserFacingException(
          bootstrapFile + ": xds_servers[0].server_uri: " + e.getMessage(), e);
    }
    ProxyConfig first;
    try {
      first = client.awaitFirstConfig(FIRST_CONFIG_WAIT);
    } catch (TimeoutException e) {
      client.close();
      throw new UserFacingException(e.getMessage(), e);
    }
    RunningProxy proxy;
    try {
      proxy = RunningProxy.start(first);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    try {
      proxy.followXds(client);
      stopSignal.onHangup(
          () -> log.warn("SIGHUP: nothing to reload, the configuration comes from xDS; going on"));
      // As with a file: with the access log on standard output, the summary goes to stderr.
      boolean accessLogOnStdout = base.accessLog() != null && base.accessLog().path().equals("-");
      PrintWriter summary = accessLogOnStdout ? err : out;
      ServeSummary.print(
          source, first, proxy.listenAddresses(), proxy.adminAddress(), List.of(), summary);
      summary.flush();
      stopSignal.await();
    } finally {
      proxy.stop();
    }
    return ExitCodes.OK;
  }
}
