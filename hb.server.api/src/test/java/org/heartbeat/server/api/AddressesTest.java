package org.heartbeat.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AddressesTest {
    @ParameterizedTest
    @CsvSource({
            "0:0:0:0:0:0:0:1, ::1",
            "0:0:0:0:0:0:0:0, ::",
            "2001:db8:0:0:0:0:2:1, 2001:db8::2:1",
            "2001:0db8:0000:0000:0001:0000:0000:0001, 2001:db8::1:0:0:1",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "fe80:0:0:0:0:0:0:1, fe80::1",
            "2001:DB8:0:0:1:0:0:0, 2001:db8:0:0:1::",
            "1:0:0:1:0:0:0:1, 1:0:0:1::1",
            "1:2:3:4:5:6:7:0, 1:2:3:4:5:6:7:0",
            "192.0.2.7, 192.0.2.7"})
    void addressesAreWrittenTheRfc5952Way(String literal, String expected) throws UnknownHostException {
        assertThat(Addresses.ip(InetAddress.getByName(literal))).isEqualTo(expected);
    }

    @Test
    void socketAddressesBracketIpv6() throws UnknownHostException {
        assertThat(Addresses.text(new InetSocketAddress(InetAddress.getByName("::1"), 40000))).isEqualTo("[::1]:40000");
        assertThat(Addresses.text(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 5))).isEqualTo("192.0.2.1:5");
        assertThat(Addresses.text(null)).isEqualTo("?");
    }
}
