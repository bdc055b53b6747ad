package dev.ferry.cli.call.schema;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.GenericDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.List;
import java.util.Optional;

/** Finds a service, method, message or enum by its fully qualified name in a file. */
public final class Symbols {
  private Symbols() {}

  /**
   * The descriptor named {@code symbol} in {@code file} (not in its imports). A method may be
   * written {@code pkg.Service.Method} or {@code pkg.Service/Method}.
   */
  public static Optional<GenericDescriptor> find(FileDescriptor file, String symbol) {
    String name = symbol.replace('/', '.');
    for (ServiceDescriptor service : file.getServices()) {
      if (service.getFullName().equals(name)) {
        return Optional.of(service);
      }
      for (MethodDescriptor method : service.getMethods()) {
        if (method.getFullName().equals(name)) {
          return Optional.of(method);
        }
      }
    }
    for (Descriptor message : file.getMessageTypes()) {
      Optional<GenericDescriptor> found = find(message, name);
      if (found.isPresent()) {
        return found;
      }
    }
    for (EnumDescriptor e : file.getEnumTypes()) {
      if (e.getFullName().equals(name)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  private static Optional<GenericDescriptor> find(Descriptor message, String name) {
    if (message.getFullName().equals(name)) {
      return Optional.of(message);
    }
    for (Descriptor nested : message.getNestedTypes()) {
      Optional<GenericDescriptor> found = find(nested, name);
      if (found.isPresent()) {
        return found;
      }
    }
    for (EnumDescriptor e : message.getEnumTypes()) {
      if (e.getFullName().equals(name)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /** The method {@code pkg.Service/Method} from {@code source}, or a SchemaException naming it. */
  public static MethodDescriptor method(SchemaSource source, String fullMethod) {
    int slash = fullMethod.lastIndexOf('/');
    int cut = slash >= 0 ? slash : fullMethod.lastIndexOf('.');
    if (cut <= 0 || cut == fullMethod.length() - 1) {
      throw new SchemaSource.SchemaException(
          "'" + fullMethod + "' is not a method (expected: package.Service/Method)");
    }
    String service = fullMethod.substring(0, cut);
    String method = fullMethod.substring(cut + 1);
    FileDescriptor file;
    try {
      file = source.fileContainingSymbol(service);
    } catch (SchemaSource.SchemaException e) {
      throw withServiceHint(source, service, e);
    }
    ServiceDescriptor sd = file.findServiceByName(service.substring(service.lastIndexOf('.') + 1));
    if (sd == null || !sd.getFullName().equals(service)) {
      throw withServiceHint(
          source, service, new SchemaSource.SchemaException("no service named " + service));
    }
    MethodDescriptor md = sd.findMethodByName(method);
    if (md == null) {
      List<String> known = sd.getMethods().stream().map(MethodDescriptor::getName).toList();
      String hint =
          ClosestName.in(known, method).map(name -> "; did you mean " + name + "?").orElse("");
      throw new SchemaSource.SchemaException(
          "service "
              + service
              + " has no method "
              + method
              + hint
              + " (it has: "
              + String.join(", ", known)
              + ")");
    }
    return md;
  }

  /**
   * {@code unknown} as it is, or, when {@code symbol} is a near miss of a service the source lists,
   * a one-line error that names that service: grpcurl users expect it for methods and services.
   */
  public static SchemaSource.SchemaException withServiceHint(
      SchemaSource source, String symbol, SchemaSource.SchemaException unknown) {
    String name = symbol.replace('/', '.');
    Optional<String> closest;
    try {
      closest = ClosestName.in(source.listServices(), name);
    } catch (RuntimeException listFailed) {
      // The hint is a courtesy: the symbol's own error is the one to report.
      return unknown;
    }
    return closest
        .map(
            service ->
                new SchemaSource.SchemaException(
                    "no service named " + name + "; did you mean " + service + "? (see: list)"))
        .orElse(unknown);
  }
}
