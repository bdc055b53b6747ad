package dev.ferry.proxy.reflection;

import static dev.ferry.proxy.grpc.ProtoWireReader.LENGTH_DELIMITED;
import static dev.ferry.proxy.grpc.ProtoWireReader.VARINT;

import dev.ferry.proxy.grpc.ProtoWireReader;
import dev.ferry.proxy.grpc.ProtoWireWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The few fields of grpc.reflection's messages the proxy reads or writes, encoded by hand (the
 * proxy has no protobuf runtime). v1 and v1alpha share one wire format. Everything else passes
 * through as the bytes that came.
 *
 * <pre>
 * ServerReflectionRequest  { string host = 1; oneof { string file_by_filename = 3;
 *   string file_containing_symbol = 4; ExtensionRequest file_containing_extension = 5;
 *   string all_extension_numbers_of_type = 6; string list_services = 7; } }
 * ServerReflectionResponse { string valid_host = 1; ServerReflectionRequest original_request = 2;
 *   oneof { ... ListServiceResponse list_services_response = 6; ErrorResponse error_response = 7; } }
 * ListServiceResponse { repeated ServiceResponse service = 1; }  ServiceResponse { string name = 1; }
 * ErrorResponse { int32 error_code = 1; string error_message = 2; }
 * </pre>
 */
final class ReflectionMessages {
  static final int LIST_SERVICES = 7;
  static final int NOT_FOUND = 5;

  /** Larger than any file descriptor set a reflection answer carries. */
  static final int MAX_MESSAGE = 16 << 20;

  private ReflectionMessages() {}

  /** A request as the proxy needs it: its bytes, host and which question it asks. */
  record Request(byte[] raw, String host, int kind) {}

  /** Parses a ServerReflectionRequest; throws IllegalArgumentException when malformed. */
  static Request parseRequest(byte[] msg) {
    ProtoWireReader r = new ProtoWireReader(msg);
    String host = "";
    int kind = 0;
    while (r.nextField()) {
      if (r.is(1, LENGTH_DELIMITED)) {
        host = r.readString();
      } else {
        if (r.fieldNumber() >= 3 && r.fieldNumber() <= 7) {
          kind = r.fieldNumber();
        }
        r.skipField();
      }
    }
    return new Request(msg, host, kind);
  }

  /** The service names of a ServerReflectionResponse's list_services_response; empty if none. */
  static List<String> listedServices(byte[] response) {
    List<String> out = new ArrayList<>();
    ProtoWireReader r = new ProtoWireReader(response);
    while (r.nextField()) {
      if (!r.is(6, LENGTH_DELIMITED)) {
        r.skipField();
        continue;
      }
      ProtoWireReader list = r.readMessage();
      while (list.nextField()) {
        if (!list.is(1, LENGTH_DELIMITED)) {
          list.skipField();
          continue;
        }
        ProtoWireReader service = list.readMessage();
        while (service.nextField()) {
          if (service.is(1, LENGTH_DELIMITED)) {
            out.add(service.readString());
          } else {
            service.skipField();
          }
        }
      }
    }
    return out;
  }

  /** The error_code of a response's error_response, or -1 when it has none. */
  static int errorCode(byte[] response) {
    ProtoWireReader r = new ProtoWireReader(response);
    while (r.nextField()) {
      if (r.is(7, LENGTH_DELIMITED)) {
        ProtoWireReader err = r.readMessage();
        int code = 0;
        while (err.nextField()) {
          if (err.is(1, VARINT)) {
            code = (int) err.readVarint();
          } else {
            err.skipField();
          }
        }
        return code;
      }
      r.skipField();
    }
    return -1;
  }

  /** A ServerReflectionResponse listing {@code services} for {@code request}. */
  static byte[] listServicesResponse(Request request, Collection<String> services) {
    ProtoWireWriter list = new ProtoWireWriter();
    for (String s : services) {
      list.bytesField(1, new ProtoWireWriter().stringField(1, s).toByteArray());
    }
    return response(request, 6, list.toByteArray());
  }

  /** A ServerReflectionResponse carrying an error_response. */
  static byte[] errorResponse(Request request, int code, String message) {
    byte[] err = new ProtoWireWriter().varintField(1, code).stringField(2, message).toByteArray();
    return response(request, 7, err);
  }

  private static byte[] response(Request request, int field, byte[] body) {
    return new ProtoWireWriter()
        .stringField(1, request.host())
        .bytesField(2, request.raw())
        .bytesField(field, body)
        .toByteArray();
  }
}
