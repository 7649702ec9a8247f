package io.klingrelay.klingclient.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.klingrelay.common.error.AccountException;
import io.klingrelay.common.event.Product;
import io.klingrelay.common.json.EventJson;
import io.klingrelay.klingclient.config.KlingAccount;
import io.klingrelay.klingclient.config.KlingProperties;
import io.klingrelay.klingemulator.KlingEmulatorApplication;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The list endpoint (kling-api.md §10.4) against the real emulator, over real HTTP. */
class KlingTaskQueriesIT {

    private static final KlingAccount ACCOUNT = new KlingAccount("list-acct", "list-access-key",
            "list-secret-key-0123456789abcdef0123456789", 10);
    private static final KlingAccount WRONG_SECRET = new KlingAccount("list-acct", "list-access-key",
            "not-the-secret-key-0123456789abcdef0123", 10);
    private static final String API_KEY = "list-api-key-0123456789abcdef";
    private static final KlingAccount WITH_API_KEY = KlingAccount.withApiKey("list-acct", API_KEY, 10, null);
    private static ConfigurableApplicationContext emulator;
    private static KlingClient client;
    private static KlingTaskQueries queries;
    private static final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeAll
    static void startEmulator() {
        emulator = SpringApplication.run(KlingEmulatorApplication.class,
                "--server.port=0",
                "--klingrelay.emulator.accounts[0].id=" + ACCOUNT.id(),
                "--klingrelay.emulator.accounts[0].access-key=" + ACCOUNT.accessKey(),
                "--klingrelay.emulator.accounts[0].secret-key=" + ACCOUNT.secretKey(),
                "--klingrelay.emulator.accounts[0].concurrency=10",
                "--klingrelay.emulator.accounts[0].api-key=" + API_KEY,
                "--klingrelay.emulator.time-scale=0.01");
        int port = ((WebServerApplicationContext) emulator).getWebServer().getPort();
        KlingProperties properties = new KlingProperties(URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(2),
                Duration.ofSeconds(10), Duration.ofSeconds(60), List.of(ACCOUNT));
        client = KlingClient.create(properties, EventJson.mapper());
        queries = KlingTaskQueries.create(properties, EventJson.mapper(), new KlingCallMetrics(meters),
                UnaryOperator.identity());
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @Test
    void listsAnAccountsTasksOfOneProductNewestFirstPageByPage() {
        // GIVEN five text-to-video tasks
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(client.create(ACCOUNT, Product.TEXT_TO_VIDEO,
                    Map.of("prompt", "A lighthouse, take " + i, "external_task_id", "list-" + UUID.randomUUID()))
                    .taskId());
        }

        // WHEN the list is read in pages of 3
        List<KlingTask> first = queries.listPage(ACCOUNT, Product.TEXT_TO_VIDEO, 1, 3);
        List<KlingTask> second = queries.listPage(ACCOUNT, Product.TEXT_TO_VIDEO, 2, 3);
        List<KlingTask> third = queries.listPage(ACCOUNT, Product.TEXT_TO_VIDEO, 3, 3);

        // THEN the pages hold every task once, newest first, each with its status and times; another product's list is
        // empty; each page was one timed call
        assertThat(first).extracting(KlingTask::taskId).containsExactly(created.get(4), created.get(3), created.get(2));
        assertThat(second).extracting(KlingTask::taskId).containsExactly(created.get(1), created.get(0));
        assertThat(third).isEmpty();
        assertThat(first).allSatisfy(task -> {
            assertThat(task.taskStatus()).isNotBlank();
            assertThat(task.createdAt()).isNotNull();
        });
        assertThat(queries.listPage(ACCOUNT, Product.IMAGE_TO_VIDEO, 1, 500)).isEmpty();
        assertThat(meters.get(KlingCallMetrics.CALLS).tag("operation", KlingTaskQueries.LIST)
                .tag("outcome", KlingCallMetrics.SUCCESS).timers().stream().mapToLong(timer -> timer.count()).sum())
                .isEqualTo(4);
    }

    @Test
    void queriesTasksByIdInOneCallWithTheAccountsApiKeyLeavingOutUnknownIds() {
        // GIVEN two tasks of the account (image tasks: the text-to-video list is the other test's)
        String first = client.create(ACCOUNT, Product.IMAGE_GENERATION, Map.of("prompt", "A lighthouse")).taskId();
        String second = client.create(ACCOUNT, Product.IMAGE_GENERATION, Map.of("prompt", "A harbour")).taskId();

        // WHEN both and an unknown id are asked in one 2026 batch query (GET /tasks?task_ids=…)
        List<KlingTask> tasks = queries.byTaskIds(WITH_API_KEY, Product.IMAGE_GENERATION,
                List.of(first, "404404", second));

        // THEN Kling's answer holds the two known tasks, read into the relay's shape
        assertThat(tasks).extracting(KlingTask::taskId).containsExactlyInAnyOrder(first, second);
        assertThat(tasks).allSatisfy(task -> assertThat(task.taskStatus()).isIn("submitted", "processing", "succeed"));
        assertThatThrownBy(() -> queries.byTaskIds(WITH_API_KEY, Product.TEXT_TO_VIDEO, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesPagesOutsideKlingsRangesAndClassifiesAnAuthenticationFailure() {
        assertThatThrownBy(() -> queries.listPage(ACCOUNT, Product.TEXT_TO_VIDEO, 1, 501))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> queries.listPage(ACCOUNT, Product.TEXT_TO_VIDEO, 0, 30))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> queries.listPage(WRONG_SECRET, Product.TEXT_TO_VIDEO, 1, 30))
                .isInstanceOf(AccountException.class);
    }
}
