package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.security.ForwardedRequests.Origin;

class TrustedProxiesTest {
    private static final String PROXY = "10.0.0.2";
    private static final String CLIENT = "203.0.113.7";
    private final TrustedProxies proxies = TrustedProxies.of(new String[] {"10.0.0.0/8", "fd00::/8", "192.0.2.1"});

    /** The request's header lines, as the servlet request's getHeaders answers them (null for a header it lacks). */
    private static Function<String, Enumeration<String>> headers(Map<String, List<String>> lines) {
        return name -> lines.containsKey(name) ? Collections.enumeration(lines.get(name)) : null;
    }

    private static Function<String, Enumeration<String>> forwardedFor(String... lines) {
        return headers(Map.of("X-Forwarded-For", List.of(lines)));
    }

    private static Function<String, Enumeration<String>> forwarded(String... lines) {
        return headers(Map.of("Forwarded", List.of(lines)));
    }

    @Test
    void withoutTrustedProxiesThePeerIsTheClientWhateverTheHeadersSay() {
        TrustedProxies none = TrustedProxies.of(new String[0]);
        assertSame(TrustedProxies.NONE, none);
        assertEquals(PROXY, none.clientAddress(PROXY, forwardedFor(CLIENT)));
        assertEquals(PROXY, none.clientAddress(PROXY, forwarded("for=" + CLIENT)));
    }

    @Test
    void behindATrustedProxyTheClientIsTheRightMostAddressThatIsNoTrustedProxy() {
        assertEquals(CLIENT, proxies.clientAddress(PROXY, forwardedFor(CLIENT)));
        assertEquals(CLIENT, proxies.clientAddress(PROXY, forwardedFor(CLIENT + ", 10.1.2.3")), "through two proxies");
        assertEquals(CLIENT, proxies.clientAddress(PROXY, forwardedFor("198.51.100.1, " + CLIENT)),
                "what the client wrote itself, left of what the proxy appended, is not taken");
        assertEquals(CLIENT, proxies.clientAddress(PROXY, forwardedFor("not an address, " + CLIENT)),
                "nor is it read");
        assertEquals(CLIENT, proxies.clientAddress(PROXY, forwardedFor("198.51.100.1", CLIENT + " , 10.1.2.3")),
                "several header lines are one list, in order");
        assertEquals(CLIENT, proxies.clientAddress(PROXY, forwardedFor(CLIENT + ":51234")), "a port is dropped");
        assertEquals("2001:db8:0:0:0:0:0:17", proxies.clientAddress(PROXY, forwardedFor("[2001:db8::17]:4711")));
        assertEquals("2001:db8:0:0:0:0:0:17", proxies.clientAddress(PROXY, forwardedFor("2001:db8::17")));
        assertEquals("10.9.9.9", proxies.clientAddress(PROXY, forwardedFor("10.9.9.9, 10.1.2.3")),
                "every hop a trusted proxy: the first one is the client");
        assertEquals(CLIENT, proxies.clientAddress("[fd00:0:0:0:0:0:0:5]", forwardedFor(CLIENT)),
                "an IPv6 peer as Jetty gives it");
        assertEquals(CLIENT, proxies.clientAddress("192.0.2.1", forwardedFor(CLIENT)), "a single address");
    }

    @Test
    void theHeadersOfAnUntrustedPeerAreIgnored() {
        assertEquals("198.51.100.9", proxies.clientAddress("198.51.100.9", forwardedFor(CLIENT)));
        assertEquals("198.51.100.9", proxies.clientAddress("198.51.100.9", forwardedFor("10.0.0.3")));
        assertEquals("198.51.100.9", proxies.clientAddress("198.51.100.9", forwarded("for=" + CLIENT)));
        assertEquals("192.0.2.2", proxies.clientAddress("192.0.2.2", forwardedFor(CLIENT)), "beside a trusted one");
    }

    @Test
    void forwardedIsReadWhenThereIsNoXForwardedFor() {
        assertEquals(CLIENT, proxies.clientAddress(PROXY, forwarded("for=" + CLIENT + ";proto=https;by=10.0.0.2")));
        assertEquals(CLIENT, proxies.clientAddress(PROXY, forwarded("for=198.51.100.1, For=\"" + CLIENT + ":4711\"")));
        assertEquals("2001:db8:cafe:0:0:0:0:17", proxies.clientAddress(PROXY,
                forwarded("for=\"[2001:db8:cafe::17]:4711\"")));
        assertEquals(CLIENT, proxies.clientAddress(PROXY, forwarded("for=" + CLIENT, "for=10.1.2.3")));
        assertEquals(CLIENT, proxies.clientAddress(PROXY, headers(Map.of("X-Forwarded-For", List.of(CLIENT),
                "Forwarded", List.of("for=198.51.100.1")))), "X-Forwarded-For comes first");
    }

