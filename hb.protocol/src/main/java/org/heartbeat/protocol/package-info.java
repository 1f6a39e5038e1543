/**
 * The Heartbeat wire protocol, version 1: the UDP datagrams that clients and servers exchange.
 *
 * <p>{@link org.heartbeat.protocol.Datagrams} encodes and decodes them, {@link org.heartbeat.protocol.HostKey}
 * signs and verifies them, {@link org.heartbeat.protocol.Values} encodes the value trees that plugin data
 * carries. The format itself is specified in {@code docs/PROTOCOL.md}; the test vectors in
 * {@code docs/protocol-vectors.txt} are checked by this codec and by both mini clients.
 *
 * <p>Example: a client signs a heartbeat, the server decodes and verifies it and answers with an ACK.
 * <pre>{@code
 * HostKey key = HostKey.parse("q2Lw...=");
 * byte[] datagram = Datagrams.encode(
 *     Heartbeat.of("web1", seq, System.currentTimeMillis(), 10_000), key);
 *
 * Message message = Datagrams.decode(ByteBuffer.wrap(datagram));   // throws MalformedDatagramException
 * boolean authentic = key.verify(ByteBuffer.wrap(datagram));
 * }</pre>
 */
@Export
@Version("1.0.0")
package org.heartbeat.protocol;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
