package dev.ferry.proxy.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.proxy.config.AclConfig;
import dev.ferry.proxy.config.DirectReply;
import dev.ferry.proxy.config.HeaderRules;
import dev.ferry.proxy.config.RetryPolicy;
import dev.ferry.proxy.config.RouteConfig;
import dev.ferry.proxy.config.RouteMatch;
import dev.ferry.proxy.config.RoutePolicy;
import dev.ferry.proxy.route.Route;
import dev.ferry.proxy.route.RouteTable;
import dev.ferry.proxy.status.GrpcCode;
import dev.ferry.proxy.status.LocalReplyReason;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CallAdmissionTest {
  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final FakeDownstream client = new FakeDownstream(channel);
  private final FakeCluster cluster = new FakeCluster("greeter", channel, 1);
  private final CallAdmission admission = new CallAdmission(name -> cluster);

  @Test
  void noRoute_isRefusedUnimplemented() {
    var d = admission.admit(null, request(), true, client, "/x.Y/Z");
    assertThat(d)
        .isInstanceOfSatisfying(
            CallAdmission.Refused.class,
            r -> {
              assertThat(r.status().code()).isEqualTo(GrpcCode.UNIMPLEMENTED);
              assertThat(r.status().httpStatus()).isEqualTo(404);
              assertThat(r.status().reason()).isEqualTo(LocalReplyReason.NO_ROUTE);
            });
  }

  @Test
  void accessRules_comeBeforeTheDirectReply() {
    Route r =
        route(
            null,
            new DirectReply(0, 200, "hi"),
            new RoutePolicy(new AclConfig(List.of(), List.of("127.0.0.1/32"), List.of()), null, 0),
            null);
    var d = admission.admit(r, request(), true, client, "/helloworld.Greeter/SayHello");
    assertThat(((CallAdmission.Refused) d).status().reason())
        .isEqualTo(LocalReplyReason.ACCESS_DENIED);
    assertThat(((CallAdmission.Refused) d).status().code()).isEqualTo(GrpcCode.PERMISSION_DENIED);
  }

  @Test
  void directReply_isRefusedWithTheRoutesStatus() {
    Route r = route(null, new DirectReply(5, 404, "gone"), null, null);
    var d = (CallAdmission.Refused) admission.admit(r, request(), true, client, "/p");
    assertThat(d.status().code()).isEqualTo(GrpcCode.NOT_FOUND);
    assertThat(d.status().detail()).isEqualTo("gone");
    assertThat(d.status().reason()).isEqualTo(LocalReplyReason.DIRECT_REPLY);
  }

  @Test
  void fullCluster_isOverloaded_andTakesNoSlot() {
    cluster.full = true;
    var d =
        (CallAdmission.Refused)
            admission.admit(route("greeter", null, null, null), request(), true, client, "/p");
    assertThat(d.status().reason()).isEqualTo(LocalReplyReason.OVERLOADED);
    assertThat(cluster.slotsTaken).isZero();
  }

  @Test
  void admitted_takesASlot_preparesTheHeaders_andCarriesDeadlineAndRetry() {
    Http2Headers req = request().set("grpc-timeout", "2S");
    Route r =
        route(
            "greeter",
            null,
            new RoutePolicy(null, null, 1024),
            new RetryPolicy(Set.of(14), 2, Duration.ofMillis(1), Duration.ofMillis(1), 20));
    var d = admission.admit(r, req, true, client, "/helloworld.Greeter/SayHello");
    assertThat(d).isInstanceOf(CallAdmission.Admitted.class);
    var a = (CallAdmission.Admitted) d;
    assertThat(a.cluster()).isSameAs(cluster);
    assertThat(a.timeoutNanos()).isEqualTo(Duration.ofSeconds(2).toNanos());
    assertThat(a.sizeCheck().maxBytes()).isEqualTo(1024);
    assertThat(a.retryHold()).isNotNull();
    assertThat(cluster.slotsTaken).isEqualTo(1);
    assertThat(req.get("x-forwarded-for")).hasToString("127.0.0.1");
    cluster.callFinished();
  }

  @Test
  void withoutATimeout_thereIsNoDeadline() {
    var a =
        (CallAdmission.Admitted)
            admission.admit(route("greeter", null, null, null), request(), true, client, "/p");
    assertThat(a.timeoutNanos()).isNegative();
    assertThat(a.sizeCheck()).isNull();
    assertThat(a.retryHold()).isNull();
    cluster.callFinished();
  }

  private static Route route(
      String clusterName, DirectReply direct, RoutePolicy policy, RetryPolicy retry) {
    RouteConfig c =
        new RouteConfig(
            new RouteMatch("helloworld.Greeter", null, null, null, List.of()),
            clusterName,
            direct,
            HeaderRules.NONE,
            HeaderRules.NONE,
            null,
            retry,
            policy == null ? RoutePolicy.NONE : policy);
    return RouteTable.compile(List.of(c)).match(request());
  }

  private static Http2Headers request() {
    return new DefaultHttp2Headers()
        .method("POST")
        .scheme("http")
        .path("/helloworld.Greeter/SayHello")
        .add("content-type", "application/grpc");
  }
}
