package dev.ferry.cli.call;

/**
 * The schema given as files on the command line ({@code --proto} or {@code --protoset}), if any.
 */
final class SchemaFiles {
  private SchemaFiles() {}

  static boolean given(CallArguments args) {
    return !args.protos.isEmpty() || !args.protosets.isEmpty();
  }

  /** Loads the files; call only when {@link #given}. */
  static SchemaSource load(CallArguments args) {
    return args.protos.isEmpty()
        ? ProtosetSchemaSource.load(args.protosets)
        : ProtoFileSchemaSource.load(args.protos, args.importPaths);
  }
}
