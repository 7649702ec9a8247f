package io.klingrelay.archiver.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.klingrelay.common.error.TransientException;
import io.klingrelay.localstack.FreePorts;
import io.klingrelay.localstack.S3ProxyProcess;
import io.minio.MinioClient;
import java.nio.file.Path;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@link AssetStore} contract against a real s3proxy through the MinIO SDK. */
class MinioAssetStoreIT extends AssetStoreContract {

    private static final String ACCESS_KEY = "store-it";
    private static final String SECRET_KEY = "store-it-secret";
    private static final long PART_SIZE = 5L * 1024 * 1024;

    private static @Nullable S3ProxyProcess s3;
    private static @Nullable MinioAssetStore store;

    @BeforeAll
    static void startS3(@TempDir Path workDir) {
        s3 = S3ProxyProcess.start(S3ProxyProcess.jarFromSystemProperty(), FreePorts.next(), ACCESS_KEY, SECRET_KEY,
                null, workDir);
        store = new MinioAssetStore(client(s3.endpoint()), "store-it-" + UUID.randomUUID().toString().substring(0, 8),
                PART_SIZE);
        store.ensureBucket();
    }

    @AfterAll
    static void stopS3() {
        if (s3 != null) {
            s3.close();
        }
    }

    @Override
    protected AssetStore store() {
        return java.util.Objects.requireNonNull(store);
    }

    @Test
    void aStreamedBodyIsFoundByItsChecksumObjectButAnObjectWithoutOneIsNot() throws Exception {
        // GIVEN a body of unknown size larger than one part, streamed to its key
        String key = "acct/" + UUID.randomUUID() + "/video-0.mp4";
        byte[] body = new byte[6 * 1024 * 1024 + 17];
        new java.util.Random(3).nextBytes(body);
        StoredObject stored = store().put(key, new java.io.ByteArrayInputStream(body), "video/mp4", "req-9");

        // THEN it is found with its SHA-256 and size, from the checksum object
        String sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(body));
        assertThat(stored).isEqualTo(new StoredObject(key, body.length, sha256, "video/mp4"));
        assertThat(store().find(key)).contains(stored);

        // WHEN an object appears under a key without a checksum object (an archiver died in between)
        String orphan = "acct/" + UUID.randomUUID() + "/video-0.mp4";
        client(s3().endpoint()).putObject(io.minio.PutObjectArgs.builder().bucket(store().bucket()).object(orphan)
                .stream(new java.io.ByteArrayInputStream(body), (long) body.length, -1L).build());

        // THEN it does not count as archived
        assertThat(store().find(orphan)).isEmpty();
    }

    @Test
    void unreachableStorageIsAnObjectStoreOutageWhichIsTransient() {
        MinioAssetStore unreachable = new MinioAssetStore(client("http://127.0.0.1:" + FreePorts.next()), "any",
                PART_SIZE);

        assertThatThrownBy(() -> unreachable.find("acct/req/video-0.mp4"))
                .isInstanceOf(ObjectStoreUnavailableException.class).isInstanceOf(TransientException.class)
                .hasMessageContaining("object storage")
                .hasMessageNotContaining(SECRET_KEY);
    }

    private static S3ProxyProcess s3() {
        return java.util.Objects.requireNonNull(s3);
    }

    private static MinioClient client(String endpoint) {
        return MinioClient.builder().endpoint(endpoint).region("us-east-1").credentials(ACCESS_KEY, SECRET_KEY)
                .build();
    }
}
