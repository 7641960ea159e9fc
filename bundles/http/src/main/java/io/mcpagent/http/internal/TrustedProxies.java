package io.mcpagent.http.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mcpagent.api.security.ForwardedRequests;
import io.mcpagent.api.security.ForwardedRequests.Origin;

/**
 * The reverse proxies ({@code trustedProxies}: IP addresses and CIDR ranges) whose word on a request's client is
 * taken. When the request's peer is one of them, its client is the right-most address of {@code X-Forwarded-For}
 * that is not itself a trusted proxy (each proxy appends the address it was called from), or, when the request has
 * no {@code X-Forwarded-For}, the same of the {@code for=} parameters of {@code Forwarded} (RFC 7239). The headers
 * of any other peer are ignored: a client writes what it likes in them. Where the header cannot be read (an entry
 * that is no IP address, such as {@code unknown} or a name), the peer's address stands: it is never guessed.
 * The {@link #origin origin} the client addressed is taken from a trusted proxy in the same way.
 */
final class TrustedProxies {
    static final TrustedProxies NONE = new TrustedProxies(List.of());
    static final String PROPERTY = "trustedProxies";
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV4_WITH_PORT = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3})(?::\\d{1,5})?");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9a-fA-F:][0-9a-fA-F:.]*");
    /** A Host header's value: a host name, IPv4 address or bracketed IPv6 address, and an optional port. */
    private static final Pattern AUTHORITY = Pattern.compile(
            "([A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+])(?::(\\d{1,5}))?");

    /** The addresses whose first {@code prefixLength} bits are those of {@code network}. */
    private record Range(byte[] network, int prefixLength) {
        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefixLength; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = ranges;
    }

    /**
     * The proxies of the configuration's entries, each an address ({@code 10.0.0.5}, {@code fd00::5}) or a CIDR range
     * ({@code 10.0.0.0/8}, {@code fd00::/8}); an entry may list several, separated by commas or spaces.
     *
     * @throws IllegalArgumentException naming {@value #PROPERTY} and every entry that is neither
     */
    static TrustedProxies of(String[] entries) {
        List<Range> ranges = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (String entry : entries == null ? new String[0] : entries) {
            for (String item : entry == null ? new String[0] : entry.split("[,\\s]+")) {
                if (item.isEmpty()) {
                    continue;
                }
                try {
                    ranges.add(range(item));
                } catch (IllegalArgumentException e) {
                    refused.add("'" + item + "' " + e.getMessage());
                }
            }
        }
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException(PROPERTY + " takes IP addresses and CIDR ranges (10.0.0.5, 10.0.0.0/8,"
                    + " fd00::/8): " + String.join("; ", refused));
        }
        return ranges.isEmpty() ? NONE : new TrustedProxies(List.copyOf(ranges));
    }

    private static Range range(String item) {
        int slash = item.indexOf('/');
        String address = slash < 0 ? item : item.substring(0, slash);
        InetAddress network = literal(address).orElseThrow(() -> new IllegalArgumentException(
                "is no IP address" + (address.chars().anyMatch(Character::isLetter) && !address.contains(":")
                ? " (a host name is not taken: name the proxy's address)" : "")));
        int bits = network.getAddress().length * 8;
        if (slash < 0) {
            return new Range(network.getAddress(), bits);
        }
        String length = item.substring(slash + 1);
        if (!length.matches("\\d{1,3}") || Integer.parseInt(length) > bits) {
            throw new IllegalArgumentException("has no prefix length of 0 to " + bits + " after the '/'");
        }
        return new Range(network.getAddress(), Integer.parseInt(length));
    }

    /**
     * The client of a request from {@code peerAddress} with these header lines by name: see the class comment.
     * Never throws; answers {@code peerAddress} whenever the headers are not to be taken.
     */
    String clientAddress(String peerAddress, Function<String, Enumeration<String>> headers) {
        if (!isTrustedProxy(peerAddress)) {
            return peerAddress;
        }
        List<String> hops = forwardedFor(headers);
        InetAddress client = null;
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = address(hops.get(i));
            if (hop.isEmpty()) {
                return peerAddress;
            }
            client = hop.get();
            if (!trusts(client)) {
                break;
            }
        }
        // every hop a trusted proxy: the left-most one made the request
        return client == null ? peerAddress : client.getHostAddress();
    }

    /**
     * The origin a request from {@code peerAddress} was addressed to: see {@link ForwardedRequests#origin}. Never
     * throws; answers {@code received} whenever the headers are not to be taken.
     */
    Origin origin(String peerAddress, Origin received, Function<String, Enumeration<String>> headers) {
        if (!isTrustedProxy(peerAddress)) {
            return received;
        }
        String proto = leftMost(headers, "X-Forwarded-Proto");
        String host = leftMost(headers, "X-Forwarded-Host");
        String port = leftMost(headers, "X-Forwarded-Port");
        try {
            if (proto == null && host == null && port == null) {
                List<String> forwarded = lines(headers, "Forwarded");
                Map<String, String> first = forwarded.isEmpty() ? Map.of()
                        : ForwardedHeader.elements(forwarded.get(0)).get(0);
                proto = first.get("proto");
                host = first.get("host");
            }
            return forwarded(received, proto, host, port);
        } catch (IllegalArgumentException e) {
            return received;
        }
    }

    /** {@code received} with what the proxy forwarded in place of its parts; throws for a value that cannot be read. */
    private static Origin forwarded(Origin received, String proto, String host, String port) {
        String scheme = proto == null ? received.scheme() : proto.toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("no scheme");
        }
        String name = received.host();
        Integer hostPort = null;
        if (host != null) {
            Matcher authority = AUTHORITY.matcher(host);
            if (!authority.matches()) {
                throw new IllegalArgumentException("no host");
            }
            name = authority.group(1);
            hostPort = authority.group(2) == null ? null : port(authority.group(2));
        }
        int number;
        if (hostPort != null) {
            number = hostPort;
        } else if (port != null) {
            number = port(port);
        } else if (proto != null || host != null) {
            // the client named no port: the default of the scheme it used
            number = scheme.equals("https") ? 443 : 80;
        } else {
            number = received.port();
        }
        return new Origin(scheme, name, number);
    }

    private static int port(String text) {
        if (!text.matches("\\d{1,5}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65535) {
            throw new IllegalArgumentException("no port");
        }
        return Integer.parseInt(text);
    }

    /** The first value of the header's first line, stripped; null when the request has no such header. */
    private static String leftMost(Function<String, Enumeration<String>> headers, String name) {
        List<String> lines = lines(headers, name);
        return lines.isEmpty() ? null : lines.get(0).split(",", -1)[0].strip();
    }

    private boolean isTrustedProxy(String peerAddress) {
        if (ranges.isEmpty() || peerAddress == null) {
            return false;
        }
        Optional<InetAddress> peer = address(peerAddress);
        return peer.isPresent() && trusts(peer.get());
    }

    private boolean trusts(InetAddress address) {
        return ranges.stream().anyMatch(range -> range.contains(address));
    }

    /**
     * The addresses the proxies appended, first to last: X-Forwarded-For's, or without it Forwarded's for= ("" for an
     * element without one); a Forwarded header that cannot be read is one unreadable address.
     */
    private static List<String> forwardedFor(Function<String, Enumeration<String>> headers) {
        List<String> lines = lines(headers, "X-Forwarded-For");
        if (!lines.isEmpty()) {
            return lines.stream().flatMap(line -> List.of(line.split(",", -1)).stream()).toList();
        }
        List<String> hops = new ArrayList<>();
        try {
            for (String line : lines(headers, "Forwarded")) {
                for (Map<String, String> element : ForwardedHeader.elements(line)) {
                    hops.add(element.getOrDefault("for", ""));
                }
            }
        } catch (IllegalArgumentException unreadable) {
            return List.of("");
        }
        return hops;
    }

    private static List<String> lines(Function<String, Enumeration<String>> headers, String name) {
        Enumeration<String> lines = headers == null ? null : headers.apply(name);
        return lines == null ? List.of() : Collections.list(lines);
    }

    /**
     * The address of a hop as proxies write it: {@code 192.0.2.60}, {@code 192.0.2.60:4711}, {@code 2001:db8::17},
     * {@code [2001:db8::17]} or {@code [2001:db8::17]:4711}; empty for anything else.
     */
    static Optional<InetAddress> address(String text) {
        String hop = text.strip();
        if (hop.startsWith("[")) {
            int close = hop.indexOf(']');
            if (close < 0 || !hop.substring(close + 1).matches("(:\\d{1,5})?")) {
                return Optional.empty();
            }
            return literal(hop.substring(1, close));
        }
        Matcher withPort = IPV4_WITH_PORT.matcher(hop);
        return literal(withPort.matches() ? withPort.group(1) : hop);
    }

    /** An IPv4 address in four decimal parts or an IPv6 address, never looked up as a host name. */
    private static Optional<InetAddress> literal(String text) {
        try {
            Matcher ipv4 = IPV4.matcher(text);
            if (ipv4.matches()) {
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int part = Integer.parseInt(ipv4.group(i + 1));
                    if (part > 255) {
                        return Optional.empty();
                    }
                    bytes[i] = (byte) part;
                }
                return Optional.of(InetAddress.getByAddress(bytes));
            }
            // a text of hex digits, colons and dots with a colon is parsed as IPv6 by the JDK, never resolved
            if (text.contains(":") && IPV6_CHARACTERS.matcher(text).matches()) {
                return Optional.of(InetAddress.getByName(text));
            }
        } catch (UnknownHostException | IllegalArgumentException e) {
            // not an address: the caller says so
        }
        return Optional.empty();
    }
}
