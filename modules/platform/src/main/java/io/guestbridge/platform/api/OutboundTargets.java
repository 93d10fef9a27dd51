package io.guestbridge.platform.api;

import org.eclipse.microprofile.config.Config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the server may send requests of its own: every URL that comes from configuration (CRM and
 * Purple APIs, a token endpoint, a warehouse, a witness, an SMS gateway) or from another system's
 * answer (Salesforce's {@code instance_url}) passes here before a connection is made.
 *
 * <p>Server-side request forgery turns such a URL against the network the server sits in: the cloud's
 * metadata service hands out credentials, and loopback or private addresses reach admin ports that
 * trust their neighbours. So, by default: HTTPS only; never link-local (169.254.0.0/16 and fe80::/10,
 * where the metadata services live), unspecified, multicast or broadcast addresses; loopback and
 * private (RFC 1918, fc00::/7, 100.64.0.0/10) addresses only when the operator says so with
 * {@code outbound.allow-loopback} / {@code outbound.allow-private} (for a CRM on the company network;
 * the tests and emulators use loopback). A loopback target may then use plain HTTP: the traffic never
 * leaves the machine. The host is resolved and every address it resolves to is checked, at start-up and
 * again before each request, so a name that later resolves elsewhere is caught too.
 */
public final class OutboundTargets {

    private final boolean allowLoopback;
    private final boolean allowPrivate;

    public OutboundTargets(boolean allowLoopback, boolean allowPrivate) {
        this.allowLoopback = allowLoopback;
        this.allowPrivate = allowPrivate;
    }

    public static OutboundTargets from(Config config) {
        return new OutboundTargets(config.getOptionalValue("outbound.allow-loopback", Boolean.class).orElse(false),
                config.getOptionalValue("outbound.allow-private", Boolean.class).orElse(false));
    }

    /** Why a request to {@code target} (named by the setting {@code setting}) must not be made; empty when it may. */
    public Optional<String> refusal(URI target, String setting) {
        if (target == null || target.getHost() == null || target.getScheme() == null) {
            return Optional.of(setting + " is not an absolute http(s) URL with a host");
        }
        String scheme = target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return Optional.of(setting + " must be an https URL, not " + scheme);
        }
        if (target.getRawUserInfo() != null) {
            return Optional.of(setting + " must not carry credentials in the URL; configure them as secrets");
        }
        return refusal(target.getHost(), scheme.equals("https"), setting);
    }

    /** The same for a host reached by another protocol (a JDBC URL's host): only the address rules apply. */
    public Optional<String> hostRefusal(String host, String setting) {
        return refusal(host, true, setting);
    }

    /**
     * {@code client}, checking every request's target before it is sent: a refused target fails like an
     * unreachable one ({@link java.net.ConnectException} with the reason), so callers treat it as they
     * treat a network failure. Redirects are never followed (a redirect is another target).
     */
    public HttpClient guard(HttpClient client) {
        if (client.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("an outbound client must not follow redirects");
        }
        return new GuardedHttpClient(client, this);
    }

    /** Throws {@link IllegalStateException} with the reason when the request must not be made. */
    public URI require(URI target, String setting) {
        refusal(target, setting).ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
        return target;
    }

    private Optional<String> refusal(String host, boolean encrypted, String setting) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(bare);
        } catch (UnknownHostException e) {
            // a name that does not resolve reaches nothing; the request fails on its own and is retried
            return encrypted ? Optional.empty() : Optional.of(setting + " must be an https URL (plain http only to this machine's loopback)");
        }
        boolean allLoopback = true;
        for (InetAddress address : addresses) {
            Optional<String> reason = refusal(address, setting);
            if (reason.isPresent()) {
                return reason;
            }
            allLoopback &= address.isLoopbackAddress();
        }
        if (!encrypted && !allLoopback) {
            return Optional.of(setting + " must be an https URL (plain http only to this machine's loopback)");
        }
        return Optional.empty();
    }

    private Optional<String> refusal(InetAddress address, String setting) {
        String where = setting + " resolves to " + address.getHostAddress() + ", ";
        if (address.isAnyLocalAddress() || address.isMulticastAddress() || isBroadcast(address)) {
            return Optional.of(where + "which is not a host address");
        }
        if (address.isLinkLocalAddress() || isMetadata(address)) {
            return Optional.of(where + "a link-local address where cloud metadata services answer; such targets are never allowed");
        }
        if (address.isLoopbackAddress()) {
            return allowLoopback ? Optional.empty()
                    : Optional.of(where + "this machine's loopback; set outbound.allow-loopback=true only for local emulators");
        }
        if (address.isSiteLocalAddress() || isUniqueLocal(address) || isSharedAddressSpace(address)) {
            return allowPrivate ? Optional.empty()
                    : Optional.of(where + "a private network address; set outbound.allow-private=true if the system really lives on the company network");
        }
        return Optional.empty();
    }

    private static boolean isBroadcast(InetAddress address) {
        return address instanceof Inet4Address && (address.getAddress()[0] & 0xff) == 255 && (address.getAddress()[3] & 0xff) == 255;
    }

    /** Metadata services outside 169.254/16: AWS's IPv6 one (fd00:ec2::254) and Alibaba's (100.100.100.200). */
    private static boolean isMetadata(InetAddress address) {
        String text = address.getHostAddress();
        return text.equals("100.100.100.200") || text.equalsIgnoreCase("fd00:ec2:0:0:0:0:0:254");
    }

    private static boolean isUniqueLocal(InetAddress address) {
        return address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc;
    }

    /** 100.64.0.0/10, carrier-grade NAT: not public, often another tenant's network. */
    private static boolean isSharedAddressSpace(InetAddress address) {
        byte[] a = address.getAddress();
        return address instanceof Inet4Address && (a[0] & 0xff) == 100 && (a[1] & 0xc0) == 64;
    }
}
