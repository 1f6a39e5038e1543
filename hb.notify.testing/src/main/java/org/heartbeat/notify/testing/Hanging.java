package org.heartbeat.notify.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a send against a {@link FakeService} that {@linkplain Answer#hang() never answers}, the way {@code hbd}'s
 * outbox ends one that takes too long: it interrupts the sending thread.
 */
public final class Hanging {
    private Hanging() {
    }

    /**
     * Starts {@code send} on a thread of its own, waits until the service has the request, interrupts the thread and
     * returns what the send threw. Fails when the request never arrives, when the send returns normally, or when it
     * has not ended {@code within} the given time after the interrupt.
     */
    public static Throwable interruptedSend(Callable<?> send, FakeService service, Duration within) throws Exception {
        return interruptedSend(send, service, 1, within);
    }

    /** As {@link #interruptedSend(Callable, FakeService, Duration)}, interrupting once {@code requests} arrived. */
    public static Throwable interruptedSend(Callable<?> send, FakeService service, int requests, Duration within)
            throws Exception {
        FutureTask<Object> task = new FutureTask<>(send::call);
        Thread thread = new Thread(task, "send under test");
        thread.setDaemon(true);
        thread.start();
        try {
            if (!service.awaitRequests(requests, Duration.ofSeconds(10))) {
                throw new AssertionError("the request never reached the service");
            }
            thread.interrupt();
            Object result = task.get(within.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("the send returned " + result + " instead of ending with an exception");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("the send did not end within " + within + " after the interrupt", e);
        } finally {
            thread.interrupt();
        }
    }
}
