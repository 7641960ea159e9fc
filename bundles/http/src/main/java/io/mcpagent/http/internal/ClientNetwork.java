package io.mcpagent.http.internal;

import java.net.InetAddress;
import java.util.Optional;

/**
 * What a client's failed authentications are counted (and their audit records rationed) by. An IPv6 client is its
 * /64: a provider hands a subscriber at least one /64, in which it picks any address it likes (privacy addresses do
 * so by themselves), so counting each address would let one client rotate past every limit. An IPv4 client is its
 * address.
 */
final class ClientNetwork {
    private ClientNetwork() {
    }

    /**
     * {@code 2001:db8:1:2::/64} for an IPv6 address (bracketed as Jetty writes it, or not), the address for an IPv4
     * one (an IPv4-mapped IPv6 address included), and anything else as it is ("null" for null).
     */
    static String of(String remoteAddress) {
        Optional<InetAddress> address = remoteAddress == null ? Optional.empty()
                : TrustedProxies.address(remoteAddress);
        if (address.isEmpty()) {
            return String.valueOf(remoteAddress);
        }
        byte[] bytes = address.get().getAddress();
        if (bytes.length == 4) {
            return address.get().getHostAddress();
        }
        StringBuilder prefix = new StringBuilder();
        for (int group = 0; group < 4; group++) {
            prefix.append(Integer.toHexString((bytes[2 * group] & 0xff) << 8 | bytes[2 * group + 1] & 0xff))
                    .append(':');
        }
        return prefix.append(":/64").toString();
    }
}
