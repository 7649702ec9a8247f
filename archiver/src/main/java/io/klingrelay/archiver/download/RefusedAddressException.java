package io.klingrelay.archiver.download;

import java.net.UnknownHostException;

/**
 * A host name resolved to an address {@link HostPolicy} refuses. Thrown from DNS resolution
 * (an {@link UnknownHostException}, as OkHttp's {@code Dns} contract requires) and turned into a
 * permanent failure by {@link AssetDownloader}.
 */
public final class RefusedAddressException extends UnknownHostException {

    private final String host;

    /** @param host the host name that resolved to a refused address */
    public RefusedAddressException(String host) {
        super("host " + host + " resolves to a private or local address");
        this.host = host;
    }

    /** @return the refused host name */
    public String host() {
        return host;
    }
}
