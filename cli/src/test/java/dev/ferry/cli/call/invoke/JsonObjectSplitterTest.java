package dev.ferry.cli.call.invoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonObjectSplitterTest {

  private static List<String> all(String input) throws IOException {
    JsonObjectSplitter splitter = new JsonObjectSplitter(new StringReader(input));
    List<String> objects = new ArrayList<>();
    for (String o = splitter.next(); o != null; o = splitter.next()) {
      objects.add(o);
    }
    return objects;
  }

  @Test
  void concatenatedObjects_areCutAtTheirClosingBraces() throws IOException {
    assertThat(all("{\"a\":1}{\"b\":{\"c\":[1,{}]}}"))
        .containsExactly("{\"a\":1}", "{\"b\":{\"c\":[1,{}]}}");
  }

  @Test
  void objectsOnePerLine_withBlankLinesAndCommas_areSplit() throws IOException {
    assertThat(all("\n{\"a\":1}\n\n{\"a\":2},\n  {\"a\":3}\n")).hasSize(3);
  }

  @Test
  void bracesAndEscapedQuotesInsideStrings_doNotEndTheObject() throws IOException {
    assertThat(all("{\"t\":\"}{\\\"}\"} {}")).containsExactly("{\"t\":\"}{\\\"}\"}", "{}");
  }

  @Test
  void emptyInput_hasNoObjects() throws IOException {
    assertThat(all("  \n")).isEmpty();
  }

  @Test
  void somethingElseThanAnObject_isNamedWithItsPosition() {
    assertThatThrownBy(() -> all("{} [1]"))
        .isInstanceOf(JsonObjectSplitter.MalformedInputException.class)
        .hasMessageContaining("character 4")
        .hasMessageContaining("request message 2");
  }

  @Test
  void unterminatedObject_saysSo() {
    assertThatThrownBy(() -> all("{\"a\": {"))
        .isInstanceOf(JsonObjectSplitter.MalformedInputException.class)
        .hasMessageContaining("ended inside request message 1");
  }

  @Test
  void anObject_isReturnedBeforeTheInputEnds() throws IOException {
    PipedWriter writer = new PipedWriter();
    JsonObjectSplitter splitter = new JsonObjectSplitter(new PipedReader(writer));
    writer.write("{\"name\":\"first\"}\n");
    writer.flush();
    // The writer stays open: next() must not wait for more input to return the first object.
    assertThat(splitter.next()).isEqualTo("{\"name\":\"first\"}");
    writer.close();
    assertThat(splitter.next()).isNull();
  }
}
