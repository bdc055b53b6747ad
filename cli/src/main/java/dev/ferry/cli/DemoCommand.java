package dev.ferry.cli;

import dev.ferry.cli.demo.DemoPageServer;
import dev.ferry.cli.exit.ExitCodes;
import dev.ferry.cli.exit.UserFacingException;
import dev.ferry.proxy.config.AdminConfig;
import dev.ferry.proxy.config.ConfigException;
import dev.ferry.proxy.config.CorsConfig;
import dev.ferry.proxy.config.FlagConfig;
import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.testservers.ExampleRestServer;
import dev.ferry.testservers.ExampleServer;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `ferry demo`: the nginx article's whole topology in one command: greeter, two daininki instances,
 * a REST endpoint, and the proxy routing to them on one port; and a page from which a browser calls
 * them through the proxy with gRPC-Web.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "The whole example topology at once: greeter, daininki twice, a REST endpoint, and the proxy"
          + " in front of them (gRPC and REST on one port), with the access log on standard output;"
          + " and a page that calls them from a browser with gRPC-Web.",
      "Prints the commands to try; Ctrl-C stops everything."
    },
    footer = {
      "",
      "Examples:",
      "  ferry demo                                  proxy on 127.0.0.1:8080",
      "  ferry demo --proxy-port 9090 --rest-port 0  0 picks a free port"
    })
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--proxy-port", paramLabel = "PORT", description = "Default: ${DEFAULT-VALUE}.")
  int proxyPort = 8080;

  @Option(names = "--greeter-port", paramLabel = "PORT", description = "Default: ${DEFAULT-VALUE}.")
  int greeterPort = 50051;

  @Option(
      names = "--daininki-port",
      paramLabel = "PORT",
      split = ",",
      description = "Daininki instances, balanced by the proxy. Default: 50052,50053.")
  List<Integer> daininkiPorts = new ArrayList<>(List.of(50052, 50053));

  @Option(names = "--rest-port", paramLabel = "PORT", description = "Default: ${DEFAULT-VALUE}.")
  int restPort = 8000;

  @Option(
      names = "--admin-port",
      paramLabel = "PORT",
      description =
          "The proxy's admin listener (/metrics, /clusters, ...); a free port when it is taken."
              + " Default: ${DEFAULT-VALUE}.")
  int adminPort = 9901;

  @Option(
      names = "--page-port",
      paramLabel = "PORT",
      description =
          "The browser page's own origin, allowed by the proxy's CORS; a free port when it is"
              + " taken. Default: ${DEFAULT-VALUE}.")
  int pagePort = 8081;

  /** Replaced by tests, which stop the command themselves. */
  StopSignal stopSignal = StopSignal.fromOperatingSystem();

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    // Armed before anything starts, so that a SIGTERM right after start-up still stops cleanly.
    stopSignal.arm();
    try (Topology topology = start()) {
      printTryThis(topology, out);
      stopSignal.await();
    }
    return ExitCodes.OK;
  }

  /** Starts every part, the proxy last; if one part cannot start, those started are closed. */
  Topology start() {
    Topology t = new Topology();
    try {
      t.greeter = backend(ExampleServer.Kind.GREETER, greeterPort);
      for (int port : daininkiPorts) {
        t.daininki.add(backend(ExampleServer.Kind.DAININKI, port));
      }
      t.rest = rest();
      t.page = page();
      t.proxy = RunningProxy.start(proxyConfig(t));
      return t;
    } catch (RuntimeException e) {
      t.close();
      throw e;
    }
  }

  /**
   * The article's routing, in the flag form `serve` takes: one way to say it. The proxy answers
   * reflection itself for both clusters, so that `ferry call` can list and describe through it.
   */
  private ProxyConfig proxyConfig(Topology t) {
    List<String> daininki = t.daininki.stream().map(ExampleServer::authority).toList();
    List<String> routes =
        List.of(
            "helloworld.Greeter=" + t.greeter.authority(),
            "helloworld.Daininki=" + String.join(",", daininki),
            "/=http://" + authority(t.rest.address()));
    try {
      ProxyConfig c =
          new FlagConfig(List.of("127.0.0.1:" + proxyPort), routes, null, "-", "text", "2s")
              .toProxyConfig();
      CorsConfig cors = pageCors(t.page.origin());
      return new ProxyConfig(
          c.listeners().stream().map(l -> l.toBuilder().cors(cors).build()).toList(),
          c.clusters(),
          c.accessLog(),
          c.drainTimeout(),
          new AdminConfig("127.0.0.1", isFree(adminPort) ? adminPort : 0));
    } catch (ConfigException e) {
      throw new IllegalStateException("the demo's own routes are invalid: " + e.getMessage(), e);
    }
  }

  /**
   * The page's origin only, not {@code *}: what a real deployment would allow. The page may also
   * send the greeter's two stream headers, so that a person sees replies arrive one by one.
   */
  private static CorsConfig pageCors(String origin) {
    List<String> headers = new ArrayList<>(CorsConfig.DEFAULT_ALLOW_HEADERS);
    headers.addAll(List.of("x-stream-count", "x-stream-interval-ms"));
    return new CorsConfig(
        List.of(origin),
        CorsConfig.DEFAULT_ALLOW_METHODS,
        headers,
        CorsConfig.DEFAULT_EXPOSE_HEADERS,
        false,
        CorsConfig.DEFAULT_MAX_AGE);
  }

  /** Whether {@code port} can be bound on loopback now (0 always can). */
  private static boolean isFree(int port) {
    if (port == 0) {
      return true;
    }
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static ExampleServer backend(ExampleServer.Kind kind, int port) {
    try {
      return ExampleServer.builder(kind).port(port).start();
    } catch (IOException e) {
      throw new UserFacingException(e.getMessage(), e);
    }
  }

  private ExampleRestServer rest() {
    try {
      return ExampleRestServer.start("127.0.0.1", restPort);
    } catch (IOException e) {
      throw new UserFacingException(e.getMessage(), e);
    }
  }

  private DemoPageServer page() {
    try {
      return DemoPageServer.start("127.0.0.1", isFree(pagePort) ? pagePort : 0);
    } catch (IOException e) {
      throw new UserFacingException(e.getMessage(), e);
    }
  }

  private static void printTryThis(Topology t, PrintWriter out) {
    // The demo listens on TCP only.
    String proxy = authority((InetSocketAddress) t.proxy.listenAddresses().get(0));
    List<String> daininki = t.daininki.stream().map(ExampleServer::authority).toList();
    out.println("ferry demo is running:");
    out.println("  proxy     " + proxy + "  gRPC and REST on one port; access log below");
    out.println("  greeter   " + t.greeter.authority());
    out.println("  daininki  " + String.join(", ", daininki) + "  (round robin)");
    out.println("  rest      " + authority(t.rest.address()) + "  HTTP/1.1");
    InetSocketAddress admin = t.proxy.adminAddress();
    if (admin != null) {
      out.println("  admin     " + ServeSummary.adminLine(admin));
    }
    out.println();
    out.println("Try, in another terminal:");
    out.println("  ./ferry call " + proxy + " list");
    out.println("  ./ferry call " + proxy + " helloworld.Greeter/SayHello -d '{\"name\":\"you\"}'");
    out.println(
        "  ./ferry call "
            + proxy
            + " helloworld.Daininki/Vote -d '{\"candidate\":\"ferry\"}'"
            + "   # again: served_by alternates");
    out.println("  curl http://" + proxy + "/api/hello");
    out.println("  curl --http2-prior-knowledge http://" + proxy + "/api/hello");
    out.println(
        "  curl http://"
            + proxy
            + "/v1/greeter/ferry"
            + "   # HTTP/JSON: Greeter by google.api.http");
    if (admin != null) {
      out.println("  curl http://" + authority(admin) + "/metrics");
      out.println("  curl http://" + authority(admin) + "/clusters");
    }
    out.println(
        "  open "
            + t.page.url("http://" + proxy)
            + " in a browser   # Greeter, a stream and Vote over gRPC-Web");
    out.println("Ctrl-C stops everything.");
    out.println();
    out.flush();
  }

  private static String authority(InetSocketAddress address) {
    return NetUtil.toSocketAddressString(address.getHostString(), address.getPort());
  }

  /** Everything the demo started, closed in reverse order: the proxy drains first. */
  static final class Topology implements AutoCloseable {
    ExampleServer greeter;
    final List<ExampleServer> daininki = new ArrayList<>();
    ExampleRestServer rest;
    DemoPageServer page;
    RunningProxy proxy;

    @Override
    public void close() {
      try {
        if (proxy != null) {
          proxy.stop();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (page != null) {
        page.close();
      }
      if (rest != null) {
        rest.close();
      }
      daininki.forEach(ExampleServer::close);
      if (greeter != null) {
        greeter.close();
      }
    }
  }
}
