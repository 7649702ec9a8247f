package io.klingrelay.klingemulator.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.klingrelay.klingemulator.KlingEmulatorApplication;
import io.klingrelay.klingemulator.auth.Jwts;
import io.klingrelay.klingemulator.callback.WebhookSigner;
import io.klingrelay.klingemulator.config.EmulatorClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The conformance-checklist items of the 2026 API (emulator README, "Conformance", items 59–72; kling-api.md §3.3,
 * §10.4, §11.3, §13, §15), one test per item named after it, against the emulator over real HTTP.
 */
@SpringBootTest(classes = KlingEmulatorApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "klingrelay.emulator.time-scale=0.01",
            "klingrelay.emulator.callbacks.backoff=50ms",
            "klingrelay.emulator.callbacks.webhook-secret=" + NewApiConformanceIT.SECRET,
            "klingrelay.emulator.accounts[0].id=new",
            "klingrelay.emulator.accounts[0].access-key=ak-new",
            "klingrelay.emulator.accounts[0].secret-key=" + NewApiConformanceIT.SK_NEW,
            "klingrelay.emulator.accounts[0].concurrency=200",
            "klingrelay.emulator.accounts[0].api-key=" + NewApiConformanceIT.KEY_NEW,
            "klingrelay.emulator.accounts[0].additional-api-keys[0]=" + NewApiConformanceIT.KEY_NEW_2,
            "klingrelay.emulator.accounts[1].id=other",
            "klingrelay.emulator.accounts[1].access-key=ak-other",
            "klingrelay.emulator.accounts[1].secret-key=sk-other-0123456789abcdef0123456789",
            "klingrelay.emulator.accounts[1].concurrency=50",
            "klingrelay.emulator.accounts[1].api-key=" + NewApiConformanceIT.KEY_OTHER,
            "klingrelay.emulator.accounts[2].id=tiny",
            "klingrelay.emulator.accounts[2].access-key=ak-tiny",
            "klingrelay.emulator.accounts[2].secret-key=sk-tiny-0123456789abcdef01234567890",
            "klingrelay.emulator.accounts[2].concurrency=1",
            "klingrelay.emulator.accounts[2].api-key=" + NewApiConformanceIT.KEY_TINY,
            "klingrelay.emulator.accounts[3].id=lister",
            "klingrelay.emulator.accounts[3].access-key=ak-lister",
            "klingrelay.emulator.accounts[3].secret-key=sk-lister-0123456789abcdef012345678",
            "klingrelay.emulator.accounts[3].concurrency=500",
            "klingrelay.emulator.accounts[3].api-key=" + NewApiConformanceIT.KEY_LISTER,
            "klingrelay.emulator.new-api.unit-rates[0].model=kling-2.5-turbo",
            "klingrelay.emulator.new-api.unit-rates[0].resolution=720p",
            "klingrelay.emulator.new-api.unit-rates[0].per-second=0.25",
        })
class NewApiConformanceIT {

    static final String SECRET = "whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=";
    static final String SK_NEW = "sk-new-0123456789abcdef0123456789ab";
    static final String KEY_NEW = "api-key-new-0001";
    static final String KEY_NEW_2 = "api-key-new-0002";
    static final String KEY_OTHER = "api-key-other-0001";
    static final String KEY_TINY = "api-key-tiny-0001";
    static final String KEY_LISTER = "api-key-lister-0001";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String T2V_30 = "/text-to-video/kling-3.0";
    private static final String LEGACY_T2V = "/v1/videos/text2video";
    private static CallbackReceiver receiver;

    @LocalServerPort
    int port;

    @Autowired
    EmulatorClock clock;

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = new CallbackReceiver();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @AfterEach
    void clearFaults() throws Exception {
        send("DELETE", "/admin/faults", null);
        send("DELETE", "/admin/accounts/new/faults", null);
    }

    // ---------------------------------------------------------------- Authentication (§3.3)

