package io.klingrelay.klingclient.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.klingrelay.common.error.AccountException;
import io.klingrelay.common.error.CapacityException;
import io.klingrelay.common.error.PermanentException;
import io.klingrelay.common.event.AssetKind;
import io.klingrelay.common.event.Product;
import io.klingrelay.common.event.TaskStatus;
import io.klingrelay.common.json.EventJson;
import io.klingrelay.klingclient.config.KlingAccount;
import io.klingrelay.klingclient.config.KlingProperties;
import io.klingrelay.klingemulator.KlingEmulatorApplication;
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

/** The client against the real emulator, over real HTTP. */
class KlingClientIT {

    private static final KlingAccount ACCOUNT = new KlingAccount("it-acct", "it-access-key",
            "it-secret-key-0123456789abcdef0123456789", 2);
    private static ConfigurableApplicationContext emulator;
    private static KlingClient client;

    @BeforeAll
    static void startEmulator() {
        emulator = SpringApplication.run(KlingEmulatorApplication.class,
                "--server.port=0",
                "--klingrelay.emulator.accounts[0].id=" + ACCOUNT.id(),
                "--klingrelay.emulator.accounts[0].access-key=" + ACCOUNT.accessKey(),
                "--klingrelay.emulator.accounts[0].secret-key=" + ACCOUNT.secretKey(),
                "--klingrelay.emulator.accounts[0].concurrency=2",
                "--klingrelay.emulator.time-scale=0.01");
        int port = ((WebServerApplicationContext) emulator).getWebServer().getPort();
        client = KlingClient.create(new KlingProperties(URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(2),
                Duration.ofSeconds(10), Duration.ofSeconds(60), List.of(ACCOUNT)), EventJson.mapper());
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @Test
    void createsAnImageTaskAndQueriesItToSucceedByBothIds() {
        String externalId = "img-" + UUID.randomUUID();
        KlingTask created = client.create(ACCOUNT, Product.IMAGE_GENERATION,
                Map.of("prompt", "A lighthouse at dusk, oil painting", "n", 2, "external_task_id", externalId));

        assertThat(created.status()).isEqualTo(TaskStatus.SUBMITTED);
        assertThat(created.externalTaskId()).contains(externalId);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                client.queryByTaskId(ACCOUNT, Product.IMAGE_GENERATION, created.taskId()).status())
                .isEqualTo(TaskStatus.SUCCEED));
        KlingTask byExternalId = client.findByExternalTaskId(ACCOUNT, Product.IMAGE_GENERATION, externalId).orElseThrow();
        assertThat(byExternalId.taskId()).isEqualTo(created.taskId());
        assertThat(byExternalId.assets()).hasSize(2).allSatisfy(asset -> assertThat(asset.kind()).isEqualTo(AssetKind.IMAGE));
    }

    @Test
    void findsNothingForAnUnknownExternalTaskId() {
        assertThat(client.findByExternalTaskId(ACCOUNT, Product.TEXT_TO_VIDEO, "never-" + UUID.randomUUID())).isEmpty();
    }

    @Test
    void classifiesValidationCapacityAndAuthenticationAnswers() {
        assertThatThrownBy(() -> client.create(ACCOUNT, Product.TEXT_TO_VIDEO, Map.of("prompt", "x".repeat(2501))))
                .isInstanceOfSatisfying(PermanentException.class, e -> assertThat(e.klingCode()).isEqualTo(1201));

        client.create(ACCOUNT, Product.TEXT_TO_VIDEO, Map.of("prompt", "slow one", "external_task_id", "c1-" + UUID.randomUUID()));
        client.create(ACCOUNT, Product.TEXT_TO_VIDEO, Map.of("prompt", "slow two", "external_task_id", "c2-" + UUID.randomUUID()));
        assertThatThrownBy(() -> client.create(ACCOUNT, Product.IMAGE_GENERATION, Map.of("prompt", "one more")))
                .isInstanceOfSatisfying(CapacityException.class, e -> assertThat(e.klingCode()).isEqualTo(1303));

        KlingAccount wrongKey = new KlingAccount(ACCOUNT.id(), ACCOUNT.accessKey(), "wrong-secret-0123456789abcdef0123", 2);
        assertThatThrownBy(() -> client.queryByTaskId(wrongKey, Product.TEXT_TO_VIDEO, "1"))
                .isInstanceOfSatisfying(AccountException.class, e -> {
                    assertThat(e.klingCode()).isEqualTo(1002);
                    assertThat(e.getMessage()).doesNotContain("wrong-secret");
                });
    }
}
