package io.klingrelay.klingemulator.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.klingrelay.klingemulator.account.ResourcePacks;
import io.klingrelay.klingemulator.callback.CallbackSender;
import io.klingrelay.klingemulator.config.EmulatorProperties;
import io.klingrelay.klingemulator.config.EmulatorSettings;
import io.klingrelay.klingemulator.config.SettingsPatch;
import io.klingrelay.klingemulator.fault.FaultInjector;
import io.klingrelay.klingemulator.product.ImageGenerationProduct;
import io.klingrelay.klingemulator.product.TextToVideoProduct;
import io.klingrelay.klingemulator.stats.EmulatorStats;
import io.klingrelay.klingemulator.stats.TaskTimeline;
import io.klingrelay.klingemulator.task.AssetUrlSigner;
import io.klingrelay.klingemulator.wire.KlingApiException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.mock.env.MockEnvironment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TaskServiceTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final EmulatorProperties properties = new Binder(new MapConfigurationPropertySource(Map.of(
            "klingrelay.emulator.time-scale", "0.001",
            "klingrelay.emulator.accounts[0].id", "acct",
            "klingrelay.emulator.accounts[0].access-key", "ak",
            "klingrelay.emulator.accounts[0].secret-key", "sk",
            "klingrelay.emulator.accounts[0].concurrency", "3")))
            .bindOrCreate("klingrelay.emulator", EmulatorProperties.class);
    private final Clock clock = Clock.systemUTC();
    private final EmulatorSettings settings = new EmulatorSettings(properties);
    private final TaskStore store = new TaskStore();
    private final SlotLimiter slots = new SlotLimiter();
    private final EmulatorStats stats = new EmulatorStats(properties, slots);
    private final TaskIds ids = new TaskIds(clock);
    private final TaskRenderer renderer = new TaskRenderer(new AssetUrlSigner(properties, new MockEnvironment(), clock), properties, settings);
    private final CallbackSender callbacks = new CallbackSender(MAPPER, renderer, settings, stats, ids, clock, properties,
            new FaultInjector());
    private final ResourcePacks packs = new ResourcePacks(properties, clock);
    private final SlotScope scope = new SlotScope(properties, settings, packs);
    private final TaskEvents events = new TaskEvents(List.of(new TaskTimeline(), stats, callbacks));
    private final TaskLifecycle lifecycle = new TaskLifecycle(store, slots, events, settings, clock,
            packs,
            scope);
    private final TaskService service = new TaskService(store, slots, ids, lifecycle, settings, events, clock,
            new FaultInjector(),
            packs, properties,
            scope);
    private final TextToVideoProduct t2v = new TextToVideoProduct(properties, new EmulatorSettings(properties));
    private final ImageGenerationProduct images = new ImageGenerationProduct(properties, new EmulatorSettings(properties));

    @AfterEach
    void stop() {
        lifecycle.destroy();
        callbacks.destroy();
    }

    @Test
    void imageTasksHoldOneSlotPerImageAndReleaseThemWhenTheyEnd() {
        Task task = service.create("acct", images, json("{\"prompt\":\"p\",\"n\":3}"));

        assertThat(slots.running("acct")).isEqualTo(3);
        assertThatThrownBy(() -> service.create("acct", t2v, json("{\"prompt\":\"p\"}")))
                .isInstanceOfSatisfying(KlingApiException.class, e -> assertThat(e.klingCode().code()).isEqualTo(1303));
        awaitStatus(task.taskId(), TaskStatus.SUCCEED);
        assertThat(slots.running("acct")).isZero();
        assertThat(stats.view().accounts().get("acct").maxRunning()).isEqualTo(3);
    }

    @Test
    void aPromptWithTheFailureMarkerEndsFailedWithAReasonAndFreesItsSlot() {
        Task task = service.create("acct", t2v, json("{\"prompt\":\"please [[fail]] now\"}"));

        awaitStatus(task.taskId(), TaskStatus.FAILED);

        Task failed = store.get(task.taskId()).orElseThrow();
        assertThat(failed.statusMessage()).isNotEmpty();
        assertThat(renderer.render(failed).taskResult()).isNull();
        assertThat(renderer.render(failed).finalUnitDeduction()).isEqualTo("0");
        assertThat(slots.running("acct")).isZero();
    }

    @Test
    void returnExistingHandsBackTheEarlierTaskAndCountsTheDuplicate() {
        settings.apply(new SettingsPatch(null, null, null, EmulatorProperties.DuplicatePolicy.RETURN_EXISTING, null, null));
        Task first = service.create("acct", t2v, json("{\"prompt\":\"p\",\"external_task_id\":\"e1\"}"));

        Task second = service.create("acct", t2v, json("{\"prompt\":\"p\",\"external_task_id\":\"e1\"}"));

        assertThat(second.taskId()).isEqualTo(first.taskId());
        assertThat(stats.view().accounts().get("acct").duplicateExternalTaskIds()).isEqualTo(1);
        assertThat(stats.view().accounts().get("acct").creates()).isEqualTo(1);
    }

    @Test
    void acceptNewCreatesASecondTaskAndQueriesByExternalIdFindTheNewest() {
        settings.apply(new SettingsPatch(null, null, null, EmulatorProperties.DuplicatePolicy.ACCEPT_NEW, null, null));
        Task first = service.create("acct", t2v, json("{\"prompt\":\"p\",\"external_task_id\":\"e2\"}"));

        Task second = service.create("acct", t2v, json("{\"prompt\":\"p\",\"external_task_id\":\"e2\"}"));

        assertThat(second.taskId()).isNotEqualTo(first.taskId());
        assertThat(store.find("acct", t2v, "e2")).map(Task::taskId).contains(second.taskId());
        assertThat(stats.view().accounts().get("acct").duplicateExternalTaskIds()).isEqualTo(1);
    }

    @Test
    void rejectFreesNothingAndARejectedCapacityCreateDoesNotKeepTheExternalId() {
        service.create("acct", images, json("{\"prompt\":\"p\",\"n\":3}"));

        assertThatThrownBy(() -> service.create("acct", t2v, json("{\"prompt\":\"p\",\"external_task_id\":\"e3\"}")))
                .isInstanceOf(KlingApiException.class);

        assertThat(store.claimExternalId("acct", "e3", "probe")).isNull();
    }

    @Test
    void updatedAtChangesOnEveryTransition() {
        Task task = service.create("acct", t2v, json("{\"prompt\":\"p\"}"));

        awaitStatus(task.taskId(), TaskStatus.SUCCEED);

        assertThat(store.get(task.taskId()).orElseThrow().updatedAt()).isGreaterThan(task.updatedAt());
    }

    private void awaitStatus(String taskId, TaskStatus status) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(store.get(taskId)).map(Task::status).contains(status));
    }

    private static JsonNode json(String body) {
        return MAPPER.readTree(body);
    }
}
