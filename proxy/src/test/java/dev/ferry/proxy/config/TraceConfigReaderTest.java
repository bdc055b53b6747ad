package dev.ferry.proxy.config;

import static dev.ferry.proxy.config.ConfigLoaderTest.error;
import static dev.ferry.proxy.config.SecurityConfigReaderTest.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A listener's {@code trace: { path, format }}. */
class TraceConfigReaderTest {
  private static ProxyConfig parse(String yaml) throws ConfigException {
    return ConfigLoader.parse("ferry.yaml", yaml);
  }

  @Test
  void trace_readsPathAndFormat_textByDefault() throws Exception {
    assertThat(parse(yaml("    trace: { path: t.jsonl, format: json }\n", "", "")).listeners())
        .singleElement()
        .extracting(ListenerConfig::trace)
        .isEqualTo(new TraceConfig("t.jsonl", TraceConfig.Format.JSON));
    assertThat(parse(yaml("    trace: { path: t.txt }\n", "", "")).listeners().get(0).trace())
        .isEqualTo(new TraceConfig("t.txt", TraceConfig.Format.TEXT));
  }

  @Test
  void noTrace_isNull() throws Exception {
    assertThat(parse(yaml("", "", "")).listeners().get(0).trace()).isNull();
  }

  @Test
  void unknownFormat_getsDidYouMean() {
    assertThat(error(yaml("    trace: { path: t, format: jsn }\n", "", "")))
        .isEqualTo(
            "ferry.yaml:3:23: listeners[0].trace.format: unknown format 'jsn' (did you mean"
                + " 'json'?)");
  }

  @Test
  void missingPath_isAnError() {
    assertThat(error(yaml("    trace: { format: text }\n", "", "")))
        .isEqualTo(
            "ferry.yaml:3:5: listeners[0].trace.path: required (expected the file to write the"
                + " trace to)");
  }

  @Test
  void standardOutput_isRefused() {
    assertThat(error(yaml("    trace: { path: '-' }\n", "", "")))
        .endsWith(
            "listeners[0].trace.path: expected a file, got '-' (to watch a trace in a terminal,"
                + " use ferry trace)");
  }
}
