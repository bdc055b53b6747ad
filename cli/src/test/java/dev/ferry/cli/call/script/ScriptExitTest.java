package dev.ferry.cli.call.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.cli.Main;
import dev.ferry.cli.call.WatchedWriter;
import dev.ferry.testservers.ExampleServer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM waits 300 ms at exit for every thread in native code (a selector waiting for a socket):
 * once the call command has stopped its loops, nothing a script started may still be in one.
 * Against a greeter on a Unix socket, whose loop is its own and started before the script; in a
 * class of its own, since grpc-java's shared loops, which a script must not use, run while any TCP
 * greeter does.
 */
@Timeout(60)
class ScriptExitTest {
  private final WatchedWriter out = new WatchedWriter();
  private final WatchedWriter err = new WatchedWriter();
  @TempDir Path dir;

  @Test
  void script_leavesNoThreadInNativeCode() throws Exception {
    Path socket = dir.resolve("greeter.sock");
    try (ExampleServer greeter =
        ExampleServer.builder(ExampleServer.Kind.GREETER).unixSocket(socket).start()) {
      Path script =
          Files.writeString(
              dir.resolve("smoke.yaml"),
              """
              calls:
                - name: greeter says hello
                  method: helloworld.Greeter/SayHello
                  data: {name: ferry}
              """);
      Set<Thread> before = Thread.getAllStackTraces().keySet();

      int exit =
          Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
              .execute("call", "--script", script.toString(), greeter.authority());

      assertThat(exit).as(err.toString()).isZero();
      assertThat(inNativeCode(Thread.getAllStackTraces(), before)).isEmpty();
    }
  }

  private static List<String> inNativeCode(Map<Thread, StackTraceElement[]> all, Set<Thread> but) {
    return all.entrySet().stream()
        .filter(e -> !but.contains(e.getKey()) && e.getKey().getState() == Thread.State.RUNNABLE)
        .filter(e -> e.getValue().length > 0 && e.getValue()[0].isNativeMethod())
        .map(e -> e.getKey().getName() + " at " + e.getValue()[0])
        .toList();
  }
}
