package io.klingrelay.archiver.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.klingrelay.archiver.download.AssetReadException;
import io.klingrelay.common.error.PermanentException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The {@link AssetStore} contract (STYLE.md 22): run against the in-memory fake in a {@code *Test}
 * and against s3proxy through MinIO in a {@code *IT}.
 */
abstract class AssetStoreContract {

    /** @return the store under test, its bucket already created */
    protected abstract AssetStore store();

    @Test
    void findsNothingUnderAKeyNeverWritten() {
        assertThat(store().find("acct/" + UUID.randomUUID() + "/video-0.mp4")).isEmpty();
    }

    @Test
    void storesTheBodyWithItsSha256AndSizeAndFindsItAgain() throws Exception {
        // GIVEN
        String key = "acct/" + UUID.randomUUID() + "/image-0.png";
        byte[] body = randomBytes(200_000);

        // WHEN
        StoredObject stored = store().put(key, new ByteArrayInputStream(body), "image/png", "req-1");

        // THEN
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        assertThat(stored).isEqualTo(new StoredObject(key, body.length, sha256, "image/png"));
        assertThat(store().find(key)).contains(stored);
    }

    @Test
    void propagatesAClassifiedBodyFailureAndLeavesNoObject() {
        // GIVEN a body that passes the size cap half-way
        String key = "acct/" + UUID.randomUUID() + "/video-0.mp4";
        PermanentException tooLarge = new PermanentException("asset 0 is larger than klingrelay.archiver.max-asset-size");
        InputStream body = new InputStream() {
            private int read;

            @Override
            public int read() throws IOException {
                if (read++ > 1000) {
                    throw new AssetReadException(tooLarge);
                }
                return 7;
            }
        };

        // WHEN / THEN
        assertThatThrownBy(() -> store().put(key, body, "video/mp4", "req-2")).isSameAs(tooLarge);
        assertThat(store().find(key)).isEmpty();
    }

    @Test
    void presignsAGetUrlForTheObject() {
        String key = "acct/" + UUID.randomUUID() + "/image-0.png";
        store().put(key, new ByteArrayInputStream(randomBytes(10)), "image/png", "req-3");

        assertThat(store().presignedGetUrl(key, Duration.ofHours(1))).contains(key).contains(store().bucket());
    }

    @Test
    void ensuringTheBucketTwiceIsHarmless() {
        store().ensureBucket();
        store().ensureBucket();

        assertThat(store().find("acct/none/image-0.png")).isEmpty();
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
