package dev.ferry.cli.call.schema;

import com.google.protobuf.Descriptors.FileDescriptor;
import java.util.List;

/**
 * Where {@code ferry call} learns a service's schema: server reflection or descriptor files. Every
 * failure is a {@link SchemaException} whose message a person can act on.
 */
public interface SchemaSource extends AutoCloseable {

  /** The fully qualified names of the services offered, sorted. */
  List<String> listServices();

  /**
   * The file defining {@code symbol} (a service, method, message or enum, fully qualified), built
   * with all its dependencies.
   */
  FileDescriptor fileContainingSymbol(String symbol);

  /** How the schema was learned, for -v: {@code server reflection v1}, {@code --proto}. */
  String describe();

  @Override
  default void close() {}

  /** The schema could not be had: a symbol not found, a server without reflection, a bad file. */
  final class SchemaException extends RuntimeException {
    SchemaException(String message) {
      super(message);
    }

    SchemaException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
