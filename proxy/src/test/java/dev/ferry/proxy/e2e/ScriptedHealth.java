package dev.ferry.proxy.e2e;

import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;

/**
 * A grpc.health.v1 service whose answers a test controls. Once told it is not serving, it answers
 * exactly one check NOT_SERVING and holds every later one unanswered until it serves again: a
 * prober then has seen one failure, no more, so what it concluded came from that answer.
 */
final class ScriptedHealth extends HealthGrpc.HealthImplBase {
  private final List<StreamObserver<HealthCheckResponse>> held = new ArrayList<>();
  private boolean serving = true;
  private int notServingAnswers;

  @Override
  public synchronized void check(
      HealthCheckRequest request, StreamObserver<HealthCheckResponse> out) {
    if (serving) {
      answer(out, ServingStatus.SERVING);
    } else if (notServingAnswers == 0) {
      notServingAnswers++;
      answer(out, ServingStatus.NOT_SERVING);
    } else {
      held.add(out);
    }
  }

  /** Serving answers every held check SERVING; not serving starts a new run of one answer. */
  synchronized void setServing(boolean serving) {
    this.serving = serving;
    if (serving) {
      held.forEach(out -> answer(out, ServingStatus.SERVING));
      held.clear();
    } else {
      notServingAnswers = 0;
    }
  }

  /** NOT_SERVING answers given since the last {@code setServing(false)}: 0 or 1. */
  synchronized int notServingAnswers() {
    return notServingAnswers;
  }

  private static void answer(StreamObserver<HealthCheckResponse> out, ServingStatus status) {
    out.onNext(HealthCheckResponse.newBuilder().setStatus(status).build());
    out.onCompleted();
  }
}