    @Test
    void forwardedValuesAreReadAsRfc7239QuotesThem() {
        assertEquals("2001:db8:0:0:0:0:0:1", proxies.clientAddress(PROXY,
                forwarded("for=\"[2001:db8::1]:4711\";proto=https")));
        assertEquals(CLIENT, proxies.clientAddress(PROXY, forwarded("for=" + CLIENT + ";ext=\"a,b;c\"")),
                "a quoted ',' or ';' separates nothing");
        assertEquals(CLIENT, proxies.clientAddress(PROXY, forwarded("ext=\"x, for=198.51.100.1\";for=" + CLIENT)),
                "nor does a quoted for= count");
        assertEquals(CLIENT, proxies.clientAddress(PROXY, forwarded("for=\"" + CLIENT + "\";ext=\"a\\\"b,\"")),
                "a quoted-pair escapes a quote");
        assertEquals(new Origin("https", "console.example.com", 443), proxies.origin(PROXY, RECEIVED,
                forwarded("for=\"" + CLIENT + "\";ext=\"a,b\";proto=https;host=console.example.com")),
                "the origin's parameters after a quoted ','");
    }

    @Test
    void aMalformedOrMissingHeaderGivesThePeerNeverAnException() {
        for (String line : List.of("", " ", "unknown", "proxy.example.com", "999.1.1.1", "1.2.3", "[2001:db8::17",
                "[2001:db8::17]x", CLIENT + ", ", CLIENT + ", junk", CLIENT + ":port", "::ffff:zz", ".:1")) {
            assertEquals(PROXY, proxies.clientAddress(PROXY, forwardedFor(line)), line);
        }
        for (String line : List.of("for=unknown", "for=_hidden", "proto=https", "for=", "for=\"", "for=" + CLIENT
                + ", by=10.0.0.2", "for=\"" + CLIENT + "\"x", "for=" + CLIENT + ";ext=\"a,b", "for " + CLIENT,
                "for=" + CLIENT + " junk")) {
            assertEquals(PROXY, proxies.clientAddress(PROXY, forwarded(line)), line);
        }
        assertEquals(PROXY, proxies.clientAddress(PROXY, headers(Map.of())), "no header");
        assertEquals(PROXY, proxies.clientAddress(PROXY, name -> Collections.emptyEnumeration()));
        assertEquals(PROXY, proxies.clientAddress(PROXY, null));
        assertEquals(null, proxies.clientAddress(null, forwardedFor(CLIENT)), "no peer address");
        assertEquals("not-an-address", proxies.clientAddress("not-an-address", forwardedFor(CLIENT)));
    }

    @Test
    void entriesMayBeListedInOneValue() {
        TrustedProxies listed = TrustedProxies.of(new String[] {"10.0.0.1, 10.0.0.2 ::1", ""});
        assertEquals(CLIENT, listed.clientAddress("10.0.0.2", forwardedFor(CLIENT)));
        assertEquals(CLIENT, listed.clientAddress("[0:0:0:0:0:0:0:1]", forwardedFor(CLIENT)));
        assertEquals("10.0.0.3", listed.clientAddress("10.0.0.3", forwardedFor(CLIENT)));
    }

    @Test
    void aRangeCoversTheAddressesOfItsPrefix() {
        TrustedProxies ranges = TrustedProxies.of(new String[] {"172.16.0.0/12", "2001:db8:aa00::/40", "0.0.0.0/0"});
        assertEquals(CLIENT, ranges.clientAddress("172.31.255.255", forwardedFor(CLIENT)));
        TrustedProxies twelve = TrustedProxies.of(new String[] {"172.16.5.4/12", "2001:db8:aa00::/40"});
        assertEquals(CLIENT, twelve.clientAddress("172.16.0.1", forwardedFor(CLIENT)), "host bits do not matter");
        assertEquals("172.32.0.1", twelve.clientAddress("172.32.0.1", forwardedFor(CLIENT)));
        assertEquals(CLIENT, twelve.clientAddress("2001:db8:aaff::1", forwardedFor(CLIENT)));
        assertEquals("2001:db8:ab00::1", twelve.clientAddress("2001:db8:ab00::1", forwardedFor(CLIENT)));
        assertEquals("10.0.0.1", twelve.clientAddress("10.0.0.1", forwardedFor(CLIENT)),
                "an IPv4 peer is never in an IPv6 range");
    }

