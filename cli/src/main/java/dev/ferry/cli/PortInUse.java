package dev.ferry.cli;

import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one line for a port that cannot be bound. When no server listens there, what holds the port
 * is this machine's own recent connections in TIME_WAIT: common after a load test, because the
 * kernel also hands ports like 50051 to outgoing connections, and puzzling, because {@code ss -l}
 * then shows nothing on the port.
 */
final class PortInUse {
  private static final Path PORT_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

  private PortInUse() {}

  static String message(String host, int port) {
    String address = NetUtil.toSocketAddressString(host, port);
    if (listens(host, port)) {
      return address + " is already in use";
    }
    return address
        + " is already in use, though no server listens there: connections of this machine hold it"
        + " in TIME_WAIT for up to a minute"
        + outgoingRange(port)
        + "; wait, or pick another port";
  }

  private static boolean listens(String host, int port) {
    try (Socket probe = new Socket()) {
      probe.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Where the kernel says which ports outgoing connections get, and the port is one of them. */
  private static String outgoingRange(int port) {
    try {
      String[] range = Files.readString(PORT_RANGE).trim().split("\\s+");
      int low = Integer.parseInt(range[0]);
      int high = Integer.parseInt(range[1]);
      return port >= low && port <= high
          ? " (the port is in the kernel's range for outgoing connections, "
              + low
              + "-"
              + high
              + ")"
          : "";
    } catch (IOException | RuntimeException e) {
      return ""; // not Linux, or no /proc: the rest of the sentence still holds
    }
  }
}
