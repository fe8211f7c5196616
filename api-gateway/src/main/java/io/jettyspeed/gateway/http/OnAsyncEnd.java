package io.jettyspeed.gateway.http;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs an action once when an async request ends, however it ends: a timeout or an error goes on
 * to an answer and then completes, and a new async cycle of the same request (an ASYNC dispatch
 * that starts async again) drops its listeners, so this one registers itself again.
 */
final class OnAsyncEnd implements AsyncListener {

    private final Runnable action;
    private final AtomicBoolean done = new AtomicBoolean();

    private OnAsyncEnd(Runnable action) {
        this.action = action;
    }

    /** Runs {@code action} when the request, whose async processing has started, completes. */
    static void register(HttpServletRequest request, Runnable action) {
        request.getAsyncContext().addListener(new OnAsyncEnd(action));
    }

    @Override
    public void onComplete(AsyncEvent event) {
        if (done.compareAndSet(false, true)) {
            action.run();
        }
    }

    @Override
    public void onTimeout(AsyncEvent event) {
    }

    @Override
    public void onError(AsyncEvent event) {
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        event.getAsyncContext().addListener(this);
    }
}
