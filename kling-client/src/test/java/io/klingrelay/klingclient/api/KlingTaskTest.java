package io.klingrelay.klingclient.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.klingrelay.common.event.AssetKind;
import io.klingrelay.common.event.TaskStatus;
import io.klingrelay.common.json.EventJson;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class KlingTaskTest {

    /** The real Dec 2025 callback body of kling-api.md §18 (R2), URL shortened. */
    private static final String REAL_CALLBACK = """
            {"task_id":"828338674605228111","task_status":"succeed","task_info":{},
             "task_result":{"images":[],"videos":[{"id":"828338674655576157",
               "url":"https://v15-kling-fdl.klingai.com/bs2/x.mp4?Expires=1768112080&Signature=abc&Key-Pair-Id=k",
               "duration":"5.1"}],"audios":[]},
             "task_status_msg":"","created_at":1765519848595,"updated_at":1765520080995}
            """;

    @Test
    void readsTheRealCallbackBody() {
        KlingTask task = EventJson.mapper().readValue(REAL_CALLBACK, KlingTask.class);

        assertThat(task.status()).isEqualTo(TaskStatus.SUCCEED);
        assertThat(task.externalTaskId()).isEmpty();
        assertThat(task.assets()).singleElement().satisfies(asset -> {
            assertThat(asset.kind()).isEqualTo(AssetKind.VIDEO);
            assertThat(asset.id()).isEqualTo("828338674655576157");
            assertThat(asset.duration()).isEqualTo("5.1");
        });
        assertThat(task.updatedAtInstant()).hasValueSatisfying(at -> assertThat(at.toEpochMilli()).isEqualTo(1765520080995L));
    }

    @Test
    void toleratesImagesWithoutIndexAndAMissingResult() {
        KlingTask images = EventJson.mapper().readValue("""
                {"task_id":"1","task_status":"succeed","task_result":{"images":[{"url":"http://a"},{"url":"http://b"}]}}
                """, KlingTask.class);
        KlingTask submitted = EventJson.mapper().readValue("""
                {"task_id":"2","task_status":"submitted","task_info":{"external_task_id":"r-2"}}
                """, KlingTask.class);

        assertThat(images.assets()).extracting(a -> a.index()).containsExactly(0, 1);
        assertThat(submitted.assets()).isEmpty();
        assertThat(submitted.externalTaskId()).contains("r-2");
    }

    @Test
    void readsASucceedWithoutAUrlAsAGenerationFailureWithAClearReason() {
        // GIVEN a succeed answer whose video entry has no url (the window that wedged a request for ever)
        KlingTask task = EventJson.mapper().readValue("""
                {"task_id":"1","task_status":"succeed","task_result":{"videos":[{"id":"v","duration":"5.1"}]},
                 "created_at":1,"updated_at":2}
                """, KlingTask.class);

        // WHEN the relay reads it
        KlingTask usable = task.withUsableResult();

        // THEN it is a failed task with the defect as its message, and building assets never throws
        assertThat(task.assets()).isEmpty();
        assertThat(usable.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(usable.taskStatusMsg()).isEqualTo("Kling reported succeed but task_result.videos[0] has no url");
        assertThat(usable.assets()).isEmpty();
    }

    @Test
    void readsASucceedWithoutAnyResultAsAGenerationFailure() {
        KlingTask task = EventJson.mapper().readValue("""
                {"task_id":"1","task_status":"succeed","task_result":{"videos":[],"images":[{"index":0,"url":""}]}}
                """, KlingTask.class);

        assertThat(task.withUsableResult().taskStatusMsg())
                .isEqualTo("Kling reported succeed but task_result.images[0] has no url");
        assertThat(EventJson.mapper().readValue("{\"task_id\":\"1\",\"task_status\":\"succeed\"}", KlingTask.class)
                .withUsableResult().taskStatusMsg()).isEqualTo("Kling reported succeed without any video or image in task_result");
    }

    @Test
    void leavesAUsableOrRunningTaskAsItIs() {
        KlingTask running = EventJson.mapper().readValue("{\"task_id\":\"1\",\"task_status\":\"processing\"}",
                KlingTask.class);
        KlingTask done = EventJson.mapper().readValue(REAL_CALLBACK, KlingTask.class);

        assertThat(running.withUsableResult()).isSameAs(running);
        assertThat(done.withUsableResult()).isSameAs(done);
    }

    @Test
    void readsTheUnitDeductionAtTheTopLevelOrInTaskInfo() {
        KlingTask top = EventJson.mapper().readValue("""
                {"task_id":"1","task_status":"succeed","final_unit_deduction":"0.04",
                 "task_result":{"videos":[{"id":"v","url":"https://cdn/v.mp4"}]}}
                """, KlingTask.class);
        KlingTask inInfo = EventJson.mapper().readValue("""
                {"task_id":"2","task_status":"failed","task_info":{"external_task_id":"r","final_unit_deduction":"8"}}
                """, KlingTask.class);
        KlingTask none = EventJson.mapper().readValue("""
                {"task_id":"3","task_status":"succeed","final_unit_deduction":"n/a"}
                """, KlingTask.class);

        assertThat(top.units()).contains(new BigDecimal("0.04"));
        assertThat(inInfo.units()).contains(new BigDecimal("8"));
        assertThat(none.units()).isEmpty();
        assertThat(top.withUsableResult().units()).contains(new BigDecimal("0.04"));
    }

    @Test
    void readsA2026TaskWithSucceededOutputsAndBilling() {
        JsonNode data = EventJson.mapper().readTree("""
                {"id":"901930004609634393","status":"succeeded","message":"","external_id":"r-26",
                 "create_time":1765519848595,"update_time":1765520080995,
                 "outputs":[{"type":"video","id":"v-1","url":"https://cdn.klingai.com/v.mp4","duration":"5.1"},
                            {"type":"audio","url":"https://cdn.klingai.com/a.mp3"},
                            {"type":"image","index":1,"url":"https://cdn.klingai.com/i.png"}],
                 "billing":[{"charge_type":"unit","amount":"6"},{"charge_type":"cash","amount":"0.5"},
                            {"charge_type":"unit","amount":1.5}]}
                """);

        KlingTask task = KlingTask.fromNewApi(data);

        assertThat(task.taskId()).isEqualTo("901930004609634393");
        assertThat(task.status()).isEqualTo(TaskStatus.SUCCEED);
        assertThat(task.externalTaskId()).contains("r-26");
        assertThat(task.updatedAtInstant()).hasValueSatisfying(at -> assertThat(at.toEpochMilli()).isEqualTo(1765520080995L));
        assertThat(task.assets()).extracting(a -> a.kind(), a -> a.index(), a -> a.id())
                .containsExactly(tuple(AssetKind.VIDEO, 0, "v-1"),
                        tuple(AssetKind.IMAGE, 1, null));
        assertThat(task.units()).contains(new BigDecimal("7.5"));
        assertThat(task.resultDefect()).isEmpty();
    }

    @Test
    void readsA2026CreateAnswerAndAFailure() {
        KlingTask created = KlingTask.fromNewApi(EventJson.mapper().readTree("""
                {"id":"901930004609634393","status":"submitted","message":"","create_time":1,"update_time":1}
                """));
        KlingTask failed = KlingTask.fromNewApi(EventJson.mapper().readTree("""
                {"id":"9","status":"failed","message":"content risk control","outputs":[]}
                """));

        assertThat(created.status()).isEqualTo(TaskStatus.SUBMITTED);
        assertThat(created.externalTaskId()).isEmpty();
        assertThat(created.units()).isEmpty();
        assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(failed.taskStatusMsg()).isEqualTo("content risk control");
        assertThat(failed.assets()).isEmpty();
    }
}
