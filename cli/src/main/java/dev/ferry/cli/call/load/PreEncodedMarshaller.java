package dev.ferry.cli.call.load;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Load mode's marshaller: the requests are encoded once, before the run, and every call sends the
 * same bytes; replies are counted, not decoded. Converting JSON or a DynamicMessage on every call
 * made ferry's own work, not the target's, the limit of a load run.
 */
final class PreEncodedMarshaller implements MethodDescriptor.Marshaller<byte[]> {
  static final PreEncodedMarshaller INSTANCE = new PreEncodedMarshaller();

  /** What a reply becomes: its bytes are not needed, only that it arrived within the limits. */
  private static final byte[] UNREAD = new byte[0];

  private PreEncodedMarshaller() {}

  @Override
  public InputStream stream(byte[] value) {
    return new Encoded(value);
  }

  @Override
  public byte[] parse(InputStream stream) {
    // grpc-java has already checked the size against --max-msg-size, and closes the stream.
    return UNREAD;
  }

  /** Tells grpc-java the length up front and lets it copy the bytes in one go. */
  private static final class Encoded extends ByteArrayInputStream
      implements KnownLength, Drainable {
    Encoded(byte[] bytes) {
      super(bytes);
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      int n = count - pos;
      target.write(buf, pos, n);
      pos = count;
      return n;
    }
  }
}