    @Test
    @DisplayName("59. Static API keys (every configured key of an account) are accepted as Bearer on the 2026 paths and on /v1")
    void item59_apiKeysOnBothSurfaces() throws Exception {
        for (String key : List.of(KEY_NEW, KEY_NEW_2)) {
            assertThat(postAs("Bearer " + key, T2V_30, "{\"prompt\":\"k\"}").statusCode()).isEqualTo(200);
            assertThat(postAs("Bearer " + key, LEGACY_T2V, "{\"prompt\":\"k\"}").statusCode()).isEqualTo(200);
        }
        String jwt = "Bearer " + Jwts.official("ak-new", SK_NEW, clock.millis());
        assertThat(postAs(jwt, LEGACY_T2V, "{\"prompt\":\"jwt on v1\"}").statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("60. The 2026 paths take API keys only: an AK/SK JWT → 401 / 1002; no header → 401 / 1001; unknown key → 401 / 1002")
    void item60_newApiRefusesJwts() throws Exception {
        String jwt = "Bearer " + Jwts.official("ak-new", SK_NEW, clock.millis());
        assertError(postAs(jwt, T2V_30, "{\"prompt\":\"jwt\"}"), 401, 1002);
        assertError(getAs(jwt, "/tasks?task_ids=1"), 401, 1002);
        assertError(postAs(jwt, "/tasks", "{}"), 401, 1002);
        assertError(HTTP.send(HttpRequest.newBuilder(uri("/tasks?task_ids=1")).build(), ofString()), 401, 1001);
        assertError(postAs("Bearer no-such-key", T2V_30, "{\"prompt\":\"x\"}"), 401, 1002);
        assertError(postAs(KEY_NEW, T2V_30, "{\"prompt\":\"no Bearer\"}"), 401, 1002);
    }

    // ---------------------------------------------------------------- Create (§15)

    @Test
    @DisplayName("61. POST /<family>/<model> creates for every documented model: data{id, status submitted, message, create_time, update_time, external_id}")
    void item61_pathPerModelCreate() throws Exception {
        List<String[]> creates = List.of(
                new String[] {"/text-to-video/kling-3.0", "{\"prompt\":\"a\",\"settings\":{\"resolution\":\"4k\",\"duration\":15,\"audio\":\"native\",\"multi_shot\":true,\"aspect_ratio\":\"9:16\"}}"},
                new String[] {"/text-to-video/kling-3.0-turbo", "{\"prompt\":\"a\",\"settings\":{\"duration\":3}}"},
                new String[] {"/text-to-video/kling-2.6", "{\"contents\":[{\"type\":\"prompt\",\"text\":\"a\"}],\"settings\":{\"resolution\":\"1080p\",\"audio\":\"native\",\"duration\":10}}"},
                new String[] {"/text-to-video/kling-2.5-turbo", "{\"prompt\":\"a\"}"},
                new String[] {"/image-to-video/kling-3.0", "{\"contents\":[{\"type\":\"prompt\",\"text\":\"a\"},{\"type\":\"first_frame\",\"url\":\"https://example.com/a.png\"},{\"type\":\"last_frame\",\"url\":\"https://example.com/b.png\"},{\"type\":\"element\",\"element_id\":\"e1\",\"id\":\"Zhang\"}]}"},
                new String[] {"/image-to-video/kling-3.0-turbo", "{\"contents\":[{\"type\":\"first_frame\",\"url\":\"https://example.com/a.png\"}]}"},
                new String[] {"/image-to-video/kling-2.6", "{\"contents\":[{\"type\":\"first_frame\",\"url\":\"https://example.com/a.png\"}]}"},
                new String[] {"/image-to-video/kling-2.5-turbo", "{\"contents\":[{\"type\":\"first_frame\",\"url\":\"https://example.com/a.png\"},{\"type\":\"last_frame\",\"url\":\"https://example.com/b.png\"}],\"settings\":{\"resolution\":\"1080p\"}}"},
                new String[] {"/omni-video/kling-3.0-omni", "{\"contents\":[{\"type\":\"prompt\",\"text\":\"@image_1 walks\"},{\"type\":\"refer_image\",\"url\":\"https://example.com/a.png\",\"id\":\"image_1\"}],\"settings\":{\"audio\":\"original\"}}"},
                new String[] {"/omni-video/kling-o1", "{\"contents\":[{\"type\":\"prompt\",\"text\":\"a\"}],\"settings\":{\"duration\":7}}"},
                new String[] {"/motion-control/kling-3.0", "{\"contents\":[{\"type\":\"image\",\"url\":\"https://example.com/a.png\"},{\"type\":\"video\",\"url\":\"https://example.com/m.mp4\"}],\"settings\":{\"character_orientation\":\"video\"}}"},
                new String[] {"/motion-control/kling-2.6", "{\"contents\":[{\"type\":\"image\",\"url\":\"https://example.com/a.png\"},{\"type\":\"video\",\"url\":\"https://example.com/m.mp4\"}],\"settings\":{\"character_orientation\":\"image\"}}"});
        for (String[] create : creates) {
            HttpResponse<String> response = postAs("Bearer " + KEY_NEW, create[0], create[1]);
            assertThat(response.statusCode()).as(create[0] + " " + response.body()).isEqualTo(200);
            JsonNode body = json(response);
            assertThat(body.get("code").intValue()).isZero();
            assertThat(body.get("message").stringValue()).isEqualTo("SUCCEED");
            JsonNode data = body.get("data");
            assertThat(data.get("id").stringValue()).matches("\\d{18}");
            assertThat(data.get("status").stringValue()).isEqualTo("submitted");
            assertThat(data.get("message").stringValue()).isEmpty();
            assertThat(data.get("create_time").isIntegralNumber()).isTrue();
            assertThat(data.get("update_time").longValue()).isEqualTo(data.get("create_time").longValue());
            assertThat(data.has("task_id") || data.has("task_status")).as("no legacy fields").isFalse();
        }
        String externalId = "ext-" + UUID.randomUUID();
        JsonNode withExternal = post(T2V_30, "{\"prompt\":\"x\",\"options\":{\"external_task_id\":\"" + externalId
                + "\"}}").get("data");
        assertThat(withExternal.get("external_id").stringValue()).isEqualTo(externalId);
    }

    @Test
    @DisplayName("62. An unknown model in the path → 404 / 1203 naming the family's models; a model of another family → 404 / 1203")
    void item62_unknownModelInPath() throws Exception {
        HttpResponse<String> unknown = postAs("Bearer " + KEY_NEW, "/text-to-video/kling-9.9", "{\"prompt\":\"x\"}");
        assertError(unknown, 404, 1203);
        assertThat(json(unknown).get("message").stringValue()).contains("kling-3.0", "kling-3.0-turbo", "kling-2.6",
                "kling-2.5-turbo");
        assertError(postAs("Bearer " + KEY_NEW, "/omni-video/kling-3.0", "{\"prompt\":\"x\"}"), 404, 1203);
        assertError(postAs("Bearer " + KEY_NEW, "/motion-control/kling-2.5-turbo", "{\"prompt\":\"x\"}"), 404, 1203);
    }

    @Test
    @DisplayName("63. Legacy-only fields (negative_prompt, cfg_scale, camera_control, model_name) and bad settings/contents → 400 / 1201")
    void item63_legacyFieldsAndBadValuesAre1201() throws Exception {
        List<String[]> bad = List.of(
                new String[] {T2V_30, "{\"prompt\":\"x\",\"negative_prompt\":\"blur\"}", "negative_prompt"},
                new String[] {T2V_30, "{\"prompt\":\"x\",\"cfg_scale\":0.5}", "cfg_scale"},
                new String[] {T2V_30, "{\"prompt\":\"x\",\"camera_control\":{\"type\":\"down_back\"}}", "camera_control"},
                new String[] {T2V_30, "{\"prompt\":\"x\",\"model_name\":\"kling-v3\"}", "model_name"},
                new String[] {T2V_30, "{}", "prompt"},
                new String[] {T2V_30, "{\"prompt\":\"" + "p".repeat(3073) + "\"}", "prompt"},
                new String[] {T2V_30, "{\"prompt\":\"x\",\"settings\":{\"duration\":\"5\"}}", "settings.duration: must be an integer"},
                new String[] {T2V_30, "{\"prompt\":\"x\",\"settings\":{\"duration\":16}}", "settings.duration"},
                new String[] {"/text-to-video/kling-2.6", "{\"prompt\":\"x\",\"settings\":{\"duration\":7}}", "allowed values: 5, 10"},
                new String[] {"/text-to-video/kling-2.6", "{\"prompt\":\"x\",\"settings\":{\"resolution\":\"4k\"}}", "settings.resolution"},
                new String[] {"/text-to-video/kling-2.6", "{\"prompt\":\"x\",\"settings\":{\"audio\":\"native\"}}", "1080p"},
                new String[] {"/text-to-video/kling-2.6", "{\"prompt\":\"x\",\"settings\":{\"multi_shot\":true}}", "settings.multi_shot"},
                new String[] {"/text-to-video/kling-2.5-turbo", "{\"prompt\":\"x\",\"settings\":{\"audio\":\"native\"}}", "settings.audio"},
                new String[] {T2V_30, "{\"prompt\":\"x\",\"settings\":{\"aspect_ratio\":\"4:3\"}}", "settings.aspect_ratio"},
                new String[] {T2V_30, "{\"prompt\":\"x\",\"options\":{\"callback_url\":\"ftp://x\"}}", "options.callback_url"},
                new String[] {"/image-to-video/kling-3.0", "{\"contents\":[{\"type\":\"prompt\",\"text\":\"x\"}]}", "first_frame"},
                new String[] {"/image-to-video/kling-3.0-turbo", "{\"contents\":[{\"type\":\"first_frame\",\"url\":\"https://e/a.png\"},{\"type\":\"last_frame\",\"url\":\"https://e/b.png\"}]}", "contents[1].type"},
                new String[] {"/image-to-video/kling-3.0", "{\"contents\":[{\"type\":\"first_frame\",\"url\":\"data:image/png;base64,AAAA\"}]}", "File is not in a valid base64 format"},
                new String[] {"/image-to-video/kling-2.5-turbo", "{\"contents\":[{\"type\":\"first_frame\",\"url\":\"https://e/a.png\"},{\"type\":\"last_frame\",\"url\":\"https://e/b.png\"}]}", "1080p"},
                new String[] {"/motion-control/kling-3.0", "{\"contents\":[{\"type\":\"image\",\"url\":\"https://e/a.png\"},{\"type\":\"video\",\"url\":\"https://e/m.mp4\"}]}", "settings.character_orientation"},
                new String[] {"/omni-video/kling-o1", "{\"contents\":[{\"type\":\"prompt\",\"text\":\"x\"}],\"settings\":{\"duration\":11}}", "settings.duration"});
        for (String[] request : bad) {
            HttpResponse<String> response = postAs("Bearer " + KEY_NEW, request[0], request[1]);
            assertError(response, 400, 1201);
            assertThat(json(response).get("message").stringValue()).as(request[1]).contains(request[2]);
        }
        assertError(postAs("Bearer " + KEY_NEW, T2V_30, "[1]"), 400, 1200);
    }

    // ---------------------------------------------------------------- Results (§15, §4.2)

    @Test
    @DisplayName("64. Statuses submitted → processing → succeeded; outputs[{type video, id, url, duration}], billing[{charge_type unit, amount, package_type}]")
    void item64_statusesOutputsAndBilling() throws Exception {
        String id = post(T2V_30, "{\"prompt\":\"r\",\"settings\":{\"resolution\":\"1080p\",\"duration\":5},"
                + "\"options\":{\"watermark_info\":{\"enabled\":true}}}").get("data").get("id").stringValue();
        JsonNode pending = batch("task_ids=" + id).get(0);
        assertThat(pending.get("status").stringValue()).isIn("submitted", "processing");
        assertThat(pending.get("outputs")).isEmpty();
        assertThat(pending.get("billing")).isEmpty();
        JsonNode done = awaitNewStatus(id, "succeeded");
        assertThat(done.get("message").stringValue()).isEmpty();
        JsonNode output = done.get("outputs").get(0);
        assertThat(output.get("type").stringValue()).isEqualTo("video");
        assertThat(output.get("id").stringValue()).matches("\\d{18}");
        assertThat(output.get("duration").stringValue()).isEqualTo("5.1");
        assertThat(download(output.get("url").stringValue()).statusCode()).isEqualTo(200);
        assertThat(download(output.get("watermark_url").stringValue()).statusCode()).isEqualTo(200);
        JsonNode billing = done.get("billing").get(0);
        assertThat(billing.get("charge_type").stringValue()).isEqualTo("unit");
        assertThat(billing.get("amount").stringValue()).isEqualTo("4"); // kling-3.0, 1080p, no audio: 0.8/s × 5 s
        assertThat(billing.get("package_type").stringValue()).isEqualTo("video");
        assertThat(done.toString()).doesNotContain("\"succeed\"");
    }

    @Test
    @DisplayName("65. Units come from the configured table: billing.amount = legacy final_unit_deduction of the same model; failed tasks are charged nothing")
    void item65_unitsTableSharedWithLegacy() throws Exception {
        String modern = post(T2V_30, "{\"prompt\":\"u\",\"settings\":{\"resolution\":\"720p\",\"duration\":10,"
                + "\"audio\":\"native\"}}").get("data").get("id").stringValue();
        String legacy = post(LEGACY_T2V, "{\"prompt\":\"u\",\"model_name\":\"kling-v3\",\"mode\":\"std\","
                + "\"duration\":\"10\",\"sound\":\"on\"}").get("data").get("task_id").stringValue();
        String configured = post("/text-to-video/kling-2.5-turbo", "{\"prompt\":\"u\"}").get("data").get("id")
                .stringValue();
        String failed = post(T2V_30, "{\"prompt\":\"u [[fail]]\"}").get("data").get("id").stringValue();
        assertThat(awaitNewStatus(modern, "succeeded").get("billing").get(0).get("amount").stringValue()).isEqualTo("9");
        JsonNode legacyDone = awaitLegacySucceed(legacy);
        assertThat(legacyDone.get("final_unit_deduction").stringValue()).isEqualTo("9"); // 0.9/s × 10 s
        assertThat(batch("task_ids=" + legacy).get(0).get("billing").get(0).get("amount").stringValue()).isEqualTo("9");
        // a row of klingrelay.emulator.new-api.unit-rates replaces the default (0.3/s): 0.25/s × 5 s
        assertThat(awaitNewStatus(configured, "succeeded").get("billing").get(0).get("amount").stringValue())
                .isEqualTo("1.25");
        JsonNode failedTask = awaitNewStatus(failed, "failed");
        assertThat(failedTask.get("message").stringValue()).isNotEmpty();
        assertThat(failedTask.get("billing")).isEmpty();
        assertThat(failedTask.get("outputs")).isEmpty();
    }

    // ---------------------------------------------------------------- Batch query (§15)

    @Test
    @DisplayName("66. GET /tasks?task_ids= and ?external_task_ids= return the account's tasks of both surfaces in the 2026 shape, in the order asked; unknown ids are absent")
    void item66_batchQuery() throws Exception {
        String ext1 = "b1-" + UUID.randomUUID();
        String ext2 = "b2-" + UUID.randomUUID();
        String a = post(T2V_30, "{\"prompt\":\"a\",\"options\":{\"external_task_id\":\"" + ext1 + "\"}}").get("data")
                .get("id").stringValue();
        String b = post(LEGACY_T2V, "{\"prompt\":\"b\",\"external_task_id\":\"" + ext2 + "\"}").get("data")
                .get("task_id").stringValue();
        String foreign = postAs("Bearer " + KEY_OTHER, T2V_30, "{\"prompt\":\"c\"}").body();
        String foreignId = MAPPER.readTree(foreign).get("data").get("id").stringValue();
        JsonNode byIds = batch("task_ids=" + b + ",no-such-task," + a + "," + foreignId + "," + a);
        assertThat(byIds.valueStream().map(t -> t.get("id").stringValue()).toList()).containsExactly(b, a);
        assertThat(byIds.get(0).has("outputs") && byIds.get(0).has("billing")).isTrue();
        assertThat(byIds.get(0).get("external_id").stringValue()).isEqualTo(ext2);
        JsonNode byExternal = batch("external_task_ids=" + ext1 + ",unknown-ext," + ext2);
        assertThat(byExternal.valueStream().map(t -> t.get("id").stringValue()).toList()).containsExactly(a, b);
        assertThat(batch("task_ids=no-such-task")).isEmpty();
        awaitLegacySucceed(b);
        assertThat(batch("task_ids=" + b).get(0).get("status").stringValue()).isEqualTo("succeeded");
    }

    @Test
    @DisplayName("67. A batch takes 1–500 ids: 500 pass, 501 → 400 / 1201; neither or both parameters → 400 / 1201")
    void item67_batchLimits() throws Exception {
        String fiveHundred = IntStream.range(0, 500).mapToObj(i -> "id" + i).collect(Collectors.joining(","));
        assertThat(getAs("Bearer " + KEY_NEW, "/tasks?task_ids=" + fiveHundred).statusCode()).isEqualTo(200);
        assertError(getAs("Bearer " + KEY_NEW, "/tasks?task_ids=" + fiveHundred + ",one-more"), 400, 1201);
        assertError(getAs("Bearer " + KEY_NEW, "/tasks?external_task_ids=" + fiveHundred + ",x"), 400, 1201);
        assertError(getAs("Bearer " + KEY_NEW, "/tasks"), 400, 1201);
        assertError(getAs("Bearer " + KEY_NEW, "/tasks?task_ids=1&external_task_ids=2"), 400, 1201);
        assertError(getAs("Bearer " + KEY_NEW, "/tasks?task_ids=,"), 400, 1201);
    }

    // ---------------------------------------------------------------- Cursor listing (§15)

    @Test
    @DisplayName("68. POST /tasks pages data{result, count, next_cursor, has_more} newest first; tasks created meanwhile neither repeat nor shift a page")
    void item68_cursorListingIsStableWhileTasksAreCreated() throws Exception {
        // GIVEN 30 tasks of both surfaces on a fresh account
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            before.add(i % 3 == 0
                    ? postAs("Bearer " + KEY_LISTER, LEGACY_T2V, "{\"prompt\":\"l" + i + "\"}").body()
                    : postAs("Bearer " + KEY_LISTER, T2V_30, "{\"prompt\":\"l" + i + "\"}").body());
        }
        List<String> ids = before.stream().map(body -> MAPPER.readTree(body).get("data"))
                .map(data -> data.has("id") ? data.get("id").stringValue() : data.get("task_id").stringValue()).toList();
        // WHEN it is listed 7 at a time while 20 more tasks are being created
        JsonNode page = list(KEY_LISTER, "{\"limit\":7}");
        List<String> seen = new ArrayList<>(ids(page));
        ExecutorService creator = Executors.newSingleThreadExecutor();
        Future<?> creating = creator.submit(() -> {
            for (int i = 0; i < 20; i++) {
                postAs("Bearer " + KEY_LISTER, T2V_30, "{\"prompt\":\"meanwhile\"}");
            }
            return null;
        });
        while (page.get("has_more").booleanValue()) {
            assertThat(page.get("count").intValue()).isEqualTo(7);
            page = list(KEY_LISTER, "{\"limit\":7,\"cursor\":\"" + page.get("next_cursor").stringValue() + "\"}");
            seen.addAll(ids(page));
        }
        creating.get();
        creator.shutdown();
        // THEN every task that existed is listed exactly once, newest first, and nothing else
        assertThat(seen).hasSize(30).doesNotHaveDuplicates().containsExactlyElementsOf(ids.reversed());
        assertThat(page.get("next_cursor").stringValue()).isEmpty();
        assertThat(page.get("count").intValue()).isEqualTo(2);
        // and a new listing (default limit 100) sees all 50
        JsonNode all = list(KEY_LISTER, "{}");
        assertThat(all.get("count").intValue()).isEqualTo(50);
        assertThat(all.get("has_more").booleanValue()).isFalse();
        assertThat(all.get("result").get(0).has("outputs")).isTrue();
    }

    @Test
    @DisplayName("69. POST /tasks filters by status and product_type and by start_time/end_time (numbers or strings); bad values → 400 / 1201")
    void item69_cursorListingFiltersAndWindow() throws Exception {
        String video = post(T2V_30, "{\"prompt\":\"f\"}").get("data").get("id").stringValue();
        awaitNewStatus(video, "succeeded");
        long after = clock.millis();
        String image = post("/v1/images/generations", "{\"prompt\":\"f\",\"n\":1}").get("data").get("task_id")
                .stringValue();
        JsonNode images = list(KEY_NEW, "{\"filters\":[{\"key\":\"product_type\",\"values\":[\"image\"]}]}");
        assertThat(ids(images)).contains(image).doesNotContain(video);
        JsonNode succeeded = list(KEY_NEW, "{\"limit\":500,\"filters\":[{\"key\":\"status\",\"values\":[\"succeeded\"]}]}");
        assertThat(ids(succeeded)).contains(video);
        assertThat(succeeded.get("result").valueStream().map(t -> t.get("status").stringValue()).distinct())
                .containsExactly("succeeded");
        JsonNode window = list(KEY_NEW, "{\"start_time\":\"" + after + "\",\"end_time\":" + (clock.millis() + 1) + "}");
        assertThat(ids(window)).contains(image).doesNotContain(video);
        for (String bad : List.of("{\"limit\":0}", "{\"limit\":501}", "{\"cursor\":\"not-a-cursor\"}",
                "{\"start_time\":5,\"end_time\":5}", "{\"start_time\":\"yesterday\"}",
                "{\"filters\":[{\"key\":\"model\",\"values\":[\"x\"]}]}",
                "{\"filters\":[{\"key\":\"status\",\"values\":[\"succeed\"]}]}",
                "{\"filters\":[{\"key\":\"product_type\",\"values\":[\"audio\"]}]}")) {
            assertError(postAs("Bearer " + KEY_NEW, "/tasks", bad), 400, 1201);
        }
    }

    // ---------------------------------------------------------------- Callbacks (§11.3, §15)

    @Test
    @DisplayName("70. Callbacks of 2026 tasks carry the 2026 object (id, status … succeeded, outputs, billing, external_id) with Standard Webhooks headers")
    void item70_newApiCallbacks() throws Exception {
        String externalId = "cb-" + UUID.randomUUID();
        String id = post(T2V_30, "{\"prompt\":\"cb\",\"options\":{\"callback_url\":\"" + receiver.url()
                + "\",\"external_task_id\":\"" + externalId + "\"}}").get("data").get("id").stringValue();
        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.forNewApiTask(id).stream()
                .anyMatch(r -> r.body().path("status").asString("").equals("succeeded")));
        List<CallbackReceiver.Received> received = receiver.forNewApiTask(id);
        assertThat(received.stream().map(r -> r.body().get("status").stringValue()))
                .containsExactly("submitted", "processing", "succeeded");
        CallbackReceiver.Received last = received.getLast();
        JsonNode body = last.body();
        assertThat(body.get("external_id").stringValue()).isEqualTo(externalId);
        assertThat(body.get("outputs").get(0).get("type").stringValue()).isEqualTo("video");
        assertThat(body.get("billing").get(0).get("amount").stringValue()).isEqualTo("3"); // 720p default: 0.6/s × 5 s
        assertThat(body.has("create_time") && body.has("update_time") && body.has("message")).isTrue();
        assertThat(body.has("task_id") || body.has("task_status")).isFalse();
        assertThat(body).isEqualTo(batch("task_ids=" + id).get(0));
        long timestamp = Long.parseLong(last.header("webhook-timestamp"));
        String expected = new WebhookSigner(SECRET).sign(last.header("webhook-id"), timestamp, last.raw());
        assertThat(last.header("webhook-signature")).isEqualTo(expected);
    }

