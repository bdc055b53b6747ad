package dev.ferry.cli.importer.nginx;

import java.util.List;

/**
 * One nginx directive as written: its name, its arguments (quotes and escapes resolved), where it
 * is, and the directives of its block, or {@code null} when it ends with {@code ;}.
 */
record Directive(String name, List<String> args, String file, int line, List<Directive> block) {
  /** {@code conf.d/grpc.conf:12}, as a report line starts. */
  String where() {
    return file + ":" + line;
  }

  /** The directive as it reads in nginx's file, without its block: {@code grpc_pass grpc://b}. */
  String text() {
    return args.isEmpty() ? name : name + " " + String.join(" ", args);
  }

  String arg(int i) {
    return i < args.size() ? args.get(i) : "";
  }

  boolean isBlock() {
    return block != null;
  }

  /** The directives named {@code name} directly inside this block. */
  List<Directive> children(String name) {
    return block == null ? List.of() : block.stream().filter(d -> d.name.equals(name)).toList();
  }
}
