package dev.ferry.proxy.transcode;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.DescriptorProtos.MethodOptions;
import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.ferry.proxy.schema.MethodSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One HTTP binding of a gRPC method: the HTTP method and path template a request must have, where
 * the request message's fields come from ({@code body}: {@code *}, a field, or none: the query),
 * and what of the response is the answer ({@code response_body}: a field, or all of it). A method's
 * {@code google.api.http} rule gives one, and one more per {@code additional_bindings} entry.
 *
 * @param verb {@code GET}, {@code POST}, ... or a custom rule's kind
 * @param body {@code *}, a top-level request field's name, or empty: no body
 * @param responseBody a top-level response field's name, or empty: the whole response
 */
record HttpBinding(
    String verb, PathTemplate template, String body, String responseBody, MethodSchema method) {
  private static final ExtensionRegistry EXTENSIONS = ExtensionRegistry.newInstance();

  static {
    AnnotationsProto.registerAllExtensions(EXTENSIONS);
  }

  /** What the variables captured when the request fits this binding, else null. */
  Map<String, String> match(String requestVerb, String path) {
    return verb.equals(requestVerb) ? template.match(path) : null;
  }

  /** Whether the whole body is the request message: then no field comes from the query. */
  boolean bodyIsAll() {
    return body.equals("*");
  }

  /**
   * The bindings {@code method}'s {@code google.api.http} option declares; none without one.
   *
   * @throws IllegalArgumentException when the rule is malformed: a template that does not parse, a
   *     body or response_body field the messages do not have, a field path that is not there
   */
  static List<HttpBinding> of(MethodSchema method) {
    HttpRule rule = ruleOf(method);
    List<HttpBinding> out = new ArrayList<>();
    if (rule == null) {
      return out;
    }
    out.add(binding(rule, method));
    // Only one level: http.proto forbids additional_bindings inside additional_bindings.
    for (HttpRule more : rule.getAdditionalBindingsList()) {
      out.add(binding(more, method));
    }
    return out;
  }

  private static HttpRule ruleOf(MethodSchema method) {
    // The descriptor came from reflection's bytes, parsed without knowing google.api.http: the
    // option is an unknown field until read again with the extension registered.
    try {
      MethodOptions options =
          MethodOptions.parseFrom(method.descriptor().getOptions().toByteString(), EXTENSIONS);
      return options.hasExtension(AnnotationsProto.http)
          ? options.getExtension(AnnotationsProto.http)
          : null;
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("its options do not parse: " + e.getMessage(), e);
    }
  }

  private static HttpBinding binding(HttpRule rule, MethodSchema method) {
    String verb;
    String path;
    switch (rule.getPatternCase()) {
      case GET -> {
        verb = "GET";
        path = rule.getGet();
      }
      case PUT -> {
        verb = "PUT";
        path = rule.getPut();
      }
      case POST -> {
        verb = "POST";
        path = rule.getPost();
      }
      case DELETE -> {
        verb = "DELETE";
        path = rule.getDelete();
      }
      case PATCH -> {
        verb = "PATCH";
        path = rule.getPatch();
      }
      case CUSTOM -> {
        verb = rule.getCustom().getKind();
        path = rule.getCustom().getPath();
      }
      default -> throw new IllegalArgumentException("a rule without a pattern");
    }
    PathTemplate template = PathTemplate.parse(path);
    var request = method.descriptor().getInputType();
    for (String fieldPath : template.fieldPaths()) {
      FieldPaths.resolve(request, fieldPath);
    }
    if (!rule.getBody().isEmpty() && !rule.getBody().equals("*")) {
      FieldPaths.topLevel(request, rule.getBody(), "body");
    }
    if (!rule.getResponseBody().isEmpty()) {
      FieldPaths.topLevel(
          method.descriptor().getOutputType(), rule.getResponseBody(), "response_body");
    }
    return new HttpBinding(verb, template, rule.getBody(), rule.getResponseBody(), method);
  }
}
