package dev.ferry.proxy.schema;

import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.ferry.proxy.config.ProtosetSchema;
import java.util.ArrayList;
import java.util.List;

/** Every method a cluster's protoset declares: its HTTP rules come from them, not reflection. */
public final class ProtosetMethods {
  private ProtosetMethods() {}

  /** The methods of every service in {@code schema}'s files. */
  public static List<MethodSchema> all(ProtosetSchema schema) {
    List<MethodSchema> out = new ArrayList<>();
    for (FileDescriptor f : schema.files()) {
      for (ServiceDescriptor s : f.getServices()) {
        out.addAll(ClusterSchemas.methodsOf(s.getFullName(), schema.files()).values());
      }
    }
    return out;
  }
}
