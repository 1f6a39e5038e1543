package org.heartbeat.server.internal.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CoalescingQueueTest {
    @Test
    void valuesComeOutInTheOrderTheirKeysWentIn() throws InterruptedException {
        CoalescingQueue<String, Integer> q = new CoalescingQueue<>(10);
        q.offer("a", 1);
        q.offer("b", 2);
        q.offer("a", 3); // replaces 1, keeps a's place

        assertThat(q.poll(0)).isEqualTo(3);
        assertThat(q.poll(0)).isEqualTo(2);
        assertThat(q.poll(0)).isNull();
        assertThat(q.coalesced()).isEqualTo(1);
    }

    @Test
    void aKeyTakenOutQueuesAgainAtTheEnd() throws InterruptedException {
        CoalescingQueue<String, Integer> q = new CoalescingQueue<>(10);
        q.offer("a", 1);
        q.offer("b", 2);
        assertThat(q.poll(0)).isEqualTo(1);
        q.offer("a", 3);

        assertThat(q.poll(0)).isEqualTo(2);
        assertThat(q.poll(0)).isEqualTo(3);
        assertThat(q.coalesced()).isZero();
    }

    @Test
    void newKeysBeyondTheCapacityAreDroppedAndCounted() throws InterruptedException {
        CoalescingQueue<Integer, Integer> q = new CoalescingQueue<>(2);
        q.offer(1, 1);
        q.offer(2, 2);
        q.offer(3, 3);
        q.offer(1, 10);

        assertThat(q.size()).isEqualTo(2);
        assertThat(q.dropped()).isEqualTo(1);
        assertThat(q.poll(0)).isEqualTo(10);
    }

    @Test
    void pollWaitsForAValue() throws InterruptedException {
        CoalescingQueue<String, String> q = new CoalescingQueue<>(10);
        Thread producer = new Thread(() -> q.offer("k", "v"));
        producer.start();
        assertThat(q.poll(10_000)).isEqualTo("v");
        producer.join();
    }
}
