package dev.ferry.cli.importer.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NginxValuesTest {
  @Test
  void times_becomeFerryDurations() {
    assertThat(NginxValues.duration("60s")).isEqualTo("1m");
    assertThat(NginxValues.duration("30")).isEqualTo("30s");
    assertThat(NginxValues.duration("1m30s")).isEqualTo("90s");
    assertThat(NginxValues.duration("500ms")).isEqualTo("500ms");
    assertThat(NginxValues.duration("1d")).isEqualTo("24h");
    assertThat(NginxValues.duration("soon")).isNull();
  }

  @Test
  void sizes_becomeFerrySizes() {
    assertThat(NginxValues.formatBytes(NginxValues.bytes("4m"))).isEqualTo("4MiB");
    assertThat(NginxValues.formatBytes(NginxValues.bytes("512k"))).isEqualTo("512KiB");
    assertThat(NginxValues.formatBytes(NginxValues.bytes("1000"))).isEqualTo("1000");
    assertThat(NginxValues.bytes("4 megs")).isNull();
  }

  @Test
  void listenAddresses_getNginxsDefaults() {
    assertThat(NginxValues.hostPort("80", 80)).isEqualTo("0.0.0.0:80");
    assertThat(NginxValues.hostPort("*:8080", 80)).isEqualTo("0.0.0.0:8080");
    assertThat(NginxValues.hostPort("127.0.0.1", 80)).isEqualTo("127.0.0.1:80");
    assertThat(NginxValues.hostPort("[::1]:443", 80)).isEqualTo("[::1]:443");
    assertThat(NginxValues.hostPort("backend", 443)).isEqualTo("backend:443");
    assertThat(NginxValues.hostPort("localhost: 50051", 80)).isNull();
  }
}
