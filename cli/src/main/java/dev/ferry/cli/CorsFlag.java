package dev.ferry.cli;

import dev.ferry.proxy.config.CorsConfig;
import dev.ferry.proxy.config.ProxyConfig;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code serve}'s {@code --cors ORIGIN}: the flag form of a listener's {@code cors:}, with the
 * defaults that suit gRPC-Web and Connect; kept out of {@link ServeCommand} so the command stays a
 * list of options.
 */
final class CorsFlag {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--cors",
      paramLabel = "ORIGIN",
      description = {
        "Flag form: let browser pages of ORIGIN call through every listener (repeatable),",
        "such as http://localhost:5173, https://*.example.com, or * for any (development)."
      })
  List<String> origins = new ArrayList<>();

  boolean given() {
    return !origins.isEmpty();
  }

  /** {@code c} with every listener allowing the flag's origins, or {@code c} without the flag. */
  ProxyConfig apply(ProxyConfig c) {
    if (origins.isEmpty()) {
      return c;
    }
    List<String> checked = new ArrayList<>();
    for (String o : origins) {
      try {
        checked.add(CorsConfig.checkOrigin(o));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--cors: " + e.getMessage());
      }
    }
    CorsConfig cors = CorsConfig.allowing(checked);
    return new ProxyConfig(
        c.listeners().stream().map(l -> l.toBuilder().cors(cors).build()).toList(),
        c.clusters(),
        c.accessLog(),
        c.drainTimeout());
  }
}
