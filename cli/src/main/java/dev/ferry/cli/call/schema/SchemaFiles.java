package dev.ferry.cli.call.schema;

/**
 * The schema given as files on the command line ({@code --proto} or {@code --protoset}), if any.
 */
public final class SchemaFiles {
  private SchemaFiles() {}

  public static boolean given(SchemaOptions options) {
    return !options.protos.isEmpty() || !options.protosets.isEmpty();
  }

  /** Loads the files; call only when {@link #given}. */
  public static SchemaSource load(SchemaOptions options) {
    return options.protos.isEmpty()
        ? ProtosetSchemaSource.load(options.protosets)
        : ProtoFileSchemaSource.load(options.protos, options.importPaths);
  }
}
