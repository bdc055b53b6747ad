package dev.ferry.testservers;

import dev.ferry.testservers.helloworld.ChatMessage;
import dev.ferry.testservers.helloworld.DaininkiGrpc;
import dev.ferry.testservers.helloworld.RankingEntry;
import dev.ferry.testservers.helloworld.RankingRequest;
import dev.ferry.testservers.helloworld.VoteReply;
import dev.ferry.testservers.helloworld.VoteRequest;
import dev.ferry.testservers.helloworld.VoteTally;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;

/**
 * helloworld.Daininki, the "popular" service: votes counted per instance, so that a client behind a
 * balancer sees in {@code served_by} and in the counts which instance answered.
 *
 * <p>An empty candidate is refused (INVALID_ARGUMENT): the ranking uses the empty name for ranks
 * that no candidate holds.
 */
final class DaininkiService extends DaininkiGrpc.DaininkiImplBase {
  private final VoteBox box = new VoteBox();
  private final ScheduledExecutorService scheduler;

  DaininkiService(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  @Override
  public void vote(VoteRequest request, StreamObserver<VoteReply> reply) {
    String candidate = request.getCandidate();
    if (candidate.isEmpty()) {
      reply.onError(emptyCandidate());
      return;
    }
    long votes = box.add(candidate, 1);
    reply.onNext(
        VoteReply.newBuilder()
            .setCandidate(candidate)
            .setVotes(votes)
            .setServedBy(InstanceName.current())
            .build());
    reply.onCompleted();
  }

  /**
   * {@code count} entries ranked 1..count, most votes first, ties by name; ranks beyond the known
   * candidates have an empty candidate and 0 votes. Entries are {@code x-stream-interval-ms} apart.
   */
  @Override
  public void ranking(RankingRequest request, StreamObserver<RankingEntry> entries) {
    int count = request.getCount();
    if (count < 0) {
      entries.onError(
          Status.INVALID_ARGUMENT
              .withDescription("count: " + count + " (expected: >= 0)")
              .asRuntimeException());
      return;
    }
    List<VoteBox.Standing> ranking = box.ranking();
    String servedBy = InstanceName.current();
    new PacedReplies<>(
            (ServerCallStreamObserver<RankingEntry>) entries,
            scheduler,
            count,
            CallDirectives.current().streamIntervalMs(),
            rank -> {
              RankingEntry.Builder entry = RankingEntry.newBuilder().setRank(rank);
              if (rank <= ranking.size()) {
                VoteBox.Standing standing = ranking.get(rank - 1);
                entry.setCandidate(standing.candidate()).setVotes(standing.votes());
              }
              return entry.setServedBy(servedBy).build();
            })
        .start();
  }

  /**
   * Tallies the stream's votes and answers once at its end; the votes then count in the instance
   * too. A stream the client cancels counts nothing.
   */
  @Override
  public StreamObserver<VoteRequest> bulkVote(StreamObserver<VoteTally> reply) {
    String servedBy = InstanceName.current();
    return new StreamObserver<>() {
      private final Map<String, Long> tally = new TreeMap<>();
      private long total;
      private boolean refused;

      @Override
      public void onNext(VoteRequest request) {
        if (refused) {
          return;
        }
        if (request.getCandidate().isEmpty()) {
          refused = true;
          reply.onError(emptyCandidate());
          return;
        }
        tally.merge(request.getCandidate(), 1L, Long::sum);
        total++;
      }

      @Override
      public void onError(Throwable clientGone) {
        // Cancelled by the client: nothing is counted.
      }

      @Override
      public void onCompleted() {
        if (refused) {
          return;
        }
        box.addAll(tally);
        reply.onNext(
            VoteTally.newBuilder()
                .putAllVotes(tally)
                .setTotal(total)
                .setServedBy(servedBy)
                .build());
        reply.onCompleted();
      }
    };
  }

  @Override
  public StreamObserver<ChatMessage> chat(StreamObserver<ChatMessage> replies) {
    String servedBy = InstanceName.current();
    return new StreamObserver<>() {
      @Override
      public void onNext(ChatMessage message) {
        replies.onNext(
            ChatMessage.newBuilder().setText(message.getText()).setServedBy(servedBy).build());
      }

      @Override
      public void onError(Throwable clientGone) {
        // The client cancelled: there is nobody left to answer.
      }

      @Override
      public void onCompleted() {
        replies.onCompleted();
      }
    };
  }

  private static RuntimeException emptyCandidate() {
    return Status.INVALID_ARGUMENT
        .withDescription("candidate: is empty (expected: a name)")
        .asRuntimeException();
  }
}
