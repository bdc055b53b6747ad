package dev.ferry.cli.importer.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NginxParserTest {
  @TempDir Path dir;

  private List<Directive> parse(String text) throws Exception {
    return NginxParser.parse(Files.writeString(dir.resolve("nginx.conf"), text));
  }

  @Test
  void quotesEscapesCommentsAndVariables_readAsNginxReadsThem() throws Exception {
    List<Directive> top =
        parse(
            """
            # a comment
            add_header x-a "two words" always;   # trailing comment
            add_header x-b 'it\\'s' ;
            log_format main "a\\"b" ${host}x a#b;
            return 200 \\;semi;
            """);
    assertThat(top).extracting(Directive::name).containsOnly("add_header", "log_format", "return");
    assertThat(top.get(0).args()).containsExactly("x-a", "two words", "always");
    assertThat(top.get(0).line()).isEqualTo(2);
    assertThat(top.get(1).args()).containsExactly("x-b", "it's");
    assertThat(top.get(2).args()).containsExactly("main", "a\"b", "${host}x", "a#b");
    // A backslash keeps ';' inside the word, and nginx keeps the backslash too (it unescapes
    // only quotes, backslash, t, r and n).
    assertThat(top.get(3).args()).containsExactly("200", "\\;semi");
  }

  @Test
  void blocksNest_withTheLineOfTheirName() throws Exception {
    List<Directive> top = parse("http {\n  server {\n    listen 80;\n  }\n}\n");
    Directive server = top.get(0).block().get(0);
    assertThat(server.name()).isEqualTo("server");
    assertThat(server.line()).isEqualTo(2);
    assertThat(server.children("listen").get(0).where())
        .isEqualTo(dir.resolve("nginx.conf") + ":3");
  }

  @Test
  void syntaxErrors_nameFileAndLine() {
    assertThatThrownBy(() -> parse("http {\n  listen 80\n}\n"))
        .isInstanceOf(NginxSyntaxException.class)
        .hasMessage(dir.resolve("nginx.conf") + ":3: unexpected \"}\"");
    assertThatThrownBy(() -> parse("listen 80"))
        .hasMessage(
            dir.resolve("nginx.conf")
                + ":1: unexpected end of file, expecting \";\" or \"}\" after 'listen'");
    assertThatThrownBy(() -> parse("add_header \"a\"b;"))
        .hasMessage(dir.resolve("nginx.conf") + ":1: unexpected \"b\" after a quoted string");
    assertThatThrownBy(() -> parse("{ }"))
        .hasMessage(dir.resolve("nginx.conf") + ":1: unexpected \"{\"");
  }

  @Test
  void includeLoop_isAnErrorNotAStackOverflow() throws Exception {
    Files.writeString(dir.resolve("self.conf"), "include self.conf;\n");
    assertThatThrownBy(() -> NginxParser.parse(dir.resolve("self.conf")))
        .isInstanceOf(NginxSyntaxException.class)
        .hasMessageContaining("includes nest more than 32 deep");
  }
}
