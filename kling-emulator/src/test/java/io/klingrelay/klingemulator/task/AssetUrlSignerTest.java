package io.klingrelay.klingemulator.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.klingemulator.task.AssetUrlSigner.Verdict;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class AssetUrlSignerTest {

    private static final long UPDATED_AT = 1_765_520_080_995L;
    private static final byte[] SECRET = "asset-secret".getBytes(StandardCharsets.UTF_8);

    @Test
    void expiresThirtyDaysAfterUpdatedAtInSeconds() {
        AssetUrlSigner signer = signerAt(UPDATED_AT);

        Map<String, String> query = query(signer.url("828338674605228111", 0, "mp4", UPDATED_AT));

        assertThat(query.get("Expires")).isEqualTo("1768112080");
        assertThat(query.get("Key-Pair-Id")).isEqualTo("KPID");
        assertThat(signer.url("828338674605228111", 0, "mp4", UPDATED_AT))
                .startsWith("http://cdn.test/assets/828338674605228111/0.mp4?Expires=1768112080&Signature=");
    }

    @Test
    void acceptsItsOwnSignatureUntilExpires() {
        AssetUrlSigner signer = signerAt(UPDATED_AT);
        Map<String, String> query = query(signer.url("1", 2, "png", UPDATED_AT));

        assertThat(signer.verify("1/2.png", Long.parseLong(query.get("Expires")), query.get("Signature"), "KPID"))
                .isEqualTo(Verdict.VALID);
    }

    @Test
    void rejectsATamperedFileExpiresSignatureOrKeyPair() {
        AssetUrlSigner signer = signerAt(UPDATED_AT);
        Map<String, String> query = query(signer.url("1", 0, "png", UPDATED_AT));
        long expires = Long.parseLong(query.get("Expires"));
        String signature = query.get("Signature");

        assertThat(signer.verify("1/1.png", expires, signature, "KPID")).isEqualTo(Verdict.BAD_SIGNATURE);
        assertThat(signer.verify("1/0.png", expires + 1, signature, "KPID")).isEqualTo(Verdict.BAD_SIGNATURE);
        assertThat(signer.verify("1/0.png", expires, signature + "x", "KPID")).isEqualTo(Verdict.BAD_SIGNATURE);
        assertThat(signer.verify("1/0.png", expires, signature, "OTHER")).isEqualTo(Verdict.BAD_SIGNATURE);
    }

    @Test
    void reportsExpiredOncePastExpires() {
        String url = signerAt(UPDATED_AT).url("1", 0, "png", UPDATED_AT);
        Map<String, String> query = query(url);
        long expires = Long.parseLong(query.get("Expires"));

        AssetUrlSigner later = signerAt((expires + 1) * 1000);

        assertThat(later.verify("1/0.png", expires, query.get("Signature"), "KPID")).isEqualTo(Verdict.EXPIRED);
    }

    private static AssetUrlSigner signerAt(long nowMillis) {
        return new AssetUrlSigner(SECRET, "KPID", 2_592_000, "http://cdn.test/", new MockEnvironment(),
                Clock.fixed(Instant.ofEpochMilli(nowMillis), ZoneOffset.UTC));
    }

    private static Map<String, String> query(String url) {
        return Arrays.stream(URI.create(url).getRawQuery().split("&")).map(p -> p.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> p[1]));
    }
}
