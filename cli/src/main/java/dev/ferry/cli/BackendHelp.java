package dev.ferry.cli;

/** Help text the example backends' commands share. */
final class BackendHelp {
  static final String FAULT_INJECTION =
      "Fault injection, per call, by request metadata (helloworld services only):%n"
          + "  x-fail-status: 14 | UNAVAILABLE    end the call with this status%n"
          + "  x-fail-message: TEXT               its message (ASCII); default \"injected\"%n"
          + "  x-fail-message-bin: BYTES          its message as UTF-8, for any text%n"
          + "  x-fail-after: N                    a server stream sends N messages first%n"
          + "  x-delay-ms: N                      start answering N ms later%n"
          + "  x-stream-count: N                  SayHelloStreamReply sends N replies (3)%n"
          + "  x-stream-interval-ms: N            N ms between stream replies (0)";

  private BackendHelp() {}
}
