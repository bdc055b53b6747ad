package dev.ferry.cli.call.schema;

import com.google.protobuf.Descriptors.FileDescriptor;
import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The files that define every service a schema source offers, for tools outside {@code call} (such
 * as {@code ferry trace}) that need whole schemas rather than one method: the same reflection
 * client and protoset reader as {@code ferry call}.
 */
public final class ServiceSchemas {
  private ServiceSchemas() {}

  /** The schema could not be had; the message says why in words a person can act on. */
  public static final class UnavailableException extends Exception {
    UnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** What reflection found: the files, and how many services they define. */
  public record Found(List<FileDescriptor> files, int services, String version) {}

  /** Every file of the protosets at {@code paths}, built with their imports. */
  public static List<FileDescriptor> fromProtosets(List<Path> paths) throws UnavailableException {
    try {
      return ProtosetSchemaSource.load(paths).files();
    } catch (SchemaSource.SchemaException e) {
      throw new UnavailableException(e.getMessage(), e);
    }
  }

  /**
   * Every file of the .proto sources {@code protos}, parsed with their imports found on {@code
   * importPaths}.
   */
  public static List<FileDescriptor> fromProtoFiles(List<String> protos, List<Path> importPaths)
      throws UnavailableException {
    try {
      return ProtoFileSchemaSource.load(protos, importPaths).files();
    } catch (SchemaSource.SchemaException e) {
      throw new UnavailableException(e.getMessage(), e);
    }
  }

  /**
   * Asks the server at {@code host:port} by reflection for the services it offers and the file of
   * each (list, then file_containing_symbol per service), every ask bounded by {@code timeout}.
   *
   * @param tls whether to speak TLS to the server
   * @param trustedCas PEM CAs to verify the server with, or {@code null} for the JDK's
   */
  public static Found byReflection(
      String host, int port, boolean tls, Path trustedCas, Duration timeout)
      throws UnavailableException {
    ManagedChannel channel;
    try {
      channel =
          NettyChannelBuilder.forAddress(host, port, credentials(tls, trustedCas))
              .withOption(
                  ChannelOption.CONNECT_TIMEOUT_MILLIS,
                  (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
              // A big schema's reflection answer may exceed gRPC's default 4 MiB.
              .maxInboundMessageSize(64 << 20)
              .build();
    } catch (IOException | IllegalArgumentException e) {
      throw new UnavailableException("--to-ca " + trustedCas + ": " + e.getMessage(), e);
    }
    return ask(channel, timeout);
  }

  /**
   * As {@link #byReflection(String, int, boolean, Path, Duration)}, in plaintext, for a server on a
   * Unix domain socket named as gRPC does ({@code unix:///path}).
   */
  public static Found byReflection(String unixTarget, Duration timeout)
      throws UnavailableException {
    return ask(
        Grpc.newChannelBuilder(unixTarget, InsecureChannelCredentials.create())
            .maxInboundMessageSize(64 << 20)
            .build(),
        timeout);
  }

  private static Found ask(ManagedChannel channel, Duration timeout) throws UnavailableException {
    try {
      ReflectionSchemaSource source =
          new ReflectionSchemaSource(channel, CallOptions.DEFAULT, timeout);
      List<String> services = source.listServices();
      Map<String, FileDescriptor> files = new LinkedHashMap<>();
      int found = 0;
      for (String service : services) {
        try {
          FileDescriptor file = source.fileContainingSymbol(service);
          files.putIfAbsent(file.getName(), file);
          found++;
        } catch (SchemaSource.SchemaException | StatusRuntimeException e) {
          // One service the server lists but cannot describe costs only that service's JSON.
        }
      }
      return new Found(new ArrayList<>(files.values()), found, source.version());
    } catch (SchemaSource.SchemaException e) {
      throw new UnavailableException(e.getMessage(), e);
    } catch (StatusRuntimeException e) {
      String description = e.getStatus().getDescription();
      throw new UnavailableException(
          e.getStatus().getCode() + (description == null ? "" : ": " + description), e);
    } finally {
      channel.shutdownNow();
      try {
        channel.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static ChannelCredentials credentials(boolean tls, Path trustedCas) throws IOException {
    if (!tls) {
      return InsecureChannelCredentials.create();
    }
    TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder();
    if (trustedCas != null) {
      builder.trustManager(trustedCas.toFile());
    }
    return builder.build();
  }
}
