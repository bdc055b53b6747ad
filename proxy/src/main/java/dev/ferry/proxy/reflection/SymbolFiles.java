package dev.ferry.proxy.reflection;

import dev.ferry.proxy.grpc.ProtoWireReader;
import dev.ferry.proxy.grpc.ProtoWireWriter;
import dev.ferry.proxy.status.LocalReplyReason;
import dev.ferry.proxy.upstream.UpstreamCluster;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;

/**
 * One question to one cluster's server reflection, for the proxy's own use: which files define a
 * symbol ({@code file_containing_symbol}). Answered over the proxy's own upstream connections on
 * the caller's event loop, like the merged reflection, so nothing blocks and nothing hops threads.
 */
public final class SymbolFiles {
  private static final long TIMEOUT_MILLIS = 5000;

  /** What the question ends with; called once, on the event loop. */
  public interface Answer {
    /** The serialized FileDescriptorProtos of the file defining the symbol and its imports. */
    void files(List<byte[]> fileDescriptorProtos);

    /** The cluster answered, but knows no such symbol. */
    void notFound(String message);

    /**
     * The cluster could not be asked or gave no reflection answer; {@code reason} says which
     * (UPSTREAM_PROTOCOL_ERROR: it answered, but not as a reflection server does).
     */
    void failed(LocalReplyReason reason, String failure);
  }

  private SymbolFiles() {}

  /** Asks {@code cluster} for the files defining {@code symbol}, on {@code loop}. */
  public static void ask(UpstreamCluster cluster, String symbol, EventLoop loop, Answer answer) {
    byte[] request = new ProtoWireWriter().stringField(4, symbol).toByteArray();
    new ReflectionExchange(
            cluster,
            request,
            loop,
            TIMEOUT_MILLIS,
            (response, reason, failure) -> {
              if (response == null) {
                answer.failed(reason, failure);
              } else if (ReflectionMessages.errorCode(response) >= 0) {
                answer.notFound(errorMessage(response));
              } else {
                answer.files(fileDescriptors(response));
              }
            })
        .start();
  }

  /** file_descriptor_response (4) { repeated bytes file_descriptor_proto = 1 }. */
  private static List<byte[]> fileDescriptors(byte[] response) {
    List<byte[]> out = new ArrayList<>();
    ProtoWireReader r = new ProtoWireReader(response);
    while (r.nextField()) {
      if (!r.is(4, ProtoWireReader.LENGTH_DELIMITED)) {
        r.skipField();
        continue;
      }
      ProtoWireReader files = r.readMessage();
      while (files.nextField()) {
        if (files.is(1, ProtoWireReader.LENGTH_DELIMITED)) {
          out.add(files.readBytes());
        } else {
          files.skipField();
        }
      }
    }
    return out;
  }

  /** error_response (7) { int32 error_code = 1; string error_message = 2; }'s message. */
  private static String errorMessage(byte[] response) {
    ProtoWireReader r = new ProtoWireReader(response);
    while (r.nextField()) {
      if (r.is(7, ProtoWireReader.LENGTH_DELIMITED)) {
        ProtoWireReader err = r.readMessage();
        while (err.nextField()) {
          if (err.is(2, ProtoWireReader.LENGTH_DELIMITED)) {
            return err.readString();
          }
          err.skipField();
        }
      } else {
        r.skipField();
      }
    }
    return "not found";
  }
}
