package org.heartbeat.bench;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * The baseline of the ingest benchmark: a UDP receiver that does the least a server must, receive and
 * answer each heartbeat with a 23-byte ACK echoing its sequence number, and nothing else (no decoding, no
 * authentication, no state). Usage: BareReceiver PORT. Prints "ready PORT" once bound.
 */
public final class BareReceiver {
    private BareReceiver() {
    }

    public static void main(String[] args) throws Exception {
        DatagramChannel ch = DatagramChannel.open();
        ch.setOption(StandardSocketOptions.SO_RCVBUF, 8 * 1024 * 1024);
        ch.bind(new InetSocketAddress(Integer.parseInt(args[0])));
        System.out.println("ready " + ((InetSocketAddress) ch.getLocalAddress()).getPort());
        System.out.flush();
        ByteBuffer in = ByteBuffer.allocateDirect(2048);
        ByteBuffer ack = ByteBuffer.allocateDirect(23);
        ack.put(new byte[] {'H', 'B', 1, 5, 0, 0});
        while (true) {
            in.clear();
            SocketAddress from = ch.receive(in);
            if (in.position() < 14) {
                continue;
            }
            ack.clear();
            ack.position(6);
            ack.putLong(in.getLong(6));
            ack.putLong(System.currentTimeMillis());
            ack.put((byte) 0);
            ack.flip();
            ch.send(ack, from);
        }
    }
}
