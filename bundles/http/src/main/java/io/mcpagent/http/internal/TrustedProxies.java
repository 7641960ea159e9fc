package io.mcpagent.http.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reverse proxies ({@code trustedProxies}: IP addresses and CIDR ranges) whose word on a request's client is
 * taken. When the request's peer is one of them, its client is the right-most address of {@code X-Forwarded-For}
 * that is not itself a trusted proxy (each proxy appends the address it was called from), or, when the request has
 * no {@code X-Forwarded-For}, the same of the {@code for=} parameters of {@code Forwarded} (RFC 7239). The headers
 * of any other peer are ignored: a client writes what it likes in them. Where the header cannot be read (an entry
 * that is no IP address, such as {@code unknown} or a name), the peer's address stands: it is never guessed.
 */
final class TrustedProxies {
    static final TrustedProxies NONE = new TrustedProxies(List.of());
    static final String PROPERTY = "trustedProxies";
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV4_WITH_PORT = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3})(?::\\d{1,5})?");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9a-fA-F:][0-9a-fA-F:.]*");

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
        if (ranges.isEmpty() || peerAddress == null) {
            return peerAddress;
        }
        Optional<InetAddress> peer = hop(peerAddress);
        if (peer.isEmpty() || !trusts(peer.get())) {
            return peerAddress;
        }
        List<String> hops = forwardedFor(headers);
        InetAddress client = null;
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = hop(hops.get(i));
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

    private boolean trusts(InetAddress address) {
        return ranges.stream().anyMatch(range -> range.contains(address));
    }

    /** The addresses the proxies appended, first to last: X-Forwarded-For's, or without it Forwarded's for=. */
    private static List<String> forwardedFor(Function<String, Enumeration<String>> headers) {
        List<String> lines = lines(headers, "X-Forwarded-For");
        if (!lines.isEmpty()) {
            return lines.stream().flatMap(line -> List.of(line.split(",", -1)).stream()).toList();
        }
        List<String> hops = new ArrayList<>();
        for (String line : lines(headers, "Forwarded")) {
            for (String element : line.split(",", -1)) {
                hops.add(forParameter(element));
            }
        }
        return hops;
    }

    /** The value of {@code for=} in one element of Forwarded ({@code for=192.0.2.60;proto=http}), else "". */
    private static String forParameter(String element) {
        for (String pair : element.split(";")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).strip().toLowerCase(Locale.ROOT).equals("for")) {
                String value = pair.substring(equals + 1).strip();
                return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                        ? value.substring(1, value.length() - 1) : value;
            }
        }
        return "";
    }

    private static List<String> lines(Function<String, Enumeration<String>> headers, String name) {
        Enumeration<String> lines = headers == null ? null : headers.apply(name);
        return lines == null ? List.of() : Collections.list(lines);
    }

    /**
     * The address of a hop as proxies write it: {@code 192.0.2.60}, {@code 192.0.2.60:4711}, {@code 2001:db8::17},
     * {@code [2001:db8::17]} or {@code [2001:db8::17]:4711}; empty for anything else.
     */
    private static Optional<InetAddress> hop(String text) {
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
