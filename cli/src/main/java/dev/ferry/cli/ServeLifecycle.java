package dev.ferry.cli;

import dev.ferry.cli.exit.UserFacingException;
import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.proxy.config.TlsConfig;
import dev.ferry.proxy.tls.SelfSignedCertificates;
import dev.ferry.proxy.xds.XdsBootstrap;
import dev.ferry.proxy.xds.XdsClient;
import dev.ferry.proxy.xds.XdsOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * `ferry serve` from start to stop, once its configuration is checked: the development certificate
 * when one is asked for, the listeners, reloads (on change of the file and on SIGHUP) or, with an
 * {@code xds:} block, the control plane's resources beside the file's, the start-up summary, and
 * the drain when the stop signal comes.
 */
final class ServeLifecycle {
  private static final Logger log = LoggerFactory.getLogger(ServeLifecycle.class);

  private final StopSignal stopSignal;
  private final Map<String, String> environment;
  private final Path configFile;

  /**
   * @param environment where {@code --tls self-signed} finds its directory
   * @param configFile the file to reload, or {@code null} for the flag form
   */
  ServeLifecycle(StopSignal stopSignal, Map<String, String> environment, Path configFile) {
    this.stopSignal = stopSignal;
    this.environment = environment;
    this.configFile = configFile;
  }

  /** Serves {@code proxyConfig}, read from {@code source}, until the stop signal; then drains. */
  void run(ProxyConfig proxyConfig, String source, PrintWriter out, PrintWriter err)
      throws InterruptedException {
    // Armed before anything starts, so that a SIGTERM right after start-up still drains.
    stopSignal.arm();
    SelfSignedCertificates.Material development = null;
    int developmentListener = -1;
    if (DevelopmentTls.wanted(proxyConfig)) {
      for (int i = 0; developmentListener < 0; i++) {
        TlsConfig t = proxyConfig.listeners().get(i).tls();
        developmentListener = t != null && t.selfSigned() ? i : -1;
      }
      development = DevelopmentTls.ensure(environment);
      proxyConfig = DevelopmentTls.resolve(proxyConfig, development);
    }
    RunningProxy proxy = RunningProxy.start(proxyConfig);
    try {
      if (proxyConfig.xds() != null) {
        proxy.followXds(startXds(proxyConfig));
        // A reload of the file would replace the control plane's resources with none.
        stopSignal.onHangup(
            () ->
                log.warn(
                    "SIGHUP: nothing to reload: xDS resources follow the control plane, the"
                        + " file's change with a restart (as Envoy's static resources); going on"));
      } else if (configFile != null) {
        proxy.reloadOnChange(configFile);
        stopSignal.onHangup(proxy::reloadNow);
      } else {
        // Flags cannot change under a running process: say so, rather than die of the signal.
        stopSignal.onHangup(
            () ->
                log.warn(
                    "SIGHUP: nothing to reload, the configuration comes from flags (serve -c FILE"
                        + " reloads on SIGHUP); going on"));
      }
      List<String> notes =
          development == null
              ? List.of()
              : DevelopmentTls.hint(development, proxy.listenAddresses().get(developmentListener));
      // With the access log on standard output, that stream is data only (`> calls.log` keeps a
      // clean log): what the proxy says about itself goes to standard error, as its log lines do.
      boolean accessLogOnStdout =
          proxyConfig.accessLog() != null && proxyConfig.accessLog().path().equals("-");
      PrintWriter summary = accessLogOnStdout ? err : out;
      ServeSummary.print(
          source, proxyConfig, proxy.listenAddresses(), proxy.adminAddress(), notes, summary);
      summary.flush();
      stopSignal.await();
    } finally {
      proxy.stop();
    }
  }

  /**
   * The client of the file's {@code xds:} block: the control plane's resources join the file's,
   * which serve from the start, as they come.
   */
  private XdsClient startXds(ProxyConfig config) {
    try {
      return XdsClient.start(XdsBootstrap.of(config.xds()), config, XdsOptions.DEFAULTS);
    } catch (IllegalArgumentException e) {
      // grpc refuses a target it cannot parse
      throw new UserFacingException(configFile + ": xds.server: " + e.getMessage(), e);
    }
  }
}
