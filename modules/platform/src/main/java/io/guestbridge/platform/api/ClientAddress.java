package io.guestbridge.platform.api;

import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.microprofile.config.ConfigProvider;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * The address of the client a request came from, as the limits on guessing and on the public intake
 * count it. Behind a TLS-terminating proxy or load balancer every request comes from the proxy; its
 * {@code X-Forwarded-For} is honoured only when the proxy is named in {@code http.trusted-proxies}
 * (addresses or CIDR blocks, comma-separated), and then the right-most address that is not itself a
 * trusted proxy is the client. Never trusted by default: anyone can send the header.
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static String of(HttpServletRequest request) {
        String remote = request.getRemoteAddr();
        List<String> proxies = trustedProxies();
        if (proxies.isEmpty() || !trusted(remote, proxies)) {
            return remote;
        }
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded == null || forwarded.isBlank()) {
            return remote;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (!hop.isEmpty() && !trusted(hop, proxies)) {
                return hop;
            }
        }
        return remote;
    }

    private static List<String> trustedProxies() {
        return ConfigProvider.getConfig().getOptionalValue("http.trusted-proxies", String.class)
                .map(v -> Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList()).orElse(List.of());
    }

    static boolean trusted(String address, List<String> proxies) {
        for (String proxy : proxies) {
            if (proxy.contains("/") ? inBlock(address, proxy) : proxy.equals(address)) {
                return true;
            }
        }
        return false;
    }

    private static boolean inBlock(String address, String cidr) {
        try {
            // only literal addresses are compared: nothing here resolves a name
            if (!address.matches("[0-9a-fA-F:.]+")) {
                return false;
            }
            String[] parts = cidr.split("/");
            byte[] block = InetAddress.getByName(parts[0]).getAddress();
            byte[] candidate = InetAddress.getByName(address).getAddress();
            int bits = Integer.parseInt(parts[1]);
            if (block.length != candidate.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((block[i / 8] & mask) != (candidate[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException | NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return false;
        }
    }
}
