package io.klingrelay.klingclient.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.klingrelay.common.error.PermanentException;
import io.klingrelay.common.event.AssetKind;
import io.klingrelay.common.event.Product;
import io.klingrelay.common.event.TaskStatus;
import io.klingrelay.common.json.EventJson;
import io.klingrelay.klingclient.config.KlingAccount;
import io.klingrelay.klingclient.config.KlingProperties;
import io.klingrelay.klingemulator.KlingEmulatorApplication;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The client against the real emulator's 2026 surface (kling-api.md §15) and the legacy products
 * added in issue 9 (§9): path-per-model create with an API key, single lookups through
 * {@code GET /tasks}, {@code succeeded} read as {@code succeed}, outputs and units; multi-image-to-video
 * and video extension on {@code /v1} with AK/SK.
 */
class KlingClientNewApiIT {

    private static final String API_KEY = "it-new-api-key-0123456789abcdef";
    private static final KlingAccount LEGACY = new KlingAccount("it-legacy", "it-legacy-access",
            "it-legacy-secret-0123456789abcdef0123456", 4);
    private static ConfigurableApplicationContext emulator;
    private static KlingClient client;
    private static KlingAccount newApi;

    @BeforeAll
    static void startEmulator() {
        emulator = SpringApplication.run(KlingEmulatorApplication.class,
                "--server.port=0",
                "--klingrelay.emulator.accounts[0].id=it-2026",
                "--klingrelay.emulator.accounts[0].access-key=it-2026-access",
                "--klingrelay.emulator.accounts[0].secret-key=it-2026-secret-0123456789abcdef012345",
                "--klingrelay.emulator.accounts[0].api-key=" + API_KEY,
                "--klingrelay.emulator.accounts[0].concurrency=4",
                "--klingrelay.emulator.accounts[1].id=" + LEGACY.id(),
                "--klingrelay.emulator.accounts[1].access-key=" + LEGACY.accessKey(),
                "--klingrelay.emulator.accounts[1].secret-key=" + LEGACY.secretKey(),
                "--klingrelay.emulator.accounts[1].concurrency=4",
                "--klingrelay.emulator.time-scale=0.01");
        URI base = URI.create("http://127.0.0.1:" + ((WebServerApplicationContext) emulator).getWebServer().getPort());
        newApi = KlingAccount.withApiKey("it-2026", API_KEY, 4, base);
        client = KlingClient.create(new KlingProperties(base, Duration.ofSeconds(2), Duration.ofSeconds(10),
                Duration.ofSeconds(60), List.of(newApi, LEGACY)), EventJson.mapper());
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    private static KlingTask awaitSucceed(KlingAccount account, Product product, String taskId) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                client.queryByTaskId(account, product, taskId).status()).isEqualTo(TaskStatus.SUCCEED));
        return client.queryByTaskId(account, product, taskId);
    }

    @Test
    void createsAKling30TextToVideoTaskAndReadsItsSucceededOutputsAndUnits() {
        String externalId = "t2v-" + UUID.randomUUID();

        KlingTask created = client.create(newApi, Product.TEXT_TO_VIDEO, Map.of("model_name", "kling-3.0",
                "prompt", "A paper boat on a rainy street", "duration", "5", "mode", "pro", "aspect_ratio", "16:9",
                "external_task_id", externalId));

        assertThat(created.status()).isEqualTo(TaskStatus.SUBMITTED);
        assertThat(created.externalTaskId()).contains(externalId);
        KlingTask done = awaitSucceed(newApi, Product.TEXT_TO_VIDEO, created.taskId());
        assertThat(done.assets()).singleElement().satisfies(asset -> {
            assertThat(asset.kind()).isEqualTo(AssetKind.VIDEO);
            assertThat(asset.url()).startsWith("http");
        });
        // kling-3.0, 1080p, no audio: 0.8 units per second x 5 s (emulator README, units table)
        assertThat(done.units()).hasValueSatisfying(units -> assertThat(units).isEqualByComparingTo("4"));
        assertThat(client.findByExternalTaskId(newApi, Product.TEXT_TO_VIDEO, externalId))
                .hasValueSatisfying(task -> assertThat(task.taskId()).isEqualTo(created.taskId()));
        assertThat(client.findByExternalTaskId(newApi, Product.TEXT_TO_VIDEO, "never-" + UUID.randomUUID())).isEmpty();
    }

    @Test
    void createsImageToVideoAndOmniVideoOnThe2026Paths() {
        KlingTask i2v = client.create(newApi, Product.IMAGE_TO_VIDEO, Map.of("model_name", "kling-3.0-turbo",
                "prompt", "waves", "image", "https://example.org/first.png", "duration", "5", "mode", "std",
                "external_task_id", "i2v-" + UUID.randomUUID()));
        KlingTask omni = client.create(newApi, Product.OMNI_VIDEO, Map.of("model_name", "kling-3.0-omni",
                "prompt", "<<<image_1>>> walks on the beach", "image_list",
                List.of(Map.of("image_url", "https://example.org/ref.png")), "duration", "5",
                "external_task_id", "omni-" + UUID.randomUUID()));

        assertThat(awaitSucceed(newApi, Product.IMAGE_TO_VIDEO, i2v.taskId()).assets()).hasSize(1);
        assertThat(awaitSucceed(newApi, Product.OMNI_VIDEO, omni.taskId()).units()).isPresent();
    }

    @Test
    void refusesA2026ModelForAnAccountWithoutAnApiKey() {
        assertThatThrownBy(() -> client.create(LEGACY, Product.TEXT_TO_VIDEO, Map.of("model_name", "kling-3.0",
                "prompt", "p"))).isInstanceOf(PermanentException.class).hasMessageContaining("API key");
    }

    @Test
    void createsMultiImageToVideoAndExtendsItsVideoOnV1() {
        KlingTask source = client.create(LEGACY, Product.MULTI_IMAGE_TO_VIDEO, Map.of("model_name", "kling-v1-6",
                "prompt", "two friends waving", "image_list", List.of(Map.of("image", "https://example.org/a.png"),
                        Map.of("image", "https://example.org/b.png")), "external_task_id", "multi-" + UUID.randomUUID()));
        KlingTask generated = awaitSucceed(LEGACY, Product.MULTI_IMAGE_TO_VIDEO, source.taskId());
        String videoId = generated.assets().getFirst().id();

        KlingTask extension = client.create(LEGACY, Product.VIDEO_EXTEND, Map.of("video_id", videoId,
                "prompt", "and they walk away", "external_task_id", "extend-" + UUID.randomUUID()));

        assertThat(awaitSucceed(LEGACY, Product.VIDEO_EXTEND, extension.taskId()).assets()).singleElement()
                .satisfies(asset -> assertThat(asset.kind()).isEqualTo(AssetKind.VIDEO));
        assertThat(generated.units().map(BigDecimal::signum).orElse(1)).isPositive();
    }
}
