package io.klingrelay.klingclient.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class KlingAccountTest {

    private static final String API_KEY = "kling-api-key-never-to-be-logged-0123456789";
    private static final String SECRET_KEY = "secret-key-never-to-be-logged-0123456789abc";

    @TempDir
    Path dir;

    private static KlingProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bind("klingrelay.kling", Bindable.of(KlingProperties.class)).get();
    }

    @Test
    void bindsAccountsOfBothCredentialKindsEachOnItsOwnBaseUrlOrTheDefault() throws IOException {
        Path keyFile = Files.writeString(dir.resolve("beijing.key"), API_KEY + "\n");

        KlingProperties kling = bind(Map.of(
                "klingrelay.kling.base-url", "https://api-singapore.klingai.com/",
                "klingrelay.kling.accounts[0].id", "sg-legacy",
                "klingrelay.kling.accounts[0].access-key", "ak-sg-0001",
                "klingrelay.kling.accounts[0].secret-key", SECRET_KEY,
                "klingrelay.kling.accounts[1].id", "cn-2026",
                "klingrelay.kling.accounts[1].api-key-file", keyFile.toString(),
                "klingrelay.kling.accounts[1].base-url", "https://api-beijing.klingai.com/",
                "klingrelay.kling.accounts[1].concurrency-limit", "9"));

        KlingAccount legacy = kling.account("sg-legacy");
        KlingAccount newApi = kling.account("cn-2026");
        assertThat(legacy.hasAccessKeys()).isTrue();
        assertThat(legacy.hasApiKey()).isFalse();
        assertThat(legacy.baseUrl()).isEqualTo(URI.create("https://api-singapore.klingai.com"));
        assertThat(legacy.concurrencyLimit()).isEqualTo(5);
        assertThat(newApi.apiKey()).isEqualTo(API_KEY);
        assertThat(newApi.hasAccessKeys()).isFalse();
        assertThat(newApi.baseUrl()).isEqualTo(URI.create("https://api-beijing.klingai.com"));
        assertThat(newApi.concurrencyLimit()).isEqualTo(9);
    }

    @Test
    void neverShowsAKeyInToStringOrInTheMessageOfABadConfiguration() throws IOException {
        KlingAccount both = new KlingAccount("both", "ak-visible-prefix", SECRET_KEY, 3, API_KEY, null, null,
                URI.create("http://proxy.internal:8080"));
        Path empty = Files.writeString(dir.resolve("empty.key"), "  \n");

        assertThat(both.toString()).contains("both", "ak-v****", "http://proxy.internal:8080")
                .doesNotContain(API_KEY, SECRET_KEY, "ak-visible-prefix");
        assertThat(bindSafely(Map.of("klingrelay.kling.accounts[0].id", "x",
                "klingrelay.kling.accounts[0].api-key", API_KEY)).toString()).doesNotContain(API_KEY);
        assertThatThrownBy(() -> new KlingAccount("half", "ak-only", null, 1, null, null, null, null))
                .hasMessageContaining("access-key and secret-key").hasMessageNotContaining("ak-only");
        assertThatThrownBy(() -> new KlingAccount("nokey", null, null, 1, null, empty, null, null))
                .hasMessageContaining("api-key-file").hasMessageContaining("is empty");
        assertThatThrownBy(() -> new KlingAccount("missing", null, null, 1, null, dir.resolve("nope"), null, null))
                .hasMessageContaining("cannot read");
        assertThatThrownBy(() -> new KlingAccount("none", null, null, 1, null, null, null, null))
                .hasMessageContaining("set api-key (or api-key-file), or both access-key and secret-key");
    }

    private static KlingProperties bindSafely(Map<String, String> values) {
        return bind(values);
    }

    @Test
    void readsTheSecretKeyFromAFileToo() throws IOException {
        Path secret = Files.writeString(dir.resolve("sk"), SECRET_KEY);

        KlingAccount account = new KlingAccount("file", "ak-file-0001", null, 2, null, null, secret, null);

        assertThat(account.secretKey()).isEqualTo(SECRET_KEY);
        assertThat(account.baseUrlOr(URI.create("http://default"))).isEqualTo(URI.create("http://default"));
    }
}
