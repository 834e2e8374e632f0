package dev.smartgateway.access;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupSetTest {

  @Test
  void orderAndDuplicatesDoNotMatter() {
    assertThat(GroupSet.of("g2", "g1", "g2")).isEqualTo(GroupSet.of("g1", "g2"));
    assertThat(GroupSet.of("g2", "g1", "g2")).hasSameHashCodeAs(GroupSet.of("g1", "g2"));
    assertThat(GroupSet.of(List.of("g1", "g1")).size()).isEqualTo(1);
  }

  @Test
  void differentSetsAreNotEqual() {
    assertThat(GroupSet.of("g1")).isNotEqualTo(GroupSet.of("g1", "g2"));
    assertThat(GroupSet.of("g1", "g2")).isNotEqualTo(GroupSet.of("g1", "g3"));
  }

  @Test
  void refusesNamesThatWouldMakeTheCanonicalFormAmbiguous() {
    // {"g1,g2"} and {g1, g2} would share the key "g1,g2": a VM started for one would serve the other.
    assertThatThrownBy(() -> GroupSet.of("g1,g2")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void acceptsOnlyNamesOfTheUrlGrammar() {
    assertThat(GroupSet.isValidName("team-a_1.x")).isTrue();
    assertThat(GroupSet.isValidName("...")).isTrue();
    assertThat(GroupSet.isValidName("g".repeat(64))).isTrue();
    for (String bad : new String[] {"", ".", "..", "g".repeat(65), "a b", "a,b", "a/b", "a%2e", "caf\u00e9", null}) {
      assertThat(GroupSet.isValidName(bad)).as(String.valueOf(bad)).isFalse();
    }
    assertThatThrownBy(() -> GroupSet.of("ok", "..")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void mayBeEmpty() {
    assertThat(GroupSet.of(List.of()).size()).isZero();
    assertThat(GroupSet.of(List.of())).hasToString("");
  }

  @Test
  void theCanonicalFormIsSortedAndCommaJoined() {
    assertThat(GroupSet.of("b", "a", "C", "b")).hasToString("C,a,b");
    assertThat(GroupSet.of("g1")).hasToString("g1");
  }

  @Test
  void iteratesInCanonicalOrder() {
    assertThat(GroupSet.of("z", "a", "m")).containsExactly("a", "m", "z");
  }

  @Test
  void aVmStartedForFewerGroupsServesACallerWithMore() {
    GroupSet vmStartedFor = GroupSet.of("g1");
    GroupSet caller = GroupSet.of("g1", "g2");
    assertThat(caller.containsAll(vmStartedFor)).isTrue();
  }

  @Test
  void aVmStartedForMoreGroupsDoesNotServeACallerWithFewer() {
    GroupSet vmStartedFor = GroupSet.of("g1", "g2");
    GroupSet caller = GroupSet.of("g2");
    assertThat(caller.containsAll(vmStartedFor)).isFalse();
  }

  @Test
  void aVmServesExactlyItsOwnGroups() {
    assertThat(GroupSet.of("g2", "g1").containsAll(GroupSet.of("g1", "g2"))).isTrue();
  }

  @Test
  void aVmStartedForOtherGroupsDoesNotServe() {
    assertThat(GroupSet.of("g1").containsAll(GroupSet.of("g3"))).isFalse();
  }

  @Test
  void containsAnyIsTrueForOneSharedGroup() {
    assertThat(GroupSet.of("g1", "g2").containsAny(Set.of("g2", "ops"))).isTrue();
    assertThat(GroupSet.of("g1", "g2").containsAny(Set.of("ops"))).isFalse();
    assertThat(GroupSet.of("g1").containsAny(Set.of())).isFalse();
  }

  @Test
  void cannotBeChangedThroughItsViews() {
    GroupSet groups = GroupSet.of("g1");
    Set<String> view = groups.asSet();
    assertThatThrownBy(() -> view.add("g2")).isInstanceOf(UnsupportedOperationException.class);
    var iterator = groups.iterator();
    iterator.next();
    assertThatThrownBy(iterator::remove).isInstanceOf(UnsupportedOperationException.class);
    assertThat(groups).hasToString("g1");
  }
}
