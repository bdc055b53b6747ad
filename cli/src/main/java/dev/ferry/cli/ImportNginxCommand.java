package dev.ferry.cli;

import dev.ferry.cli.exit.ExitCodes;
import dev.ferry.cli.importer.nginx.ImportReport;
import dev.ferry.cli.importer.nginx.NginxImport;
import dev.ferry.cli.importer.nginx.NginxSyntaxException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `ferry import nginx`: converts an nginx gRPC configuration to a ferry.yaml whose entries name
 * their nginx file:line, and reports on stderr what did not come over.
 */
@Command(
    name = "nginx",
    mixinStandardHelpOptions = true,
    description = {
      "Convert an nginx configuration (grpc_pass, proxy_pass, upstream, location, listen,"
          + " ssl_*, limits) to a ferry.yaml, following include as nginx does.",
      "Each entry is commented with the nginx file:line it came from; what ferry has no"
          + " counterpart for is reported on stderr with its file:line and why."
    },
    footer = {
      "",
      "Examples:",
      "  ferry import nginx /etc/nginx/nginx.conf -o ferry.yaml",
      "  ferry import nginx --check /etc/nginx/nginx.conf     the report only",
      "",
      "Exit codes: 0 complete; 3 partial (the report lists what was not converted);",
      "4 impossible (a syntax error at file:line, a missing file, nothing to",
      "convert); 2 bad command line."
    })
final class ImportNginxCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The main nginx configuration file.")
  Path file;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the ferry.yaml here (default: standard output).")
  Path output;

  @Option(names = "--check", description = "Print the report only; write no YAML.")
  boolean check;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String outputName = output != null ? output.toString() : "ferry.yaml";
    NginxImport.Result result;
    try {
      result = NginxImport.convert(file, outputName);
    } catch (NginxSyntaxException e) {
      err.println(e.getMessage());
      return ExitCodes.IMPORT_IMPOSSIBLE;
    } catch (NoSuchFileException e) {
      err.println("ferry import nginx: no such file: " + e.getFile());
      return ExitCodes.IMPORT_IMPOSSIBLE;
    } catch (CharacterCodingException e) {
      err.println("ferry import nginx: " + file + ": not UTF-8 text");
      return ExitCodes.IMPORT_IMPOSSIBLE;
    } catch (IOException e) {
      err.println("ferry import nginx: cannot read " + file + ": " + e.getMessage());
      return ExitCodes.IMPORT_IMPOSSIBLE;
    }
    ImportReport report = result.report();
    for (ImportReport.Entry e : report.entries()) {
      err.println(e);
    }
    if (!result.problems().isEmpty()) {
      for (String p : result.problems()) {
        err.println(p);
      }
      err.println("ferry import nginx: impossible: the result would not pass ferry serve --check");
      return ExitCodes.IMPORT_IMPOSSIBLE;
    }
    if (!check) {
      if (output == null) {
        out.print(result.yaml());
        out.flush();
      } else {
        try {
          Files.writeString(output, result.yaml(), StandardCharsets.UTF_8);
        } catch (IOException e) {
          err.println("ferry import nginx: cannot write " + output + ": " + e.getMessage());
          return ExitCodes.FAILURE;
        }
      }
    }
    long missing = report.count(ImportReport.Kind.NOT_CONVERTED);
    long notes = report.count(ImportReport.Kind.NOTE);
    String written =
        check ? "" : output == null ? ", written to standard output" : ", written to " + output;
    if (missing == 0) {
      err.println(
          "ferry import nginx: complete ("
              + notes
              + (notes == 1 ? " note" : " notes")
              + ")"
              + written);
      return ExitCodes.OK;
    }
    err.println(
        "ferry import nginx: partial: "
            + missing
            + (missing == 1 ? " directive" : " directives")
            + " not converted"
            + written);
    return ExitCodes.IMPORT_PARTIAL;
  }
}
