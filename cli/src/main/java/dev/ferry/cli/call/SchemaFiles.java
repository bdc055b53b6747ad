package dev.ferry.cli.call;

/**
 * The schema given as files on the command line ({@code --proto} or {@code --protoset}), if any.
 */
final class SchemaFiles {
  private SchemaFiles() {}

  static boolean given(CallArguments args) {
    return !args.schema.protos.isEmpty() || !args.schema.protosets.isEmpty();
  }

  /** Loads the files; call only when {@link #given}. */
  static SchemaSource load(CallArguments args) {
    return args.schema.protos.isEmpty()
        ? ProtosetSchemaSource.load(args.schema.protosets)
        : ProtoFileSchemaSource.load(args.schema.protos, args.schema.importPaths);
  }
}
