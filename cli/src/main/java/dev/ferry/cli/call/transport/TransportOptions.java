package dev.ferry.cli.call.transport;

import dev.ferry.cli.option.DurationOption;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How {@code ferry call} reaches its target: TLS or plaintext, certificates, timeouts, limits. */
public final class TransportOptions {
  @Option(
      names = "--plaintext",
      description = "Speak HTTP/2 without TLS (h2c). Default: detect what the target speaks.")
  boolean plaintext;

  @Option(
      names = "--cacert",
      paramLabel = "FILE",
      description = "Trust the server certificates signed by this PEM CA bundle (implies TLS).")
  Path caCert;

  @Option(
      names = "--cert",
      paramLabel = "FILE",
      description = "Present this PEM client certificate chain (mutual TLS; needs --key).")
  Path cert;

  @Option(names = "--key", paramLabel = "FILE", description = "The PEM private key of --cert.")
  Path key;

  @Option(
      names = "--insecure",
      description = "Use TLS but accept any server certificate (for testing only).")
  boolean insecure;

  @Option(
      names = "--authority",
      paramLabel = "NAME",
      description = "The :authority (and TLS server name) to send instead of the address.")
  String authority;

  @Option(
      names = "--connect-timeout",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = DurationOption.class,
      description = "How long to wait for the connection (default: ${DEFAULT-VALUE}).")
  Duration connectTimeout;

  @Option(
      names = "--max-msg-size",
      paramLabel = "BYTES",
      defaultValue = "4194304",
      description = "The largest response message accepted, in bytes (default: ${DEFAULT-VALUE}).")
  int maxMessageSize;

  /** The one sentence to show when the options contradict each other, or null when they agree. */
  public String conflict() {
    if (plaintext && (caCert != null || cert != null || insecure)) {
      return "--plaintext cannot be combined with --cacert, --cert or --insecure (they are TLS)";
    }
    if ((cert == null) != (key == null)) {
      return "--cert and --key go together (a client certificate needs its private key)";
    }
    if (insecure && caCert != null) {
      return "--insecure trusts any certificate, so --cacert would be ignored: give one of them";
    }
    if (maxMessageSize <= 0) {
      return "--max-msg-size " + maxMessageSize + " (expected: > 0)";
    }
    return null;
  }

  /** Whether --plaintext was given: TLS is then neither probed nor spoken. */
  public boolean plaintext() {
    return plaintext;
  }

  /** The :authority and TLS server name to use instead of the target's host; null for that. */
  public String authority() {
    return authority;
  }

  /** Whether --insecure was given: any server certificate, under any name, is accepted. */
  public boolean insecure() {
    return insecure;
  }

  /** How long to wait for a connection, and for a TLS probe's answer. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** The largest response message a call accepts, in bytes. */
  public int maxMessageSize() {
    return maxMessageSize;
  }

  /** Whether TLS options were given, which settles the question without probing. */
  boolean tlsRequested() {
    return caCert != null || cert != null || insecure;
  }
}
