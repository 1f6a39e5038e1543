package org.heartbeat.server.internal.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

import org.junit.jupiter.api.Test;

/** IP literals from the state file back to addresses, without DNS. */
class InetAddressParserTest {

    @Test
    void parsesIpv4() {
        InetAddress a = InetAddressParser.parse("192.0.2.44");

        assertThat(a).isInstanceOf(Inet4Address.class);
        assertThat(a.getAddress()).containsExactly(192, 0, 2, 44);
    }

    @Test
    void parsesIpv6InShortAndLongForm() {
        InetAddress shortForm = InetAddressParser.parse("2001:db8::5");

        assertThat(shortForm).isInstanceOf(Inet6Address.class);
        assertThat(InetAddressParser.parse("2001:db8:0:0:0:0:0:5")).isEqualTo(shortForm);
        assertThat(InetAddressParser.parse("::1").isLoopbackAddress()).isTrue();
    }

    @Test
    void parsesWhatGetHostAddressPrints() {
        for (String literal : new String[] {"10.1.2.3", "fe80::1%1", "2001:db8::7"}) {
            InetAddress a = InetAddressParser.parse(literal);

            assertThat(InetAddressParser.parse(a.getHostAddress())).as(literal).isEqualTo(a);
        }
    }

    @Test
    void refusesHostNames() {
        assertThatThrownBy(() -> InetAddressParser.parse("localhost")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("localhost");
        assertThatThrownBy(() -> InetAddressParser.parse("web1.example.com"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesEmptyAndMalformedLiterals() {
        for (String bad : new String[] {"", "1.2.3", "1.2.3.4.5", "2001:db8::5::1", "192.0.2.1:80"}) {
            assertThatThrownBy(() -> InetAddressParser.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