    // ---------------------------------------------------------------- Shared engine (§13, §19 items 52, 57)

    @Test
    @DisplayName("71. 2026 and legacy tasks share the account's slots (429 / 1303) and its fault plans (5002 with the task created)")
    void item71_sharedSlotsAndFaults() throws Exception {
        String id = postAs("Bearer " + KEY_TINY, T2V_30, "{\"prompt\":\"slot\"}").body();
        String running = MAPPER.readTree(id).get("data").get("id").stringValue();
        assertError(postAs("Bearer " + KEY_TINY, LEGACY_T2V, "{\"prompt\":\"second\"}"), 429, 1303);
        assertError(postAs("Bearer " + KEY_TINY, "/image-to-video/kling-2.6",
                "{\"contents\":[{\"type\":\"first_frame\",\"url\":\"https://e/a.png\"}]}"), 429, 1303);
        await().atMost(Duration.ofSeconds(15)).until(() -> postAs("Bearer " + KEY_TINY, T2V_30,
                "{\"prompt\":\"after " + running + "\"}").statusCode() == 200);
        // a create fault of the account acts on the 2026 surface too: the task exists although the reply is 5002
        HttpResponse<String> plan = send("PUT", "/admin/accounts/new/faults",
                "{\"create\":{\"rate\":1,\"code\":5002,\"taskCreated\":true}}");
        assertThat(plan.statusCode()).as(plan.body()).isEqualTo(200);
        String externalId = "lost-" + UUID.randomUUID();
        assertError(postAs("Bearer " + KEY_NEW, T2V_30, "{\"prompt\":\"lost\",\"options\":{\"external_task_id\":\""
                + externalId + "\"}}"), 504, 5002);
        send("DELETE", "/admin/accounts/new/faults", null);
        assertThat(batch("external_task_ids=" + externalId)).hasSize(1);
    }

