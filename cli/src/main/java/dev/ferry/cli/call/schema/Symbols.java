package dev.ferry.cli.call.schema;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.GenericDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
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
    FileDescriptor file = source.fileContainingSymbol(service);
    ServiceDescriptor sd = file.findServiceByName(service.substring(service.lastIndexOf('.') + 1));
    if (sd == null || !sd.getFullName().equals(service)) {
      throw new SchemaSource.SchemaException("no service named " + service);
    }
    MethodDescriptor md = sd.findMethodByName(method);
    if (md == null) {
      StringBuilder known = new StringBuilder();
      for (MethodDescriptor m : sd.getMethods()) {
        known.append(known.length() == 0 ? "" : ", ").append(m.getName());
      }
      throw new SchemaSource.SchemaException(
          "service " + service + " has no method " + method + " (it has: " + known + ")");
    }
    return md;
  }
}
