package io.klingrelay.archiver.download;

import io.klingrelay.common.error.PermanentException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;

/**
 * Which URLs assets may be downloaded from: {@code http}/{@code https} only, a host on the
 * allow-list (exact names or IP literals, or {@code *.domain} patterns matching any sub-domain
 * but not the domain itself), and, unless private addresses are allowed, no address that is
 * loopback, link-local, site-local/private (IPv4 RFC 1918, IPv6 {@code fc00::/7}), carrier-grade
 * NAT, multicast, any-local or broadcast. Host names are compared in OkHttp's canonical form
 * (lower case, punycode, dotted-decimal IPv4), the same form the HTTP client connects to.
 */
public final class HostPolicy {

    private final List<String> exactHosts = new ArrayList<>();
    private final List<String> domainSuffixes = new ArrayList<>();
    private final boolean allowPrivateAddresses;

    /**
     * @param allowedHosts          exact host names, IP literals or {@code *.domain} patterns
     * @param allowPrivateAddresses whether private and local addresses are allowed (local demo)
     * @throws IllegalArgumentException when a pattern is not a valid host
     */
    public HostPolicy(List<String> allowedHosts, boolean allowPrivateAddresses) {
        for (String pattern : allowedHosts) {
            addPattern(pattern.trim());
        }
        this.allowPrivateAddresses = allowPrivateAddresses;
    }

    private void addPattern(String pattern) {
        if (pattern.startsWith("*.")) {
            domainSuffixes.add("." + canonicalHost(pattern.substring(2)));
        } else {
            exactHosts.add(canonicalHost(pattern));
        }
    }

    private static String canonicalHost(String host) {
        String bare = stripTrailingDot(host.toLowerCase(Locale.ROOT));
        String literal = bare.contains(":") && !bare.startsWith("[") ? "[" + bare + "]" : bare;
        HttpUrl url = HttpUrl.parse("http://" + literal + "/");
        if (url == null) {
            throw new IllegalArgumentException("not a valid host: '" + host + "'");
        }
        return url.host();
    }

    private static String stripTrailingDot(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    /** @return whether private and local addresses are allowed */
    public boolean allowsPrivateAddresses() {
        return allowPrivateAddresses;
    }

    /**
     * @param host a host in OkHttp's canonical form ({@link HttpUrl#host()})
     * @return whether the host matches an exact entry or a {@code *.domain} pattern
     */
    public boolean isAllowedHost(String host) {
        String candidate = stripTrailingDot(host.toLowerCase(Locale.ROOT));
        return exactHosts.contains(candidate) || matchesSuffix(candidate);
    }

    private boolean matchesSuffix(String host) {
        for (String suffix : domainSuffixes) {
            if (host.endsWith(suffix) && host.length() > suffix.length()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks a URL before any connection: scheme, allow-list, and an IP-literal host's address
     * (names are checked when they resolve, by {@link GuardedDns}).
     *
     * @param url        the URL about to be requested
     * @param assetIndex the asset's index, for the message
     * @throws PermanentException when the URL may not be fetched; the message names the host,
     *                            never the path or query string
     */
    public void check(HttpUrl url, int assetIndex) {
        if (!isHttp(url.scheme())) {
            throw new PermanentException("asset " + assetIndex + ": scheme " + url.scheme() + " is not allowed");
        }
        if (!isAllowedHost(url.host())) {
            throw new PermanentException("asset " + assetIndex + ": host " + url.host()
                    + " is not in klingrelay.archiver.allowed-hosts");
        }
        InetAddress literal = ipLiteral(url.host());
        if (literal != null && isRefused(literal)) {
            throw new PermanentException("asset " + assetIndex + ": host " + url.host()
                    + " is a private or local address");
        }
    }

    private static boolean isHttp(String scheme) {
        return "http".equals(scheme) || "https".equals(scheme);
    }

    private static @Nullable InetAddress ipLiteral(String host) {
        if (!host.contains(":") && !host.matches("[0-9.]+")) {
            return null;
        }
        try {
            return InetAddress.getByName(host); // a literal: no DNS lookup happens
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * Refuses a resolution that contains any forbidden address (a name that resolves to both a
     * public and a private address is refused: DNS rebinding tricks rely on mixing them).
     *
     * @param host      the host name that was resolved
     * @param addresses its addresses
     * @throws RefusedAddressException when private addresses are not allowed and one is present
     */
    public void checkAddresses(String host, List<InetAddress> addresses) throws RefusedAddressException {
        for (InetAddress address : addresses) {
            if (isRefused(address)) {
                throw new RefusedAddressException(host);
            }
        }
    }

    private boolean isRefused(InetAddress address) {
        return !allowPrivateAddresses && isPrivateOrLocal(address);
    }

    /**
     * @param address an address
     * @return whether it is loopback, link-local, site-local/private, unique-local, carrier-grade
     *         NAT, multicast, any-local, {@code 0.0.0.0/8} or broadcast, including IPv4 addresses
     *         embedded in IPv4-compatible or NAT64 ({@code 64:ff9b::/96}) IPv6 addresses
     */
    public static boolean isPrivateOrLocal(InetAddress address) {
        InetAddress embedded = embeddedIpv4(address);
        if (embedded != null) {
            return isPrivateOrLocal(embedded);
        }
        return address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()
                || isSpecialIpv4(address) || isUniqueLocalIpv6(address);
    }

    private static boolean isSpecialIpv4(InetAddress address) {
        if (!(address instanceof Inet4Address)) {
            return false;
        }
        byte[] b = address.getAddress();
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        boolean thisNetwork = first == 0;
        boolean carrierGradeNat = first == 100 && second >= 64 && second <= 127;
        boolean broadcast = first == 255 && second == 255 && (b[2] & 0xff) == 255 && (b[3] & 0xff) == 255;
        return thisNetwork || carrierGradeNat || broadcast;
    }

    private static boolean isUniqueLocalIpv6(InetAddress address) {
        return address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc;
    }

    private static @Nullable InetAddress embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return null;
        }
        byte[] b = address.getAddress();
        boolean compatible = allZero(b, 0, 12) && !allZero(b, 12, 16);
        boolean nat64 = b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                && allZero(b, 4, 12);
        if (!compatible && !nat64) {
            return null;
        }
        try {
            return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
