package io.klingrelay.archiver.download;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import okhttp3.Dns;

/**
 * OkHttp's name resolution with {@link HostPolicy#checkAddresses} applied: the addresses checked
 * are exactly the addresses the connection uses, so a second, different DNS answer (rebinding)
 * cannot slip a private address in between a check and the connect.
 */
final class GuardedDns implements Dns {

    private final HostPolicy policy;
    private final Dns delegate;

    GuardedDns(HostPolicy policy, Dns delegate) {
        this.policy = policy;
        this.delegate = delegate;
    }

    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
        List<InetAddress> addresses = delegate.lookup(hostname);
        policy.checkAddresses(hostname, addresses);
        return addresses;
    }
}
