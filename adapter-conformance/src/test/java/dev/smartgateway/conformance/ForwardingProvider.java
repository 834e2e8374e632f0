package dev.smartgateway.conformance;

import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceState;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.streams.ReadStream;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A provider that passes every call to another, for {@link BrokenProviders} to override one thing each: a call, or
 * how instances are reported ({@link #report}) in the answers of one or more calls, or the events.
 */
class ForwardingProvider implements CloudProvider {

  /** Where an instance is reported. */
  enum Where { START, DESCRIBE, LIST, EVENTS }

  protected final CloudProvider delegate;
  protected final String owner;

  ForwardingProvider(CloudProvider delegate, String owner) {
    this.delegate = delegate;
    this.owner = owner;
  }

  /** How an instance is reported in the answer of {@code where}; as the delegate reports it unless overridden. */
  protected Instance report(Instance instance, Where where) {
    return instance;
  }

  /** What one event of the delegate becomes: itself, reported through {@link #report}, unless overridden. */
  protected List<Instance> event(Instance instance) {
    return List.of(report(instance, Where.EVENTS));
  }

  @Override
  public Future<Instance> start(String resource, Set<String> groups) {
    return delegate.start(resource, groups).map(i -> report(i, Where.START));
  }

  @Override
  public Future<Instance> describe(String instanceId) {
    return delegate.describe(instanceId).map(i -> report(i, Where.DESCRIBE));
  }

  @Override
  public Future<Void> stop(String instanceId) {
    return delegate.stop(instanceId);
  }

  @Override
  public Future<List<Instance>> list() {
    return delegate.list().map(all -> all.stream().map(i -> report(i, Where.LIST)).toList());
  }

  @Override
  public Optional<ReadStream<Instance>> events() {
    return delegate.events().map(stream -> new FlatMapped(stream, this::event));
  }

  @Override
  public boolean canSuspend() {
    return delegate.canSuspend();
  }

  @Override
  public Future<Void> suspend(String instanceId) {
    return delegate.suspend(instanceId);
  }

  @Override
  public Future<Void> resume(String instanceId) {
    return delegate.resume(instanceId);
  }

  @Override
  public Future<Void> close() {
    return delegate.close();
  }

  // ------------------------------------------------------------------ ways to misreport an instance

  static Instance withState(Instance i, InstanceState state, URI endpoint) {
    return new Instance(i.id(), i.resource(), i.groups(), state, endpoint, i.metadata());
  }

  static Instance withEndpoint(Instance i, URI endpoint) {
    return new Instance(i.id(), i.resource(), i.groups(), i.state(), endpoint, i.metadata());
  }

  static Instance withGroups(Instance i, Set<String> groups) {
    return new Instance(i.id(), i.resource(), groups, i.state(), i.endpoint(), i.metadata());
  }

  static Instance withOwner(Instance i, String owner) {
    Map<String, String> metadata = new HashMap<>(i.metadata());
    if (owner == null) {
      metadata.remove(Instance.OWNER);
    } else {
      metadata.put(Instance.OWNER, owner);
    }
    return new Instance(i.id(), i.resource(), i.groups(), i.state(), i.endpoint(), metadata);
  }

  /** A stream whose every element becomes zero or more elements. */
  private static final class FlatMapped implements ReadStream<Instance> {
    private final ReadStream<Instance> source;
    private final Function<Instance, List<Instance>> mapping;

    FlatMapped(ReadStream<Instance> source, Function<Instance, List<Instance>> mapping) {
      this.source = source;
      this.mapping = mapping;
    }

    @Override
    public ReadStream<Instance> exceptionHandler(Handler<Throwable> handler) {
      source.exceptionHandler(handler);
      return this;
    }

    @Override
    public ReadStream<Instance> handler(Handler<Instance> handler) {
      source.handler(handler == null ? null : i -> mapping.apply(i).forEach(handler::handle));
      return this;
    }

    @Override
    public ReadStream<Instance> pause() {
      source.pause();
      return this;
    }

    @Override
    public ReadStream<Instance> resume() {
      source.resume();
      return this;
    }

    @Override
    public ReadStream<Instance> fetch(long amount) {
      source.fetch(amount);
      return this;
    }

    @Override
    public ReadStream<Instance> endHandler(Handler<Void> endHandler) {
      source.endHandler(endHandler);
      return this;
    }
  }
}
