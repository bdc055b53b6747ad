package dev.ferry.cli.call.expect;

import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.ferry.cli.call.invoke.CallResult;
import dev.ferry.cli.call.invoke.MessageFormat;
import dev.ferry.cli.exit.ExitCodes;
import io.grpc.Status;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * The checks a CI job puts on one call ({@code --expect-status}, {@code --expect}): exit 0 when
 * they hold, 1 with one line saying which failed.
 */
public final class Expectations {
  private final Status.Code status;
  private final String subset;
  private final PrintWriter err;

  /** {@code status} or {@code subset} may be null: that check is not made. */
  public Expectations(Status.Code status, String subset, PrintWriter err) {
    this.status = status;
    this.subset = subset;
    this.err = err;
  }

  /** A status by name ({@code NOT_FOUND}, any case) or number ({@code 5}). */
  public static Status.Code parseStatus(String value) {
    String v = value.trim();
    try {
      int number = Integer.parseInt(v);
      if (number < 0 || number > 16) {
        throw new IllegalArgumentException(
            "--expect-status " + v + " (expected: 0 to 16, or a name like NOT_FOUND)");
      }
      return Status.fromCodeValue(number).getCode();
    } catch (NumberFormatException e) {
      try {
        return Status.Code.valueOf(v.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException unknown) {
        throw new IllegalArgumentException(
            "--expect-status " + v + " is not a gRPC status (expected: OK, NOT_FOUND, 5, ...)");
      }
    }
  }

  /**
   * Checks an {@code --expect} value before any call is made; an IllegalArgumentException naming
   * {@code where} (an option or a script's key) and what is wrong.
   */
  public static void checkExpected(String where, String json) {
    try {
      JsonSubset.parseExpected(json);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          where + " '" + json + "' is not JSON (" + e.getMessage() + ")", e);
    }
  }

  /** The exit code for a call that ended with {@code result}. */
  public int check(CallResult result) {
    if (status != null && checkStatus(result.status()) != ExitCodes.OK) {
      return ExitCodes.FAILURE;
    }
    if (subset != null && !anyContains(result.responses())) {
      err.println(
          "expectation failed: no response contains "
              + subset
              + " ("
              + result.responses().size()
              + " response(s)"
              + (result.responses().isEmpty() ? ")" : "; got:)"));
      // What came back, one compact line each, so the job's log shows why without a rerun.
      for (DynamicMessage response : result.responses()) {
        err.println("  " + compact(response));
      }
      err.flush();
      return ExitCodes.FAILURE;
    }
    return ExitCodes.OK;
  }

  /** 0 when the call ended with the expected status, else 1 and a line saying what came. */
  public int checkStatus(Status actual) {
    if (actual.getCode() == status) {
      return ExitCodes.OK;
    }
    err.println(
        "expectation failed: expected status "
            + status
            + " ("
            + status.value()
            + "), got "
            + actual.getCode()
            + " ("
            + actual.getCode().value()
            + ")");
    err.flush();
    return ExitCodes.FAILURE;
  }

  private boolean anyContains(List<DynamicMessage> responses) {
    for (DynamicMessage response : responses) {
      // Zero values printed too, so that {"votes": "0"} can be expected.
      if (JsonSubset.contains(MessageFormat.JSON.print(response, true), subset)
          || JsonSubset.contains(jsonNames(response), subset)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The response with the JSON names of its fields (servedBy): expectations written in either
   * spelling hold, as requests are read in either.
   */
  private static String jsonNames(DynamicMessage response) {
    try {
      return JsonFormat.printer().includingDefaultValueFields().print(response);
    } catch (InvalidProtocolBufferException e) {
      return "{}";
    }
  }

  private static String compact(DynamicMessage response) {
    try {
      return JsonFormat.printer()
          .preservingProtoFieldNames()
          .omittingInsignificantWhitespace()
          .print(response);
    } catch (InvalidProtocolBufferException e) {
      // An Any of a type the schema lacks: the text format still shows it.
      return MessageFormat.TEXT.print(response, false).replace('\n', ' ');
    }
  }
}
