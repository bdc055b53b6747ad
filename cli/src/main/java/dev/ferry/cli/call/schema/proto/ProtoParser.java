package dev.ferry.cli.call.schema.proto;

import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses one .proto file into a {@link FileDescriptorProto} as protoc's parser would: the top-level
 * statements, services and enums here; messages and fields in {@link MessageParser}. Type names are
 * left as written, to be resolved by {@link TypeLinker}.
 */
final class ProtoParser {
  private final TokenCursor in;
  private final OptionParser options;
  private final List<TypeReference> references = new ArrayList<>();
  private final Map<String, Token> imports = new LinkedHashMap<>();
  private final FileDescriptorProto.Builder file = FileDescriptorProto.newBuilder();
  private boolean proto3;

  private ProtoParser(String name, String source) {
    this.in = new TokenCursor(name, ProtoTokenizer.tokenize(name, source));
    this.options = new OptionParser(in);
    file.setName(name);
  }

  /** Parses {@code source}, the text of the file that imports know as {@code name}. */
  static ParsedProto parse(String name, String source) {
    return new ProtoParser(name, source).file();
  }

  private ParsedProto file() {
    if (in.peek().is("syntax")) {
      syntax();
    } else if (in.peek().is("edition")) {
      throw in.error(in.peek(), "editions are not supported yet: use syntax = \"proto3\"");
    }
    MessageParser messages = new MessageParser(in, options, references, proto3);
    while (!in.atEnd()) {
      Token token = in.peek();
      if (in.take(";")) {
        continue;
      }
      String scope = file.getPackage();
      switch (token.text()) {
        case "package" -> packageStatement();
        case "import" -> importStatement();
        case "option" -> option(file.getOptionsBuilder());
        case "message" -> messages.message(file.addMessageTypeBuilder(), scope);
        case "enum" -> enumType(in, options, file.addEnumTypeBuilder());
        case "service" -> service();
        case "extend" -> messages.extend(file::addExtensionBuilder, scope);
        default ->
            throw in.error(
                token,
                "expected a top-level statement (message, enum, service, import, option, package)"
                    + " but found "
                    + token.describe());
      }
    }
    return new ParsedProto(file, references, imports);
  }

  private void syntax() {
    in.expect("syntax");
    in.expect("=");
    Token at = in.peek();
    String syntax = in.string("the syntax");
    in.expect(";");
    if (syntax.equals("proto3")) {
      proto3 = true;
      file.setSyntax(syntax);
    } else if (!syntax.equals("proto2")) {
      throw in.error(at, "unknown syntax \"" + syntax + "\" (expected: proto2 or proto3)");
    }
    // protoc writes no syntax field for proto2 files: it is the default.
  }

  private void packageStatement() {
    Token at = in.expect("package");
    if (file.hasPackage()) {
      throw in.error(at, "a file has at most one package statement");
    }
    file.setPackage(in.dottedName("a package name", false));
    in.expect(";");
  }

  private void importStatement() {
    in.expect("import");
    boolean isPublic = in.take("public");
    boolean isWeak = !isPublic && in.take("weak");
    Token at = in.peek();
    String name = in.string("the imported file's name");
    in.expect(";");
    if (imports.containsKey(name)) {
      throw in.error(at, "\"" + name + "\" is imported twice");
    }
    imports.put(name, at);
    if (isPublic) {
      file.addPublicDependency(file.getDependencyCount());
    }
    if (isWeak) {
      file.addWeakDependency(file.getDependencyCount());
    }
    file.addDependency(name);
  }

  private void option(Message.Builder target) {
    in.expect("option");
    options.apply(target, options.read());
    in.expect(";");
  }

  /** {@code enum Name { ... }}; shared with messages, where enums nest. */
  static void enumType(TokenCursor in, OptionParser options, EnumDescriptorProto.Builder e) {
    in.expect("enum");
    e.setName(in.identifier("an enum name").text());
    in.expect("{");
    while (!in.take("}")) {
      Token token = in.peek();
      if (in.take(";")) {
        continue;
      }
      if (token.is("option")) {
        in.next();
        options.apply(e.getOptionsBuilder(), options.read());
        in.expect(";");
      } else if (token.is("reserved")) {
        in.next();
        Ranges.enumReserved(in, e);
      } else if (token.kind() == Token.Kind.IDENTIFIER) {
        var value = e.addValueBuilder().setName(in.next().text());
        in.expect("=");
        value.setNumber(in.int32("an enum value"));
        if (in.take("[")) {
          do {
            options.apply(value.getOptionsBuilder(), options.read());
          } while (in.take(","));
          in.expect("]");
        }
        in.expect(";");
      } else {
        throw in.error(
            token, "expected an enum value, option or '}' but found " + token.describe());
      }
    }
  }

  private void service() {
    in.expect("service");
    ServiceDescriptorProto.Builder service =
        file.addServiceBuilder().setName(in.identifier("a service name").text());
    in.expect("{");
    while (!in.take("}")) {
      Token token = in.peek();
      if (in.take(";")) {
        continue;
      }
      if (token.is("option")) {
        option(service.getOptionsBuilder());
      } else if (token.is("rpc")) {
        method(service.addMethodBuilder());
      } else {
        throw in.error(token, "expected rpc, option or '}' but found " + token.describe());
      }
    }
  }

  private void method(MethodDescriptorProto.Builder method) {
    in.expect("rpc");
    method.setName(in.identifier("a method name").text());
    in.expect("(");
    // protoc sets the streaming flags only when true.
    if (isStreamKeyword()) {
      in.next();
      method.setClientStreaming(true);
    }
    Token input = in.peek();
    String inputName = in.dottedName("the request type", true);
    in.expect(")");
    in.expect("returns");
    in.expect("(");
    if (isStreamKeyword()) {
      in.next();
      method.setServerStreaming(true);
    }
    Token output = in.peek();
    String outputName = in.dottedName("the response type", true);
    in.expect(")");
    String scope = file.getPackage();
    references.add(
        new TypeReference(
            input, inputName, scope, true, (name, kind) -> method.setInputType(name)));
    references.add(
        new TypeReference(
            output, outputName, scope, true, (name, kind) -> method.setOutputType(name)));
    if (in.take("{")) {
      // protoc keeps an empty options message for "{}", and the descriptors it writes show it.
      method.getOptionsBuilder();
      while (!in.take("}")) {
        if (!in.take(";")) {
          option(method.getOptionsBuilder());
        }
      }
    } else {
      in.expect(";");
    }
  }

  /** As in protoc, "stream" is the keyword unless it stands alone as the type: {@code (stream)}. */
  private boolean isStreamKeyword() {
    return in.peek().is("stream") && !in.peek(1).is(")");
  }
}
