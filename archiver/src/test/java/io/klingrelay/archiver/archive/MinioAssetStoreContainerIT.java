package io.klingrelay.archiver.archive;

import io.minio.MinioClient;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The {@link AssetStore} contract against a real MinIO server in Docker (STYLE.md 19). Runs only
 * in the {@code docker} profile ({@code ./mvnw verify -Pdocker}) and is skipped where no Docker
 * engine runs; the same contract runs against s3proxy in {@link MinioAssetStoreIT} everywhere.
 */
@Testcontainers(disabledWithoutDocker = true)
class MinioAssetStoreContainerIT extends AssetStoreContract {

    private static final long PART_SIZE = 5L * 1024 * 1024;

    @Container
    private static final MinIOContainer MINIO = new MinIOContainer("minio/minio:RELEASE.2023-09-04T19-57-37Z");

    private static @Nullable MinioAssetStore store;

    @BeforeAll
    static void createStore() {
        MinioClient client = MinioClient.builder().endpoint(MINIO.getS3URL()).region("us-east-1")
                .credentials(MINIO.getUserName(), MINIO.getPassword()).build();
        store = new MinioAssetStore(client, "container-it-" + UUID.randomUUID().toString().substring(0, 8), PART_SIZE);
        store.ensureBucket();
    }

    @Override
    protected AssetStore store() {
        return Objects.requireNonNull(store);
    }
}
