package io.klingrelay.coordination.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.common.event.StatusSource;
import io.klingrelay.common.event.TaskCompleted;
import io.klingrelay.common.event.TaskStatus;
import io.klingrelay.common.json.EventJson;
import io.klingrelay.klingclient.api.KlingTask;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TaskEventsTest {

    private static final Instant NOW = Instant.parse("2026-09-01T10:00:00Z");

    @Test
    void carriesTheUnitsKlingReportedIntoTheTerminalEventOfEitherObserver() {
        KlingTask legacy = EventJson.mapper().readValue("""
                {"task_id":"1","task_status":"failed","task_status_msg":"risk","final_unit_deduction":"0.04"}
                """, KlingTask.class);
        KlingTask newApi = KlingTask.fromNewApi(EventJson.mapper().readTree("""
                {"id":"2","status":"succeeded","outputs":[{"type":"image","index":0,"url":"https://cdn/i.png"}],
                 "billing":[{"charge_type":"unit","amount":"3"}]}
                """));

        TaskCompleted fromPoller = TaskEvents.completed("brand-a", "r-1", legacy, TaskStatus.FAILED, null,
                StatusSource.POLLER, NOW);
        TaskCompleted fromWebhook = TaskEvents.completed("brand-a", "r-2", newApi, newApi.status(), null,
                StatusSource.WEBHOOK, NOW);

        assertThat(fromPoller.units()).isEqualByComparingTo("0.04");
        assertThat(fromWebhook.units()).isEqualByComparingTo("3");
        assertThat(fromWebhook.assets()).hasSize(1);
    }

    @Test
    void leavesUnitsOutWhenKlingDidNotReportThem() {
        KlingTask task = new KlingTask("1", "succeed", "", null, null, null, null);

        TaskCompleted completed = TaskEvents.completed("brand-a", "r-1", task, TaskStatus.FAILED, null,
                StatusSource.POLLER, NOW);

        assertThat(completed.units()).isNull();
        assertThat(EventJson.mapper().writeValueAsString(completed)).doesNotContain("units");
    }
}
