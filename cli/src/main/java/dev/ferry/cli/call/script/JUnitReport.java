package dev.ferry.cli.call.script;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a script's results as JUnit XML, the report format every CI system reads: one testsuite
 * per target, one testcase per call, a failure element with the reason for each failed one.
 */
final class JUnitReport {
  private JUnitReport() {}

  static void write(Path file, String scriptName, List<ScriptRunner.Result> results)
      throws IOException {
    Map<String, List<ScriptRunner.Result>> byTarget = new LinkedHashMap<>();
    for (ScriptRunner.Result r : results) {
      byTarget.computeIfAbsent(r.target(), t -> new java.util.ArrayList<>()).add(r);
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeStartElement("testsuites");
      for (Map.Entry<String, List<ScriptRunner.Result>> suite : byTarget.entrySet()) {
        List<ScriptRunner.Result> cases = suite.getValue();
        xml.writeStartElement("testsuite");
        xml.writeAttribute("name", scriptName + " @ " + suite.getKey());
        xml.writeAttribute("tests", String.valueOf(cases.size()));
        xml.writeAttribute(
            "failures", String.valueOf(cases.stream().filter(r -> !r.passed()).count()));
        xml.writeAttribute("errors", "0");
        xml.writeAttribute(
            "time", seconds(cases.stream().mapToDouble(ScriptRunner.Result::seconds).sum()));
        for (ScriptRunner.Result r : cases) {
          xml.writeStartElement("testcase");
          xml.writeAttribute("classname", suite.getKey());
          xml.writeAttribute("name", r.name());
          xml.writeAttribute("time", seconds(r.seconds()));
          if (!r.passed()) {
            xml.writeStartElement("failure");
            xml.writeAttribute("message", r.message());
            xml.writeCharacters(r.details().isEmpty() ? r.message() : r.details());
            xml.writeEndElement();
          }
          xml.writeEndElement();
        }
        xml.writeEndElement();
      }
      xml.writeEndElement();
      xml.writeEndDocument();
      xml.close();
    } catch (XMLStreamException e) {
      throw new IOException("writing " + file + ": " + e.getMessage(), e);
    }
  }

  private static String seconds(double s) {
    return String.format(Locale.ROOT, "%.3f", s);
  }
}
