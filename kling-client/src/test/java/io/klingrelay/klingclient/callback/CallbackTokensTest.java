package io.klingrelay.klingclient.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
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

    @Test
    void verifiesTokensOfEveryActiveSecretButIssuesWithTheCurrentOne() {
        String next = "next-callback-secret-for-tests-abcdefgh";
        CallbackTokens rotating = new CallbackTokens(next, List.of(SECRET));

        assertThat(rotating.token("brand-a", "r-1")).isEqualTo(new CallbackTokens(next).token("brand-a", "r-1"));
        assertThat(rotating.verify("brand-a", "r-1", tokens.token("brand-a", "r-1"))).isTrue();
        assertThat(rotating.verify("brand-a", "r-1", rotating.token("brand-a", "r-1"))).isTrue();
        assertThat(rotating.verify("brand-a", "r-2", tokens.token("brand-a", "r-1"))).isFalse();
        assertThat(tokens.verify("brand-a", "r-1", rotating.token("brand-a", "r-1"))).isFalse();
        assertThat(rotating.toString()).doesNotContain(next).doesNotContain(SECRET);
    }

    @Test
    void refusesAShortPreviousSecretWithoutPrintingIt() {
        assertThatThrownBy(() -> new CallbackTokens(SECRET, List.of("old-short")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("old-short");
    }

    @Test
    void knowsTheShapeOfEveryToken() {
        assertThat(CallbackTokens.isWellFormed(tokens.token("brand-a", "r-1"))).isTrue();
        assertThat(CallbackTokens.isWellFormed("short")).isFalse();
        assertThat(CallbackTokens.isWellFormed("a".repeat(44))).isFalse();
        assertThat(CallbackTokens.isWellFormed("a".repeat(42) + "=")).isFalse();
        assertThat(CallbackTokens.isWellFormed("a".repeat(42) + "\n")).isFalse();
    }
}
