package org.heartbeat.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;

/**
 * Sends heartbeats of many distinct hosts at a fixed rate for a while and counts the ACKs that come back.
 * Prints one line: rate asked, rate sent, ACKs, loss, and the receiving process's CPU time per heartbeat
 * (from /proc when its pid is given).
 *
 * <p>Usage: IngestLoad HOST PORT HOSTS RATE SECONDS [PID]
 */
public final class IngestLoad {
    private IngestLoad() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int hosts = Integer.parseInt(args[2]);
        long rate = Long.parseLong(args[3]);
        double seconds = Double.parseDouble(args[4]);
        long pid = args.length > 5 ? Long.parseLong(args[5]) : -1;

        // One datagram per host, encoded once; only seq and time are patched before each send.
        long seqBase = System.currentTimeMillis() * 1000;
        byte[][] datagrams = new byte[hosts][];
        for (int i = 0; i < hosts; i++) {
            datagrams[i] = Datagrams.encode(Heartbeat.of("load-" + i + ".bench.example", seqBase,
                    System.currentTimeMillis(), 60_000), null);
        }
        DatagramChannel ch = DatagramChannel.open();
        ch.setOption(StandardSocketOptions.SO_RCVBUF, 16 * 1024 * 1024);
        ch.setOption(StandardSocketOptions.SO_SNDBUF, 4 * 1024 * 1024);
        ch.connect(new InetSocketAddress(host, port));

        AtomicLong acks = new AtomicLong();
        Thread receiver = new Thread(() -> {
            ByteBuffer in = ByteBuffer.allocateDirect(2048);
            try {
                while (true) {
                    in.clear();
                    ch.receive(in);
                    acks.incrementAndGet();
                }
            } catch (IOException e) {
                // closed at the end
            }
        }, "acks");
        receiver.setDaemon(true);
        receiver.start();

        long cpuBefore = cpuTicks(pid);
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long sent = 0;
        long seq = seqBase;
        ByteBuffer out = ByteBuffer.allocateDirect(2048);
        while (true) {
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            long due = (long) ((now - start) / 1e9 * rate);
            if (sent >= due) {
                LockSupport.parkNanos(20_000);
                continue;
            }
            for (long n = Math.min(due - sent, 256); n > 0; n--) {
                byte[] d = datagrams[(int) (sent % hosts)];
                out.clear();
                out.put(d);
                out.putLong(6, ++seq);
                out.putLong(14, System.currentTimeMillis());
                out.flip();
                ch.write(out);
                sent++;
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long settle = System.nanoTime() + 1_000_000_000L;
        long last = -1;
        while (System.nanoTime() < settle && acks.get() != last) {
            last = acks.get();
            Thread.sleep(200);
        }
        long cpuAfter = cpuTicks(pid);
        long acked = acks.get();
        double loss = sent == 0 ? 0 : 100.0 * (sent - acked) / sent;
        String cpu = pid < 0 ? "" : String.format(" server_cpu_us_per_heartbeat=%.2f",
                (cpuAfter - cpuBefore) * 10_000.0 / Math.max(1, acked));
        System.out.printf("rate_asked=%d rate_sent=%.0f sent=%d acked=%d loss_percent=%.3f%s%n", rate, sent / elapsed,
                sent, acked, loss, cpu);
        ch.close();
    }

    /** utime + stime of a process, in clock ticks (1/100 s on Linux), or 0 without a pid. */
    static long cpuTicks(long pid) throws IOException {
        if (pid < 0) {
            return 0;
        }
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
