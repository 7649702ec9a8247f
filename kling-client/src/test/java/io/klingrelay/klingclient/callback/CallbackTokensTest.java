package io.klingrelay.klingclient.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class CallbackTokensTest {

    private static final String SECRET = "callback-secret-for-tests-0123456789";
    private final CallbackTokens tokens = new CallbackTokens(SECRET);

    @Test
    void buildsAPerTaskUrlWhoseTokenVerifies() {
        URI url = tokens.callbackUrl(URI.create("http://127.0.0.1:8081/"), "brand-a", "r-1");

        assertThat(url.getPath()).startsWith("/callbacks/brand-a/r-1/");
        String token = url.getPath().substring(url.getPath().lastIndexOf('/') + 1);
        assertThat(tokens.verify("brand-a", "r-1", token)).isTrue();
        assertThat(tokens.verify("brand-a", "r-2", token)).isFalse();
        assertThat(tokens.verify("brand-b", "r-1", token)).isFalse();
        assertThat(new CallbackTokens(SECRET + "x").verify("brand-a", "r-1", token)).isFalse();
    }

    @Test
    void refusesShortSecretsAndNeverPrintsTheSecret() {
        assertThatThrownBy(() -> new CallbackTokens("short")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("short");
        assertThat(tokens.toString()).doesNotContain(SECRET);
    }
}
