package dev.ferry.cli.call.invoke;

import dev.ferry.cli.exit.UserFacingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Where a call's request text comes from: {@code -d} inline, {@code @file}, or {@code @-}. */
public final class RequestInput {
  private RequestInput() {}

  /** The request text: -d inline, @file, @- for stdin; null when there is no -d. */
  public static Reader open(String data, InputStream stdin) throws IOException {
    if (data == null) {
      return null;
    }
    if (data.equals("@-")) {
      // Not ours to close; and closing would wait for the lock of a reader thread still blocked
      // reading it, after the server ended the call.
      return new java.io.FilterReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)) {
        @Override
        public void close() {}
      };
    }
    if (data.startsWith("@")) {
      Path file = Path.of(data.substring(1));
      if (Files.isDirectory(file)) {
        throw new UserFacingException(
            "-d " + data + ": is a directory, not a file of JSON requests");
      }
      try {
        return Files.newBufferedReader(file, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw new UserFacingException("-d " + data + ": no such file");
      } catch (IOException e) {
        String why =
            e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage();
        throw new UserFacingException("-d " + data + ": cannot read it: " + why, e);
      }
    }
    return new StringReader(data);
  }
}
