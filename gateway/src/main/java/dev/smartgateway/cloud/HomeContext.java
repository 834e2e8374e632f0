package dev.smartgateway.cloud;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.function.Supplier;

/**
 * The one Vert.x context a provider keeps its state on. The gateway calls a provider from whichever context it
 * happens to be on (a request's event loop, a timer, a test's thread); confining the state to one context spares the
 * adapter every lock, and answering on the caller's context spares the caller a surprise hop. The {@code process},
 * {@code docker} and {@code qemu} adapters all work this way; an outside adapter may too.
 */
public final class HomeContext {

  private final Context context;
  private final boolean typeThrown;

  private HomeContext(Context context, boolean typeThrown) {
    this.context = context;
    this.typeThrown = typeThrown;
  }

  /** Home on {@code context}; an action that throws fails its answer with what it threw. */
  public static HomeContext of(Context context) {
    return new HomeContext(context, false);
  }

  /**
   * The same home, but an action that throws something other than a {@link CloudException} fails its answer with a
   * PERMANENT one: for an adapter that promises its callers a typed failure whatever goes wrong inside it.
   */
  public HomeContext typingThrown() {
    return new HomeContext(context, true);
  }

  public Context context() {
    return context;
  }

  /** Runs {@code action} on the home context (at once if already there) and answers on the caller's. */
  public <T> Future<T> call(Supplier<Future<T>> action) {
    Context caller = Vertx.currentContext();
    Promise<T> promise = Promise.promise();
    Runnable run = () -> {
      Future<T> result;
      try {
        result = action.get();
      } catch (RuntimeException e) {
        result = Future.failedFuture(typeThrown && !(e instanceof CloudException)
            ? new CloudException(CloudException.Kind.PERMANENT, String.valueOf(e.getMessage()), e) : e);
      }
      result.onComplete(ar -> {
        if (caller == null || caller == context) {
          promise.handle(ar);
        } else {
          caller.runOnContext(v -> promise.handle(ar));
        }
      });
    };
    if (Vertx.currentContext() == context) {
      run.run();
    } else {
      context.runOnContext(v -> run.run());
    }
    return promise.future();
  }
}
