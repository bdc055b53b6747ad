package dev.ferry.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DidYouMeanTest {
  @Test
  void nearTypos_areSuggested() {
    assertThat(DidYouMean.closest("dainiki", List.of("greeter", "daininki"))).contains("daininki");
    assertThat(DidYouMean.closest("adress", List.of("address", "routes"))).contains("address");
    // A swapped pair counts as one edit.
    assertThat(DidYouMean.closest("rotues", List.of("address", "routes"))).contains("routes");
  }

  @Test
  void farNames_areNotSuggested() {
    assertThat(DidYouMean.closest("admin", List.of("listeners", "clusters"))).isEmpty();
    assertThat(DidYouMean.hint("admin", List.of("listeners", "clusters")))
        .isEqualTo(" (expected one of: listeners, clusters)");
  }
}
