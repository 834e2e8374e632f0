package dev.smartgateway.cluster;

import com.hazelcast.cluster.InitialMembershipEvent;
import com.hazelcast.cluster.InitialMembershipListener;
import com.hazelcast.cluster.MembershipEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says who is in the cluster: the members found on joining, and each that joins or leaves later, with the size it
 * leaves the cluster at ({@code cluster size N}: what an operator, or a test, waits for). Registered before the join,
 * so no change goes unsaid.
 */
final class MembershipLog implements InitialMembershipListener {

  private static final Logger log = LoggerFactory.getLogger("dev.smartgateway.cluster");

  @Override
  public void init(InitialMembershipEvent event) {
    log.info("cluster members: {}; cluster size {}", event.getMembers(), event.getMembers().size());
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    log.info("cluster member joined: {} at {}; cluster size {}", event.getMember().getUuid(),
        event.getMember().getAddress(), event.getMembers().size());
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    log.info("cluster member left: {} at {} (its held requests are lost, its instances taken over); cluster size {}",
        event.getMember().getUuid(), event.getMember().getAddress(), event.getMembers().size());
  }
}
