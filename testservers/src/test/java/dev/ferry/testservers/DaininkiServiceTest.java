package dev.ferry.testservers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.ferry.testservers.helloworld.ChatMessage;
import dev.ferry.testservers.helloworld.DaininkiGrpc;
import dev.ferry.testservers.helloworld.RankingEntry;
import dev.ferry.testservers.helloworld.RankingRequest;
import dev.ferry.testservers.helloworld.VoteReply;
import dev.ferry.testservers.helloworld.VoteRequest;
import dev.ferry.testservers.helloworld.VoteTally;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DaininkiServiceTest {
  @RegisterExtension final RunningServers servers = new RunningServers();

  private ExampleServer daininki;
  private DaininkiGrpc.DaininkiBlockingStub blocking;
  private DaininkiGrpc.DaininkiStub async;

  @BeforeEach
  void startDaininki() {
    daininki = servers.start(ExampleServer.Kind.DAININKI);
    var channel = servers.plaintextChannel(daininki);
    blocking = DaininkiGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    async = DaininkiGrpc.newStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @Test
  void vote_countsVotesPerCandidateAndNamesTheInstance() {
    assertThat(blocking.vote(vote("ann")).getVotes()).isEqualTo(1);
    assertThat(blocking.vote(vote("bob")).getVotes()).isEqualTo(1);
    VoteReply reply = blocking.vote(vote("ann"));

    assertThat(reply.getCandidate()).isEqualTo("ann");
    assertThat(reply.getVotes()).isEqualTo(2);
    assertThat(reply.getServedBy()).isEqualTo("daininki@" + daininki.address().getPort());
  }

  @Test
  void vote_forEmptyCandidate_isInvalidArgument() {
    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> blocking.vote(vote("")));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).contains("candidate");
  }

  @Test
  void ranking_ordersByVotesThenNameAndFillsMissingRanksWithEmptyCandidates() {
    for (String candidate : List.of("cat", "bob", "bob", "ann", "ann", "dan")) {
      blocking.vote(vote(candidate));
    }

    List<RankingEntry> entries = rankingOf(6);

    assertThat(entries)
        .extracting(RankingEntry::getRank, RankingEntry::getCandidate, RankingEntry::getVotes)
        .containsExactly(
            tuple(1, "ann", 2L),
            tuple(2, "bob", 2L),
            tuple(3, "cat", 1L),
            tuple(4, "dan", 1L),
            tuple(5, "", 0L),
            tuple(6, "", 0L));
    assertThat(entries).allSatisfy(e -> assertThat(e.getServedBy()).isEqualTo(daininki.id()));
  }

  @Test
  void ranking_sendsExactlyCountEntries() {
    blocking.vote(vote("ann"));
    blocking.vote(vote("bob"));

    assertThat(rankingOf(1)).extracting(RankingEntry::getCandidate).containsExactly("ann");
    assertThat(rankingOf(0)).isEmpty();
  }

  @Test
  void ranking_withNegativeCount_isInvalidArgument() {
    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> rankingOf(-1));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).contains("count: -1");
  }

  @Test
  void bulkVote_talliesTheStreamAnswersOnceAndCountsInTheInstance() throws Exception {
    RecordingObserver<VoteTally> tally = new RecordingObserver<>();
    StreamObserver<VoteRequest> votes = async.bulkVote(tally);
    for (String candidate : List.of("ann", "bob", "ann")) {
      votes.onNext(vote(candidate));
    }
    votes.onCompleted();

    assertThat(tally.status().getCode()).isEqualTo(Status.Code.OK);
    assertThat(tally.messages()).hasSize(1);
    VoteTally result = tally.messages().get(0);
    assertThat(result.getVotesMap()).isEqualTo(Map.of("ann", 2L, "bob", 1L));
    assertThat(result.getTotal()).isEqualTo(3);
    assertThat(result.getServedBy()).isEqualTo(daininki.id());
    assertThat(blocking.vote(vote("ann")).getVotes()).isEqualTo(3);
  }

  @Test
  void bulkVote_withEmptyCandidate_isInvalidArgumentAndCountsNothing() throws Exception {
    RecordingObserver<VoteTally> tally = new RecordingObserver<>();
    StreamObserver<VoteRequest> votes = async.bulkVote(tally);
    votes.onNext(vote("ann"));
    votes.onNext(vote(""));
    votes.onCompleted();

    assertThat(tally.status().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(blocking.vote(vote("ann")).getVotes()).isEqualTo(1);
  }

  @Test
  void chat_echoesEachMessageAsItArrivesWithServedBy() throws Exception {
    RecordingObserver<ChatMessage> replies = new RecordingObserver<>();
    StreamObserver<ChatMessage> messages = async.chat(replies);

    messages.onNext(ChatMessage.newBuilder().setText("hi").build());
    ChatMessage first = replies.next();
    messages.onNext(ChatMessage.newBuilder().setText("still there?").build());
    ChatMessage second = replies.next();
    messages.onCompleted();

    assertThat(first.getText()).isEqualTo("hi");
    assertThat(first.getServedBy()).isEqualTo(daininki.id());
    assertThat(second.getText()).isEqualTo("still there?");
    assertThat(replies.status().getCode()).isEqualTo(Status.Code.OK);
  }

  private List<RankingEntry> rankingOf(int count) {
    List<RankingEntry> entries = new ArrayList<>();
    blocking
        .ranking(RankingRequest.newBuilder().setCount(count).build())
        .forEachRemaining(entries::add);
    return entries;
  }

  static VoteRequest vote(String candidate) {
    return VoteRequest.newBuilder().setCandidate(candidate).build();
  }
}