    @Test
    void anEntryThatIsNoAddressOrRangeIsRefusedNamingIt() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> TrustedProxies.of(
                new String[] {"10.0.0.0/8", "10.0.0.0/33", "proxy.local", "fd00::/129", "10.0.0/8", "10.0.0.0/x",
                        "10.0.0.1:80"}));
        assertEquals("trustedProxies takes IP addresses and CIDR ranges (10.0.0.5, 10.0.0.0/8, fd00::/8):"
                + " '10.0.0.0/33' has no prefix length of 0 to 32 after the '/';"
                + " 'proxy.local' is no IP address (a host name is not taken: name the proxy's address);"
                + " 'fd00::/129' has no prefix length of 0 to 128 after the '/'; '10.0.0/8' is no IP address;"
                + " '10.0.0.0/x' has no prefix length of 0 to 32 after the '/'; '10.0.0.1:80' is no IP address",
                refused.getMessage());
    }

    private static final Origin RECEIVED = new Origin("http", "127.0.0.1", 8181);
    private static final Origin CONSOLE = new Origin("https", "console.example.com", 443);

    @Test
    void behindATrustedProxyTheOriginIsTheOneItNames() {
        assertEquals(CONSOLE, proxies.origin(PROXY, RECEIVED, headers(Map.of("X-Forwarded-Proto", List.of("https"),
                "X-Forwarded-Host", List.of("console.example.com")))));
        assertEquals(new Origin("https", "console.example.com", 8443), proxies.origin(PROXY, RECEIVED, headers(Map.of(
                "X-Forwarded-Proto", List.of("https"), "X-Forwarded-Host", List.of("console.example.com:8443")))));
        assertEquals(new Origin("https", "console.example.com", 8443), proxies.origin(PROXY, RECEIVED, headers(Map.of(
                "X-Forwarded-Proto", List.of("https"), "X-Forwarded-Host", List.of("console.example.com"),
                "X-Forwarded-Port", List.of("8443")))));
        assertEquals(new Origin("https", "127.0.0.1", 443), proxies.origin(PROXY, RECEIVED,
                headers(Map.of("X-Forwarded-Proto", List.of("HTTPS")))), "the scheme alone: its default port");
        assertEquals(new Origin("https", "[2001:db8::17]", 443), proxies.origin(PROXY, RECEIVED, headers(Map.of(
                "X-Forwarded-Proto", List.of("https"), "X-Forwarded-Host", List.of("[2001:db8::17]")))));
        assertEquals(CONSOLE, proxies.origin(PROXY, RECEIVED, headers(Map.of("X-Forwarded-Proto",
                List.of("https, http"), "X-Forwarded-Host", List.of("console.example.com, 10.1.2.3")))),
                "the left-most value: what the proxy facing the client received");
        assertEquals(CONSOLE, proxies.origin(PROXY, RECEIVED,
                forwarded("for=" + CLIENT + ";proto=https;host=console.example.com, for=10.1.2.3;proto=http")));
        assertEquals(new Origin("https", "console.example.com", 8443), proxies.origin(PROXY, RECEIVED,
                forwarded("for=" + CLIENT + ";Proto=https;Host=\"console.example.com:8443\"")));
        assertEquals(RECEIVED, proxies.origin(PROXY, RECEIVED, forwardedFor(CLIENT)), "the proxy names no origin");
    }

    @Test
    void theOriginAnUntrustedPeerNamesIsIgnored() {
        Function<String, Enumeration<String>> spoofed = headers(Map.of("X-Forwarded-Proto", List.of("https"),
                "X-Forwarded-Host", List.of("console.example.com"), "Forwarded",
                List.of("proto=https;host=console.example.com")));
        assertSame(RECEIVED, proxies.origin(CLIENT, RECEIVED, spoofed));
        assertSame(RECEIVED, TrustedProxies.NONE.origin(PROXY, RECEIVED, spoofed), "no proxy is trusted");
        assertSame(RECEIVED, proxies.origin(null, RECEIVED, spoofed));
    }

    @Test
    void anOriginThatCannotBeReadGivesTheOneReceived() {
        for (Map<String, List<String>> unreadable : List.of(Map.of("X-Forwarded-Proto", List.of("ftp")),
                Map.of("X-Forwarded-Proto", List.of("")),
                Map.of("X-Forwarded-Host", List.of("console.example.com/evil")),
                Map.of("X-Forwarded-Host", List.of("console example.com")),
                Map.of("X-Forwarded-Host", List.of("2001:db8::17")),
                Map.of("X-Forwarded-Host", List.of("console.example.com:0")),
                Map.of("X-Forwarded-Port", List.of("65536")),
                Map.of("X-Forwarded-Port", List.of("-1")),
                Map.of("Forwarded", List.of("proto=https;host=\"console.example.com:99999\"")))) {
            assertSame(RECEIVED, proxies.origin(PROXY, RECEIVED, headers(unreadable)), unreadable.toString());
        }
    }
}