    // ---------------------------------------------------------------- Legacy list for batching (§10.4)

    @Test
    @DisplayName("72. The legacy list takes pageSize up to 500 (a poller's batch over it); 501 → 400 / 1201")
    void item72_legacyListPageSize500() throws Exception {
        for (int i = 0; i < 3; i++) {
            post(LEGACY_T2V, "{\"prompt\":\"page\"}");
        }
        HttpResponse<String> page = getAs("Bearer " + KEY_NEW, LEGACY_T2V + "?pageNum=1&pageSize=500");
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(json(page).get("data").isArray()).isTrue();
        assertThat(json(page).get("data").size()).isBetween(3, 500);
        assertError(getAs("Bearer " + KEY_NEW, LEGACY_T2V + "?pageNum=1&pageSize=501"), 400, 1201);
    }

    // ---------------------------------------------------------------- Helpers

    private JsonNode list(String key, String body) throws Exception {
        HttpResponse<String> response = postAs("Bearer " + key, "/tasks", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode data = json(response).get("data");
        assertThat(data.get("count").intValue()).isEqualTo(data.get("result").size());
        return data;
    }

    private static List<String> ids(JsonNode page) {
        return page.get("result").valueStream().map(task -> task.get("id").stringValue()).toList();
    }

    private JsonNode awaitNewStatus(String id, String status) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            JsonNode data = batch("task_ids=" + id);
            assertThat(data).hasSize(1);
            last[0] = data.get(0);
            assertThat(last[0].get("status").stringValue()).isEqualTo(status);
        });
        return last[0];
    }

    private JsonNode awaitLegacySucceed(String taskId) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            HttpResponse<String> response = getAs("Bearer " + KEY_NEW, LEGACY_T2V + "/" + taskId);
            last[0] = json(response).get("data");
            assertThat(last[0].get("task_status").stringValue()).isEqualTo("succeed");
        });
        return last[0];
    }

    private JsonNode batch(String query) throws Exception {
        HttpResponse<String> response = getAs("Bearer " + KEY_NEW, "/tasks?" + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response).get("data");
    }

    private JsonNode post(String path, String body) throws Exception {
        HttpResponse<String> response = postAs("Bearer " + KEY_NEW, path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    private HttpResponse<String> postAs(String authorization, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", authorization)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                ofString());
    }

    private HttpResponse<String> getAs(String authorization, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", authorization)
                .header("Content-Type", "application/json").build(), ofString());
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .method(method, publisher).build(), ofString());
    }

    private static HttpResponse<byte[]> download(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void assertError(HttpResponse<String> response, int httpStatus, int code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(httpStatus);
        JsonNode body = MAPPER.readTree(response.body());
        assertThat(body.get("code").intValue()).as(response.body()).isEqualTo(code);
        assertThat(body.get("request_id").isString()).isTrue();
        assertThat(body.has("data")).as("error bodies carry no data").isFalse();
    }

    private static JsonNode json(HttpResponse<String> response) {
        return MAPPER.readTree(response.body());
    }

    private static HttpResponse.BodyHandler<String> ofString() {
        return HttpResponse.BodyHandlers.ofString();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
