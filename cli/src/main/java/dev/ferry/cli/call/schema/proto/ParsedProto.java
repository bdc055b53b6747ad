package dev.ferry.cli.call.schema.proto;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import java.util.List;
import java.util.Map;

/**
 * A parsed file before linking: the descriptor with its type names as written, the references to
 * resolve, and the import statements (to say where an import that cannot be found was written).
 */
record ParsedProto(
    FileDescriptorProto.Builder file, List<TypeReference> references, Map<String, Token> imports) {}
