package io.klingrelay.archiver.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.klingrelay.common.error.PermanentException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import okhttp3.HttpUrl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HostPolicyTest {

    private final HostPolicy kling = new HostPolicy(List.of("*.klingai.com", "assets.example.org", "203.0.113.7"),
            false);

    @ParameterizedTest
    @ValueSource(strings = {"cdn.klingai.com", "v15-kling-fdl.klingai.com", "a.b.klingai.com", "CDN.KlingAI.com",
            "cdn.klingai.com.", "assets.example.org", "203.0.113.7"})
    void allowsExactNamesAndSubDomainsOfWildcardPatterns(String host) {
        assertThat(kling.isAllowedHost(host)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"klingai.com", "evilklingai.com", "klingai.com.evil.net", "cdn.klingai.co",
            "sub.assets.example.org", "example.org", "203.0.113.8", "localhost"})
    void refusesApexDomainsLookAlikesAndUnlistedHosts(String host) {
        assertThat(kling.isAllowedHost(host)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254",
            "0.0.0.0", "100.64.0.1", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1",
            "fd12:3456::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe", "::7f00:1"})
    void classifiesLoopbackLinkLocalPrivateMulticastAndAnyLocalAddressesAsPrivate(String address)
            throws UnknownHostException {
        assertThat(HostPolicy.isPrivateOrLocal(InetAddress.getByName(address))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "203.0.113.7", "172.32.0.1", "100.128.0.1", "2001:4860:4860::8888"})
    void classifiesPublicAddressesAsPublic(String address) throws UnknownHostException {
        assertThat(HostPolicy.isPrivateOrLocal(InetAddress.getByName(address))).isFalse();
    }

    @Test
    void refusesAResolutionContainingAnyPrivateAddress() throws UnknownHostException {
        List<InetAddress> mixed = List.of(InetAddress.getByName("8.8.8.8"), InetAddress.getByName("127.0.0.1"));

        assertThatThrownBy(() -> kling.checkAddresses("cdn.klingai.com", mixed))
                .isInstanceOf(RefusedAddressException.class)
                .hasMessageContaining("cdn.klingai.com");
    }

    @Test
    void acceptsPrivateResolutionsWhenPrivateAddressesAreAllowed() throws UnknownHostException {
        HostPolicy demo = new HostPolicy(List.of("127.0.0.1"), true);

        assertThatNoException().isThrownBy(() -> demo.checkAddresses("localhost",
                List.of(InetAddress.getByName("127.0.0.1"))));
        assertThatNoException().isThrownBy(() -> demo.check(HttpUrl.get("http://127.0.0.1:8080/a.mp4"), 0));
    }

    @Test
    void refusesAnAllowListedPrivateIpLiteralUnlessPrivateAddressesAreAllowed() {
        HostPolicy policy = new HostPolicy(List.of("127.0.0.1"), false);

        assertThatThrownBy(() -> policy.check(HttpUrl.get("http://127.0.0.1:8080/a.mp4?Signature=x"), 2))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("asset 2")
                .hasMessageContaining("private or local")
                .hasMessageNotContaining("Signature");
    }

    @Test
    void comparesIpv6LiteralsInCanonicalFormAndStillRefusesPrivateOnes() {
        HostPolicy policy = new HostPolicy(List.of("0:0:0:0:0:0:0:1"), false);

        assertThat(policy.isAllowedHost(HttpUrl.get("http://[::1]/").host())).isTrue();
        assertThatThrownBy(() -> policy.check(HttpUrl.get("http://[::1]:8080/a.mp4"), 0))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("private or local");
    }

    @Test
    void namesTheHostButNeverThePathOrQueryWhenRefusing() {
        assertThatThrownBy(() -> kling.check(HttpUrl.get("https://evil.example.net/secret/path.mp4?Signature=abc"), 1))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("asset 1")
                .hasMessageContaining("evil.example.net")
                .hasMessageContaining("allowed-hosts")
                .hasMessageNotContaining("secret/path")
                .hasMessageNotContaining("Signature");
    }
}
