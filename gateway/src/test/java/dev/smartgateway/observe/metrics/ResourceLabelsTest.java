package dev.smartgateway.observe.metrics;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ResourceLabelsTest {

  private final List<String> created = new ArrayList<>();

  private ResourceLabels<String> labels(int max) {
    return new ResourceLabels<>(max, label -> {
      created.add(label);
      return label;
    });
  }

  @Test
  void theFirstAdmittedResourcesGetTheirOwnLabelTheRestAreOther() {
    ResourceLabels<String> labels = labels(3);
    for (String r : List.of("a", "b", "c", "d", "e")) {
      labels.get(r, true);
    }
    assertThat(labels.get("a", true)).isEqualTo("a");
    assertThat(labels.get("c", false)).isEqualTo("c");
    assertThat(labels.get("d", true)).isEqualTo(ResourceLabels.OTHER);
    assertThat(labels.get("e", false)).isEqualTo(ResourceLabels.OTHER);
    assertThat(labels.size()).isEqualTo(3);
    assertThat(created).as("meters are made once per label, never for a resource counted as other")
        .containsExactly("other", "none", "a", "b", "c");
  }

  @Test
  void onlyAdmittedResourcesTakeAPlace() {
    ResourceLabels<String> labels = labels(2);
    assertThat(labels.get("made-up", false)).isEqualTo(ResourceLabels.OTHER);
    assertThat(labels.get("made-up-2", false)).isEqualTo(ResourceLabels.OTHER);
    assertThat(labels.get("real", true)).isEqualTo("real");
    assertThat(labels.label("made-up")).isEqualTo(ResourceLabels.OTHER);
    assertThat(labels.label("real")).isEqualTo("real");
    assertThat(labels.size()).isEqualTo(1);
  }

  @Test
  void noResourceIsNoneAndZeroMeansNoResourceLabelsAtAll() {
    ResourceLabels<String> labels = labels(0);
    assertThat(labels.get(null, true)).isEqualTo(ResourceLabels.NONE);
    assertThat(labels.label(null)).isEqualTo(ResourceLabels.NONE);
    assertThat(labels.get("a", true)).isEqualTo(ResourceLabels.OTHER);
    assertThat(labels.size()).isZero();
  }

  @Test
  void aResourceNamedLikeABucketIsCountedInThatBucket() {
    ResourceLabels<String> labels = labels(5);
    assertThat(labels.get("other", true)).isEqualTo(ResourceLabels.OTHER);
    assertThat(labels.get("none", true)).isEqualTo(ResourceLabels.NONE);
    assertThat(labels.size()).isZero();
  }

  @Test
  void manyThreadsAdmittingAtOnceNeverExceedTheCap() throws Exception {
    AtomicInteger made = new AtomicInteger();
    ResourceLabels<String> labels = new ResourceLabels<>(10, label -> {
      made.incrementAndGet();
      return label;
    });
    int threads = 4;
    CountDownLatch go = new CountDownLatch(1);
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    List<Thread> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> {
        try {
          go.await();
          for (int i = 0; i < 1000; i++) {
            String got = labels.get("r" + (i % 50), true);
            assertThat(got).isIn("other", "r" + (i % 50));
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      });
      thread.start();
      running.add(thread);
    }
    go.countDown();
    for (Thread thread : running) {
      thread.join();
    }
    assertThat(errors).isEmpty();
    assertThat(labels.size()).isEqualTo(10);
    assertThat(made.get()).as("other, none and ten resources, each made once").isEqualTo(12);
  }
}
