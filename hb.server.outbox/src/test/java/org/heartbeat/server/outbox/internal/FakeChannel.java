package org.heartbeat.server.outbox.internal;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.heartbeat.api.notify.Delivery;
import org.heartbeat.api.notify.Notification;
import org.heartbeat.api.notify.NotificationChannel;

/**
 * A channel that answers as a test scripts it: each send takes the next answer (a {@link Delivery}, an exception
 * to throw, or {@link #HANG}: wait until interrupted), "delivered" when the script is empty.
 */
final class FakeChannel implements NotificationChannel {
    /** An answer: block until interrupted. */
    static final Object HANG = new Object();

    final List<Notification> sent = new CopyOnWriteArrayList<>();
    final Queue<Object> script = new ConcurrentLinkedQueue<>();
    final AtomicInteger interrupted = new AtomicInteger();
    final List<String> threads = new CopyOnWriteArrayList<>();
    /** Counted down when a send starts hanging. */
    volatile CountDownLatch hanging = new CountDownLatch(1);

    FakeChannel then(Object... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    List<String> titles() {
        return sent.stream().map(Notification::title).toList();
    }

    @Override
    public Delivery send(Notification notification) throws Exception {
        sent.add(notification);
        threads.add(Thread.currentThread().getName());
        Object answer = script.poll();
        if (answer == null) {
            return Delivery.delivered();
        }
        if (answer == HANG) {
            hanging.countDown();
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                throw e;
            }
        }
        if (answer instanceof Exception e) {
            throw e;
        }
        return (Delivery) answer;
    }
}
