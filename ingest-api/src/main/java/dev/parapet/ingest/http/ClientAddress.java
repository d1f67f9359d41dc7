package dev.parapet.ingest.http;

import java.util.List;
import java.util.Objects;

/**
 * The client's address: the socket peer, or, when the peer is a trusted proxy, the last hop of
 * {@code X-Forwarded-For} that is not itself a trusted proxy. Nothing is trusted by default.
 */
public final class ClientAddress {

    private final List<String> trustedProxies;

    /** @param trustedProxies exact addresses, or {@code loopback} for 127.0.0.0/8 and ::1 */
    public ClientAddress(List<String> trustedProxies) {
        this.trustedProxies = List.copyOf(Objects.requireNonNull(trustedProxies, "trustedProxies can't be null"));
    }

    public String resolve(String peer, String forwardedFor) {
        if (forwardedFor == null || forwardedFor.isBlank() || !trusted(peer)) {
            return peer;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (hop.isEmpty() || !looksLikeAddress(hop)) {
                return peer;
            }
            if (!trusted(hop)) {
                return hop;
            }
        }
        return peer;
    }

    private boolean trusted(String address) {
        for (String proxy : trustedProxies) {
            if (proxy.equals(address) || ("loopback".equals(proxy) && isLoopback(address))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLoopback(String address) {
        return address.startsWith("127.") || address.equals("::1") || address.equals("0:0:0:0:0:0:0:1");
    }

    private static boolean looksLikeAddress(String hop) {
        return hop.length() <= 45 && hop.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '.' || c == ':');
    }
}
