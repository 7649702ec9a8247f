package io.klingrelay.klingemulator.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import io.klingrelay.klingemulator.KlingEmulatorApplication;
import io.klingrelay.klingemulator.auth.Jwts;
import io.klingrelay.klingemulator.callback.WebhookSigner;
import io.klingrelay.klingemulator.config.EmulatorClock;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One test per item of the emulator conformance checklist (kling-api.md §19), named after it, against the
 * emulator over real HTTP (items 47 and 54 start a second emulator with another configuration).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "klingrelay.emulator.time-scale=0.01",
        "klingrelay.emulator.callbacks.backoff=50ms",
        "klingrelay.emulator.callbacks.webhook-secret=" + ConformanceChecklistIT.SECRET,
        "klingrelay.emulator.callbacks.previous-webhook-secret=" + ConformanceChecklistIT.OLD_SECRET,
        "klingrelay.emulator.accounts[0].id=main",
        "klingrelay.emulator.accounts[0].access-key=ak-main",
        "klingrelay.emulator.accounts[0].secret-key=" + ConformanceChecklistIT.SK_MAIN,
        "klingrelay.emulator.accounts[0].concurrency=50",
        "klingrelay.emulator.accounts[0].api-key=" + ConformanceChecklistIT.API_KEY,
        "klingrelay.emulator.accounts[1].id=small",
        "klingrelay.emulator.accounts[1].access-key=ak-small",
        "klingrelay.emulator.accounts[1].secret-key=" + ConformanceChecklistIT.SK_SMALL,
        "klingrelay.emulator.accounts[1].concurrency=1",
        "klingrelay.emulator.accounts[2].id=img",
        "klingrelay.emulator.accounts[2].access-key=ak-img",
        "klingrelay.emulator.accounts[2].secret-key=" + ConformanceChecklistIT.SK_IMG,
        "klingrelay.emulator.accounts[2].concurrency=3",
        "klingrelay.emulator.accounts[3].id=faulty",
        "klingrelay.emulator.accounts[3].access-key=ak-faulty",
        "klingrelay.emulator.accounts[3].secret-key=" + ConformanceChecklistIT.SK_FAULTY,
        "klingrelay.emulator.accounts[3].concurrency=50",
        "klingrelay.emulator.accounts[3].packs[0].name=Trial-Video-2Units",
        "klingrelay.emulator.accounts[3].packs[0].type=video",
        "klingrelay.emulator.accounts[3].packs[0].units=2",
})
class ConformanceChecklistIT {

    static final String SECRET = "whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=";
    static final String OLD_SECRET = "whsec_b2xkc2VjcmV0b2xkc2VjcmV0b2xkc2VjcmV0MTI=";
    static final String SK_MAIN = "sk-main-0123456789abcdef0123456789";
    static final String SK_SMALL = "sk-small-0123456789abcdef012345678";
    static final String SK_IMG = "sk-img-0123456789abcdef0123456789ab";
    static final String SK_FAULTY = "sk-faulty-0123456789abcdef01234567";
    static final String API_KEY = "static-api-key-main-0001";
    private static final Map<String, String[]> KEYS = Map.of(
            "main", new String[] {"ak-main", SK_MAIN}, "small", new String[] {"ak-small", SK_SMALL},
            "img", new String[] {"ak-img", SK_IMG}, "faulty", new String[] {"ak-faulty", SK_FAULTY});
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String T2V = "/v1/videos/text2video";
    private static final String I2V = "/v1/videos/image2video";
    private static final String IMAGES = "/v1/images/generations";
    private static final String EXTEND = "/v1/videos/video-extend";
    private static final String TWO_UNIT_PACK = "[{\"name\":\"Trial-Video-2Units\",\"type\":\"video\",\"units\":2,"
            + "\"validity\":\"P30D\"}]";
    private static CallbackReceiver receiver;

    @LocalServerPort
    int port;

    /** The emulator's own clock, read to sign tokens at the emulator's time; moved only through /admin/clock. */
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
    void clearFaultsAndSettings() throws Exception {
        send("DELETE", "/admin/faults", null);
        send("PATCH", "/admin/settings", "{\"duplicateExternalTaskId\":\"reject\",\"era\":\"2026\","
                + "\"intermediateCallbacks\":true,\"callbacksEnabled\":true,\"unsupportedParameters\":\"ignore\","
                + "\"taskResultBeforeSuccess\":\"omit\",\"taskInfoOnCreate\":true,\"unknownModelCode\":1201,"
                + "\"unknownTaskCode\":1203}");
        HttpResponse<String> reset = send("POST", "/admin/clock", "{\"reset\":true}");
        assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
    }

    // ---------------------------------------------------------------- Authentication

    @Test
    @DisplayName("1. No Authorization header → HTTP 401, code 1001")
    void item01_noAuthorizationHeaderIs401Code1001() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri(T2V + "/1")).build(), ofString());
        assertError(response, 401, 1001);
    }

    @Test
    @DisplayName("2. Not Bearer, undecodable JWT, bad signature or unknown iss → 401 / 1002")
    void item02_malformedOrForgedTokensAre401Code1002() throws Exception {
        long now = clock.millis();
        List<String> headers = List.of(
                "Basic " + Jwts.official("ak-main", SK_MAIN, now),
                "Bearer not.a.jwt",
                "Bearer " + Jwts.official("ak-main", "wrong-secret-0123456789abcdef012345", now),
                "Bearer " + Jwts.official("ak-unknown", SK_MAIN, now));
        for (String header : headers) {
            assertError(getWithAuthorization(T2V + "/1", header), 401, 1002);
        }
    }

    @Test
    @DisplayName("3. nbf in the future beyond the skew → 401 / 1003")
    void item03_notYetValidTokenIs401Code1003() throws Exception {
        long now = clock.millis();
        String token = Jwts.sign(new JWSHeader(JWSAlgorithm.HS256), "ak-main", SK_MAIN, now + 1_800_000, now + 60_000);
        assertError(getWithAuthorization(T2V + "/1", "Bearer " + token), 401, 1003);
    }

    @Test
    @DisplayName("4. Expired token beyond the skew → 401 / 1004")
    void item04_expiredTokenIs401Code1004() throws Exception {
        long now = clock.millis();
        String token = Jwts.sign(new JWSHeader(JWSAlgorithm.HS256), "ak-main", SK_MAIN, now - 60_000, now - 1_860_000);
        assertError(getWithAuthorization(T2V + "/1", "Bearer " + token), 401, 1004);
    }

    @Test
    @DisplayName("5. A token built like the official samples (typ JWT or alg only) is accepted")
    void item05_officialSampleTokensAreAccepted() throws Exception {
        long now = clock.millis();
        String withTyp = Jwts.official("ak-main", SK_MAIN, now);
        String algOnly = Jwts.sign(new JWSHeader(JWSAlgorithm.HS256), "ak-main", SK_MAIN, now + 1_800_000, now - 5_000);
        assertThat(getWithAuthorization(T2V + "?pageSize=1", "Bearer " + withTyp).statusCode()).isEqualTo(200);
        assertThat(getWithAuthorization(T2V + "?pageSize=1", "Bearer " + algOnly).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("5. Skew tolerance (jwt-skew, default 5 s) and maximum lifetime (jwt-max-lifetime, default unlimited) are configuration")
    void item05_skewToleranceAndMaximumLifetimeAreConfiguration() throws Exception {
        // GIVEN the defaults: 5 s skew, no maximum lifetime
        long now = clock.millis();
        JWSHeader hs256 = new JWSHeader(JWSAlgorithm.HS256);
        String nbfIn3s = "Bearer " + Jwts.sign(hs256, "ak-main", SK_MAIN, now + 1_800_000, now + 3_000);
        String nbfIn30s = "Bearer " + Jwts.sign(hs256, "ak-main", SK_MAIN, now + 1_800_000, now + 30_000);
        String expired3sAgo = "Bearer " + Jwts.sign(hs256, "ak-main", SK_MAIN, now - 3_000, now - 1_800_000);
        String expired30sAgo = "Bearer " + Jwts.sign(hs256, "ak-main", SK_MAIN, now - 30_000, now - 1_800_000);
        String thirtyDays = "Bearer " + Jwts.sign(hs256, "ak-main", SK_MAIN, now + 2_592_000_000L, now - 5_000);
        assertThat(getWithAuthorization(T2V + "?pageSize=1", nbfIn3s).statusCode()).isEqualTo(200);
        assertThat(getWithAuthorization(T2V + "?pageSize=1", expired3sAgo).statusCode()).isEqualTo(200);
        assertThat(getWithAuthorization(T2V + "?pageSize=1", thirtyDays).statusCode()).isEqualTo(200);
        assertError(getWithAuthorization(T2V + "?pageSize=1", nbfIn30s), 401, 1003);
        assertError(getWithAuthorization(T2V + "?pageSize=1", expired30sAgo), 401, 1004);

        // WHEN another emulator runs with a 60 s skew and a one-hour maximum lifetime
        try (ConfigurableApplicationContext other = SpringApplication.run(KlingEmulatorApplication.class,
                "--server.port=0", "--klingrelay.emulator.jwt-skew=60s", "--klingrelay.emulator.jwt-max-lifetime=1h",
                "--klingrelay.emulator.accounts[0].id=j", "--klingrelay.emulator.accounts[0].access-key=ak-j",
                "--klingrelay.emulator.accounts[0].secret-key=" + SK_MAIN)) {
            String list = "http://127.0.0.1:" + ((WebServerApplicationContext) other).getWebServer().getPort()
                    + T2V + "?pageSize=1";
            long t = System.currentTimeMillis();

            // THEN the wider skew accepts what the default rejected, and the lifetime is capped (1002)
            assertThat(getFrom(list, "Bearer " + Jwts.sign(hs256, "ak-j", SK_MAIN, t + 1_800_000, t + 30_000))
                    .statusCode()).isEqualTo(200);
            assertThat(getFrom(list, "Bearer " + Jwts.sign(hs256, "ak-j", SK_MAIN, t - 30_000, t - 1_800_000))
                    .statusCode()).isEqualTo(200);
            assertError(getFrom(list, "Bearer " + Jwts.sign(hs256, "ak-j", SK_MAIN, t - 90_000, t - 1_800_000)), 401, 1004);
            assertThat(getFrom(list, "Bearer " + Jwts.official("ak-j", SK_MAIN, t)).statusCode()).isEqualTo(200);
            assertError(getFrom(list, "Bearer " + Jwts.sign(hs256, "ak-j", SK_MAIN, t + 7_200_000, t - 5_000)), 401, 1002);
            assertError(getFrom(list, "Bearer " + Jwts.withoutNotBefore("ak-j", SK_MAIN, t + 7_200_000)), 401, 1002);
        }
    }

    @Test
    @DisplayName("6. Static API key as Bearer is accepted on /v1 alongside JWT")
    void item06_staticApiKeyIsAcceptedAsBearer() throws Exception {
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(uri(T2V))
                .header("Authorization", "Bearer " + API_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"api key\"}")).build(), ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        String taskId = json(created).get("data").get("task_id").stringValue();
        assertThat(get("main", T2V + "/" + taskId).get("data").get("task_id").stringValue()).isEqualTo(taskId);
        assertError(getWithAuthorization(T2V + "/1", "Bearer wrong-api-key"), 401, 1002);
    }

    // ---------------------------------------------------------------- Envelope and formats

    @Test
    @DisplayName("7. Every response is JSON {code, message, request_id, data}; success = 200, 0, SUCCEED")
    void item07_everyResponseIsTheEnvelope() throws Exception {
        JsonNode ok = post("main", T2V, "{\"prompt\":\"envelope\"}");
        assertThat(ok.get("code").intValue()).isZero();
        assertThat(ok.get("message").stringValue()).isEqualTo("SUCCEED");
        assertThat(ok.has("request_id")).isTrue();
        assertThat(ok.get("data").isObject()).isTrue();
        JsonNode error = json(postResponse("main", T2V, "{}"));
        assertThat(error.has("code")).isTrue();
        assertThat(error.has("message")).isTrue();
        assertThat(error.has("request_id")).isTrue();
    }

    @Test
    @DisplayName("8. request_id is a fresh UUID string per response")
    void item08_requestIdIsAFreshUuid() throws Exception {
        String first = get("main", T2V + "?pageSize=1").get("request_id").stringValue();
        String second = get("main", T2V + "?pageSize=1").get("request_id").stringValue();
        assertThat(UUID.fromString(first).toString()).isEqualTo(first);
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    @DisplayName("9. Error bodies have no data; HTTP status follows §12.1")
    void item09_errorBodiesHaveNoDataAndTheDocumentedHttpStatus() throws Exception {
        assertError(HTTP.send(HttpRequest.newBuilder(uri(T2V)).build(), ofString()), 401, 1001);
        assertError(postResponse("main", T2V, "{}"), 400, 1201);
        assertError(getResponse("main", T2V + "/999"), 404, 1203);
        assertError(postResponse("main", T2V, "not json"), 400, 1200);
        Map<Integer, Integer> statusByCode = Map.of(1100, 429, 1101, 429, 1102, 429, 1103, 403, 1304, 429);
        for (Map.Entry<Integer, Integer> entry : statusByCode.entrySet()) {
            putFaults("faulty", "{\"accountCode\":" + entry.getKey() + "}");
            assertError(postResponse("faulty", T2V, "{\"prompt\":\"x\"}"), entry.getValue(), entry.getKey());
        }
        Map<Integer, Integer> createCodes = Map.of(1302, 429, 1303, 429, 5000, 500, 5001, 503, 5002, 504);
        for (Map.Entry<Integer, Integer> entry : createCodes.entrySet()) {
            putFaults("faulty", "{\"create\":{\"rate\":1,\"code\":" + entry.getKey() + "}}");
            assertError(postResponse("faulty", T2V, "{\"prompt\":\"x\"}"), entry.getValue(), entry.getKey());
        }
    }

    @Test
    @DisplayName("10. task_id is an 18-digit numeric string; video id a numeric string")
    void item10_taskIdIsAnEighteenDigitString() throws Exception {
        JsonNode data = post("main", T2V, "{\"prompt\":\"ids\"}").get("data");
        assertThat(data.get("task_id").isString()).isTrue();
        assertThat(data.get("task_id").stringValue()).matches("\\d{18}");
        JsonNode done = awaitStatus("main", T2V + "/" + data.get("task_id").stringValue(), "succeed");
        assertThat(done.get("task_result").get("videos").get(0).get("id").stringValue()).matches("\\d+");
    }

    @Test
    @DisplayName("11. created_at/updated_at are 13-digit epoch ms; updated_at changes on every transition")
    void item11_timestampsAreEpochMillisAndUpdatedAtChanges() throws Exception {
        String taskId = post("main", T2V, "{\"prompt\":\"times\",\"callback_url\":\"" + receiver.url() + "\"}")
                .get("data").get("task_id").stringValue();
        awaitStatus("main", T2V + "/" + taskId, "succeed");
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.forTask(taskId).size() >= 3);
        List<Long> updated = receiver.forTask(taskId).stream().map(r -> r.body().get("updated_at").longValue()).toList();
        assertThat(updated).doesNotHaveDuplicates().allSatisfy(t -> assertThat(String.valueOf(t)).hasSize(13));
        assertThat(String.valueOf(receiver.forTask(taskId).get(0).body().get("created_at").longValue())).hasSize(13);
    }

    @Test
    @DisplayName("12. Request duration is a string enum; 3…15 only for kling-v3; others → 400 / 1201")
    void item12_requestDurationIsAStringEnum() throws Exception {
        assertThat(postResponse("main", T2V, "{\"prompt\":\"d\",\"duration\":\"10\"}").statusCode()).isEqualTo(200);
        assertError(postResponse("main", T2V, "{\"prompt\":\"d\",\"duration\":5}"), 400, 1201);
        assertError(postResponse("main", T2V, "{\"prompt\":\"d\",\"duration\":\"7\"}"), 400, 1201);
        assertThat(postResponse("main", T2V, "{\"prompt\":\"d\",\"duration\":\"7\",\"model_name\":\"kling-v3\"}")
                .statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("13. Result duration is a string with decimals (\"5.1\" for 5 s)")
    void item13_resultDurationIsADecimalString() throws Exception {
        String taskId = post("main", T2V, "{\"prompt\":\"dur\",\"duration\":\"5\"}").get("data").get("task_id").stringValue();
        JsonNode video = awaitStatus("main", T2V + "/" + taskId, "succeed").get("task_result").get("videos").get(0);
        assertThat(video.get("duration").isString()).isTrue();
        assertThat(video.get("duration").stringValue()).isEqualTo("5.1");
    }

    @Test
    @DisplayName("14. 2026 results carry final_unit_deduction and final_balance_deduction; the 2025 era removes them")
    void item14_eraSwitchControlsFinalDeductionFields() throws Exception {
        String taskId = post("main", T2V, "{\"prompt\":\"era\"}").get("data").get("task_id").stringValue();
        JsonNode done = awaitStatus("main", T2V + "/" + taskId, "succeed");
        assertThat(done.get("final_unit_deduction").isString()).isTrue();
        assertThat(done.get("final_balance_deduction").has("quota")).isTrue();
        assertThat(done.get("final_balance_deduction").has("list_price")).isTrue();

        send("PATCH", "/admin/settings", "{\"era\":\"2025\"}");

        JsonNode old = get("main", T2V + "/" + taskId).get("data");
        assertThat(old.has("final_unit_deduction")).isFalse();
        assertThat(old.has("final_balance_deduction")).isFalse();
    }

    @Test
    @DisplayName("15. Paging parameters are camelCase pageNum/pageSize; every other field is snake_case")
    void item15_pagingIsCamelCaseAndFieldsAreSnakeCase() throws Exception {
        post("main", T2V, "{\"prompt\":\"paging\",\"external_task_id\":\"case-" + UUID.randomUUID() + "\"}");
        JsonNode page = get("main", T2V + "?pageNum=1&pageSize=1").get("data");
        assertThat(page).hasSize(1);
        page.get(0).propertyNames().forEach(name -> assertThat(name).matches("[a-z_]+"));
        assertError(getResponse("main", T2V + "?pageNum=1&pageSize=501"), 400, 1201);
    }

    // ---------------------------------------------------------------- Validation

    @Test
    @DisplayName("16. prompt/negative_prompt over 2500 chars → 1201; t2v and images need a prompt")
    void item16_promptLimitsAndRequiredPrompt() throws Exception {
        String tooLong = "x".repeat(2501);
        assertError(postResponse("main", T2V, "{\"prompt\":\"" + tooLong + "\"}"), 400, 1201);
        assertError(postResponse("main", T2V, "{\"prompt\":\"p\",\"negative_prompt\":\"" + tooLong + "\"}"), 400, 1201);
        assertError(postResponse("main", T2V, "{\"model_name\":\"kling-v1\"}"), 400, 1201);
        assertError(postResponse("main", IMAGES, "{\"n\":1}"), 400, 1201);
        assertThat(postResponse("main", T2V, "{\"prompt\":\"" + "x".repeat(2500) + "\"}").statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("17. i2v with neither image nor image_tail → 400 / 1201 image can not be null")
    void item17_imageToVideoNeedsAnImage() throws Exception {
        HttpResponse<String> response = postResponse("main", I2V, "{\"prompt\":\"no image\"}");
        assertError(response, 400, 1201);
        assertThat(json(response).get("message").stringValue()).isEqualTo("image can not be null");
        assertThat(postResponse("main", I2V, "{\"image_tail\":\"https://example.org/t.png\"}").statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("18. A data: URI image → 1201 File is not in a valid base64 format; raw Base64 and URLs pass")
    void item18_dataUriImagesAreRejected() throws Exception {
        String base64 = png(400, 400);
        HttpResponse<String> dataUri = postResponse("main", I2V, "{\"image\":\"data:image/png;base64," + base64 + "\"}");
        assertError(dataUri, 400, 1201);
        assertThat(json(dataUri).get("message").stringValue()).isEqualTo("File is not in a valid base64 format");
        assertThat(postResponse("main", I2V, "{\"image\":\"" + base64 + "\"}").statusCode()).isEqualTo(200);
        assertThat(postResponse("main", I2V, "{\"image\":\"https://example.org/a.png\"}").statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("19. Image rules: ≥ 300 px per side, ratio within 1:2.5…2.5:1 (image_tail exempt), jpg/png")
    void item19_imageRulesAreEnforced() throws Exception {
        assertError(postResponse("main", I2V, "{\"image\":\"" + png(299, 400) + "\"}"), 400, 1201);
        assertError(postResponse("main", I2V, "{\"image\":\"" + png(1000, 300) + "\"}"), 400, 1201);
        assertThat(postResponse("main", I2V, "{\"image_tail\":\"" + png(1000, 300) + "\"}").statusCode()).isEqualTo(200);
        String gif = Base64.getEncoder().encodeToString("GIF89a-not-allowed".getBytes(StandardCharsets.US_ASCII));
        assertError(postResponse("main", I2V, "{\"image\":\"" + gif + "\"}"), 400, 1201);
    }

    @Test
    @DisplayName("20. cfg_scale outside [0,1] → 1201; cfg_scale on v2.x / mode on kling-v2-master ignored or rejected")
    void item20_cfgScaleRangeAndUnsupportedParameters() throws Exception {
        assertError(postResponse("main", T2V, "{\"prompt\":\"c\",\"cfg_scale\":1.5}"), 400, 1201);
        String v2Cfg = "{\"prompt\":\"c\",\"model_name\":\"kling-v2-1-master\",\"cfg_scale\":0.5}";
        String masterMode = "{\"prompt\":\"c\",\"model_name\":\"kling-v2-master\",\"mode\":\"pro\"}";
        assertThat(postResponse("main", T2V, v2Cfg).statusCode()).isEqualTo(200);
        assertThat(postResponse("main", T2V, masterMode).statusCode()).isEqualTo(200);

        send("PATCH", "/admin/settings", "{\"unsupportedParameters\":\"reject\"}");

        assertError(postResponse("main", T2V, v2Cfg), 400, 1201);
        assertError(postResponse("main", T2V, masterMode), 400, 1201);
    }

    @Test
    @DisplayName("21. camera_control: five types; simple needs six numbers in [-10,10], exactly one non-zero")
    void item21_cameraControlRules() throws Exception {
        String simple = "{\"prompt\":\"c\",\"camera_control\":{\"type\":\"simple\",\"config\":{\"horizontal\":0,"
                + "\"vertical\":0,\"pan\":0,\"tilt\":0,\"roll\":0,\"zoom\":%s}}}";
        assertThat(postResponse("main", T2V, simple.formatted("5")).statusCode()).isEqualTo(200);
        assertError(postResponse("main", T2V, simple.formatted("11")), 400, 1201);
        assertError(postResponse("main", T2V, simple.replace("\"pan\":0", "\"pan\":1").formatted("5")), 400, 1201);
        assertError(postResponse("main", T2V, "{\"prompt\":\"c\",\"camera_control\":{\"type\":\"simple\"}}"), 400, 1201);
        assertThat(postResponse("main", T2V, "{\"prompt\":\"c\",\"camera_control\":{\"type\":\"down_back\"}}")
                .statusCode()).isEqualTo(200);
        assertError(postResponse("main", T2V, "{\"prompt\":\"c\",\"camera_control\":{\"type\":\"down_back\","
                + "\"config\":{\"zoom\":1}}}"), 400, 1201);
        assertError(postResponse("main", T2V, "{\"prompt\":\"c\",\"camera_control\":{\"type\":\"spin\"}}"), 400, 1201);
    }

    @Test
    @DisplayName("22. i2v groups (image_tail / masks / camera_control) are mutually exclusive → 1201")
    void item22_imageToVideoGroupsAreExclusive() throws Exception {
        assertError(postResponse("main", I2V, "{\"image\":\"https://e.org/a.png\",\"image_tail\":\"https://e.org/b.png\","
                + "\"camera_control\":{\"type\":\"down_back\"}}"), 400, 1201);
        assertError(postResponse("main", I2V, "{\"image\":\"https://e.org/a.png\",\"static_mask\":\"https://e.org/m.png\","
                + "\"camera_control\":{\"type\":\"down_back\"}}"), 400, 1201);
        assertThat(postResponse("main", I2V, "{\"image\":\"https://e.org/a.png\",\"image_tail\":\"https://e.org/b.png\"}")
                .statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("23. dynamic_masks ≤ 6 with 2–77 points; a mask of another size is accepted and the task ends failed")
    void item23_motionBrushMasks() throws Exception {
        String point = "{\"x\":1,\"y\":1}";
        String mask = "{\"mask\":\"https://e.org/m.png\",\"trajectories\":[" + point + "," + point + "]}";
        String sevenMasks = String.join(",", Collections.nCopies(7, mask));
        assertError(postResponse("main", I2V, "{\"image\":\"https://e.org/a.png\",\"dynamic_masks\":[" + sevenMasks
                + "]}"), 400, 1201);
        assertError(postResponse("main", I2V, "{\"image\":\"https://e.org/a.png\",\"dynamic_masks\":[{\"mask\":"
                + "\"https://e.org/m.png\",\"trajectories\":[" + point + "]}]}"), 400, 1201);
        String mismatched = "{\"image\":\"" + png(400, 400) + "\",\"dynamic_masks\":[{\"mask\":\"" + png(300, 600)
                + "\",\"trajectories\":[" + point + "," + point + "]}]}";
        String taskId = post("main", I2V, mismatched).get("data").get("task_id").stringValue();
        assertThat(awaitStatus("main", I2V + "/" + taskId, "failed").get("task_status_msg").stringValue()).isNotEmpty();
    }

    @Test
    @DisplayName("24. Images: n in [1,9], aspect_ratio in the eight values, resolution 1k/2k, no negative_prompt with image")
    void item24_imageGenerationRules() throws Exception {
        assertError(postResponse("img", IMAGES, "{\"prompt\":\"p\",\"n\":10}"), 400, 1201);
        assertError(postResponse("img", IMAGES, "{\"prompt\":\"p\",\"n\":0}"), 400, 1201);
        assertError(postResponse("img", IMAGES, "{\"prompt\":\"p\",\"aspect_ratio\":\"5:4\"}"), 400, 1201);
        assertError(postResponse("img", IMAGES, "{\"prompt\":\"p\",\"resolution\":\"4k\"}"), 400, 1201);
        assertError(postResponse("img", IMAGES, "{\"prompt\":\"p\",\"image\":\"https://e.org/a.png\","
                + "\"negative_prompt\":\"n\"}"), 400, 1201);
        assertThat(postResponse("img", IMAGES, "{\"prompt\":\"p\",\"aspect_ratio\":\"21:9\",\"resolution\":\"2k\"}")
                .statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("25. No model_name (or only model) means kling-v1; an unknown model → 1201 (default setting)")
    void item25_defaultAndUnknownModels() throws Exception {
        assertThat(postResponse("main", T2V, "{\"prompt\":\"m\"}").statusCode()).isEqualTo(200);
        assertThat(postResponse("main", T2V, "{\"prompt\":\"m\",\"model\":\"kling-v1\"}").statusCode()).isEqualTo(200);
        assertError(postResponse("main", T2V, "{\"prompt\":\"m\",\"model_name\":\"kling-v9\"}"), 400, 1201);
        assertError(postResponse("main", T2V, "{\"prompt\":\"m\",\"model_name\":\"kling-v1-5\"}"), 400, 1201);
    }

    @Test
    @DisplayName("25. Under the other reading (unknownModelCode 1203) an unknown or unoffered model → 404 / 1203")
    void item25_unknownModelIs404Code1203UnderTheOtherReading() throws Exception {
        // GIVEN the other reading, switched at run time
        HttpResponse<String> patched = send("PATCH", "/admin/settings", "{\"unknownModelCode\":1203}");
        assertThat(json(patched).get("unknownModelCode").intValue()).as(patched.body()).isEqualTo(1203);
        assertThat(send("PATCH", "/admin/settings", "{\"unknownModelCode\":1300}").statusCode()).isEqualTo(400);

        // WHEN / THEN unknown and unoffered models answer 404 / 1203 on every product; no model is still kling-v1
        assertError(postResponse("main", T2V, "{\"prompt\":\"m\",\"model_name\":\"kling-v9\"}"), 404, 1203);
        assertError(postResponse("main", T2V, "{\"prompt\":\"m\",\"model_name\":\"kling-v1-5\"}"), 404, 1203);
        assertError(postResponse("main", IMAGES, "{\"prompt\":\"m\",\"model_name\":\"kling-v9\"}"), 404, 1203);
        assertThat(postResponse("main", T2V, "{\"prompt\":\"m\"}").statusCode()).isEqualTo(200);

        // AND switching back restores the default reading
        send("PATCH", "/admin/settings", "{\"unknownModelCode\":1201}");
        assertError(postResponse("main", T2V, "{\"prompt\":\"m\",\"model_name\":\"kling-v9\"}"), 400, 1201);
    }

    @Test
    @DisplayName("26. Unknown fields are accepted and ignored")
    void item26_unknownFieldsAreIgnored() throws Exception {
        assertThat(postResponse("main", I2V, "{\"image\":\"https://e.org/a.png\",\"aspect_ratio\":\"16:9\","
                + "\"gateway_extra\":{\"x\":1}}").statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("27. Validation messages are Java bean-validation style")
    void item27_validationMessagesAreBeanValidationStyle() throws Exception {
        assertThat(json(postResponse("main", T2V, "{\"prompt\":\"p\",\"mode\":\"ultra\"}")).get("message").stringValue())
                .isEqualTo("mode: allowed values: std, pro");
        assertThat(json(postResponse("main", T2V, "{\"prompt\":\"p\",\"cfg_scale\":2}")).get("message").stringValue())
                .isEqualTo("cfg_scale: must be between 0 and 1");
        assertThat(json(postResponse("main", T2V, "{}")).get("message").stringValue())
                .isEqualTo("prompt: must not be blank");
    }

    @Test
    @DisplayName("28. video_id inputs are accepted only for videos generated in the last 30 days")
    void item28_videoIdOnlyWithinThirtyDays() throws Exception {
        String videoId = succeededVideoId("source");
        assertThat(postResponse("main", EXTEND, "{\"video_id\":\"" + videoId + "\"}").statusCode()).isEqualTo(200);
        assertError(postResponse("main", EXTEND, "{\"video_id\":\"123456789012345678\"}"), 400, 1201);
        assertError(postResponse("img", EXTEND, "{\"video_id\":\"" + videoId + "\"}"), 400, 1201);

        send("POST", "/admin/clock", "{\"advance\":\"P31D\"}");

        assertError(postResponse("main", EXTEND, "{\"video_id\":\"" + videoId + "\"}"), 400, 1201);
    }

    // ---------------------------------------------------------------- Lifecycle and results

    @Test
    @DisplayName("29. Create → 200 with data{task_id, task_status submitted, task_info{external_task_id}, created_at, updated_at}")
    void item29_createReplyShape() throws Exception {
        String externalId = "create-" + UUID.randomUUID();
        JsonNode data = post("main", T2V, "{\"prompt\":\"c\",\"external_task_id\":\"" + externalId + "\"}").get("data");
        assertThat(data.get("task_status").stringValue()).isEqualTo("submitted");
        assertThat(data.get("task_info").get("external_task_id").stringValue()).isEqualTo(externalId);
        assertThat(data.get("created_at").longValue()).isEqualTo(data.get("updated_at").longValue());

        send("PATCH", "/admin/settings", "{\"taskInfoOnCreate\":false}");

        assertThat(post("main", T2V, "{\"prompt\":\"feb 2025\"}").get("data").has("task_info")).isFalse();
    }

    @Test
    @DisplayName("30. Statuses advance submitted → processing → succeed, spelled succeed")
    void item30_statusesAdvanceAndAreSpelledSucceed() throws Exception {
        String taskId = post("main", T2V, "{\"prompt\":\"s\",\"callback_url\":\"" + receiver.url() + "\"}")
                .get("data").get("task_id").stringValue();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(receiver.forTask(taskId))
                .extracting(CallbackReceiver.Received::status).containsExactly("submitted", "processing", "succeed"));
    }

    @Test
    @DisplayName("31. task_status_msg is \"\" except on failed, where it carries a configurable reason")
    void item31_statusMessageOnlyOnFailure() throws Exception {
        String ok = post("main", T2V, "{\"prompt\":\"fine\"}").get("data").get("task_id").stringValue();
        String bad = post("main", T2V, "{\"prompt\":\"bad [[fail]]\"}").get("data").get("task_id").stringValue();
        assertThat(awaitStatus("main", T2V + "/" + ok, "succeed").get("task_status_msg").stringValue()).isEmpty();
        assertThat(awaitStatus("main", T2V + "/" + bad, "failed").get("task_status_msg").stringValue())
                .isEqualTo("Failure to pass the risk control system");
        putFaults("faulty", "{\"tasks\":{\"failureRate\":1,\"message\":\"content policy\"}}");
        String injected = post("faulty", I2V, "{\"image\":\"https://e.org/a.png\"}").get("data").get("task_id").stringValue();
        assertThat(awaitStatus("faulty", I2V + "/" + injected, "failed").get("task_status_msg").stringValue())
                .isEqualTo("content policy");
    }

    @Test
    @DisplayName("32. On success videos[{id,url,duration}] / images[{index,url}] with index 0…n−1; no task_result before")
    void item32_resultShapes() throws Exception {
        String video = post("main", T2V, "{\"prompt\":\"v\"}").get("data").get("task_id").stringValue();
        assertThat(get("main", T2V + "/" + video).get("data").has("task_result")).isFalse();
        JsonNode v = awaitStatus("main", T2V + "/" + video, "succeed").get("task_result").get("videos").get(0);
        assertThat(v.has("id") && v.has("url") && v.has("duration")).isTrue();
        String image = post("img", IMAGES, "{\"prompt\":\"i\",\"n\":3}").get("data").get("task_id").stringValue();
        JsonNode images = awaitStatus("img", IMAGES + "/" + image, "succeed").get("task_result").get("images");
        assertThat(images).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(images.get(i).get("index").intValue()).isEqualTo(i);
            assertThat(download(images.get(i).get("url").stringValue()).statusCode()).isEqualTo(200);
        }
        send("PATCH", "/admin/settings", "{\"taskResultBeforeSuccess\":\"empty\"}");
        String pending = post("main", T2V, "{\"prompt\":\"pending\"}").get("data").get("task_id").stringValue();
        JsonNode empty = get("main", T2V + "/" + pending).get("data").get("task_result");
        assertThat(empty.get("videos")).isEmpty();
        assertThat(empty.get("images")).isEmpty();
    }

    @Test
    @DisplayName("33. watermark_info {enabled:true} → each result item has watermark_url; watermark_info echoed")
    void item33_watermarkUrls() throws Exception {
        String taskId = post("main", T2V, "{\"prompt\":\"wm\",\"watermark_info\":{\"enabled\":true}}")
                .get("data").get("task_id").stringValue();
        JsonNode done = awaitStatus("main", T2V + "/" + taskId, "succeed");
        assertThat(done.get("watermark_info").get("enabled").booleanValue()).isTrue();
        String watermarkUrl = done.get("task_result").get("videos").get(0).get("watermark_url").stringValue();
        assertThat(download(watermarkUrl).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("34. Derived-video products (video-extend) return task_info.parent_video{id, url, duration}")
    void item34_parentVideoOnDerivedVideos() throws Exception {
        String videoId = succeededVideoId("parent");
        String taskId = post("main", EXTEND, "{\"video_id\":\"" + videoId + "\",\"prompt\":\"go on\"}")
                .get("data").get("task_id").stringValue();
        JsonNode done = awaitStatus("main", EXTEND + "/" + taskId, "succeed");
        JsonNode parent = done.get("task_info").get("parent_video");
        assertThat(parent.get("id").stringValue()).isEqualTo(videoId);
        assertThat(parent.get("duration").stringValue()).isEqualTo("5.1");
        assertThat(download(parent.get("url").stringValue()).statusCode()).isEqualTo(200);
        assertThat(done.get("task_result").get("videos").get(0).get("duration").stringValue()).isEqualTo("10.1");
    }

    @Test
    @DisplayName("35. task_info.external_task_id is echoed in create, query, list and callback; {} without one")
    void item35_externalTaskIdIsEchoedEverywhere() throws Exception {
        String externalId = "echo-" + UUID.randomUUID();
        JsonNode created = post("main", T2V, "{\"prompt\":\"e\",\"external_task_id\":\"" + externalId
                + "\",\"callback_url\":\"" + receiver.url() + "\"}").get("data");
        String taskId = created.get("task_id").stringValue();
        assertThat(get("main", T2V + "/" + taskId).get("data").get("task_info").get("external_task_id").stringValue())
                .isEqualTo(externalId);
        assertThat(get("main", T2V + "?pageNum=1&pageSize=50").get("data").findValuesAsString("external_task_id"))
                .contains(externalId);
        await().atMost(Duration.ofSeconds(10)).until(() -> !receiver.forTask(taskId).isEmpty());
        assertThat(receiver.forTask(taskId).get(0).body().get("task_info").get("external_task_id").stringValue())
                .isEqualTo(externalId);
        String bare = post("main", T2V, "{\"prompt\":\"bare\"}").get("data").get("task_id").stringValue();
        assertThat(get("main", T2V + "/" + bare).get("data").get("task_info").isEmpty()).isTrue();
    }

    // ---------------------------------------------------------------- Queries and lists

    @Test
    @DisplayName("36. GET <base>/{task_id} returns the same object the callback carries")
    void item36_queryEqualsCallbackBody() throws Exception {
        String taskId = post("main", T2V, "{\"prompt\":\"same\",\"callback_url\":\"" + receiver.url() + "\"}")
                .get("data").get("task_id").stringValue();
        awaitStatus("main", T2V + "/" + taskId, "succeed");
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.forTask(taskId).stream()
                .anyMatch(r -> r.status().equals("succeed")));
        JsonNode callback = receiver.forTask(taskId).stream().filter(r -> r.status().equals("succeed")).findFirst()
                .orElseThrow().body();
        assertThat(get("main", T2V + "/" + taskId).get("data")).isEqualTo(callback);
    }

    @Test
    @DisplayName("37. Path and ?external_task_id= queries find the task; an unknown id → 404 / 1203 (default)")
    void item37_queryByExternalIdInPathAndQuery() throws Exception {
        String externalId = "ext-" + UUID.randomUUID();
        String taskId = post("main", T2V, "{\"prompt\":\"q\",\"external_task_id\":\"" + externalId + "\"}")
                .get("data").get("task_id").stringValue();
        assertThat(get("main", T2V + "/" + externalId).get("data").get("task_id").stringValue()).isEqualTo(taskId);
        assertThat(get("main", T2V + "?external_task_id=" + externalId).get("data").get("task_id").stringValue())
                .isEqualTo(taskId);
        assertError(getResponse("main", T2V + "/no-such-id"), 404, 1203);
    }

    @Test
    @DisplayName("37. Under the other reading (unknownTaskCode 1201) an id matching neither task_id nor external_task_id → 400 / 1201")
    void item37_unknownIdIs400Code1201UnderTheOtherReading() throws Exception {
        // GIVEN a task with an external id, and the other reading switched at run time
        String externalId = "ext-" + UUID.randomUUID();
        String taskId = post("main", T2V, "{\"prompt\":\"q\",\"external_task_id\":\"" + externalId + "\"}")
                .get("data").get("task_id").stringValue();
        HttpResponse<String> patched = send("PATCH", "/admin/settings", "{\"unknownTaskCode\":1201}");
        assertThat(json(patched).get("unknownTaskCode").intValue()).as(patched.body()).isEqualTo(1201);

        // WHEN / THEN unknown ids answer 400 / 1201 in the path and in ?external_task_id=, known ones still resolve
        assertError(getResponse("main", T2V + "/no-such-id"), 400, 1201);
        assertError(getResponse("main", T2V + "?external_task_id=no-such-id"), 400, 1201);
        assertThat(get("main", T2V + "/" + externalId).get("data").get("task_id").stringValue()).isEqualTo(taskId);

        // AND switching back restores the default reading
        send("PATCH", "/admin/settings", "{\"unknownTaskCode\":1203}");
        assertError(getResponse("main", T2V + "/no-such-id"), 404, 1203);
    }

    @Test
    @DisplayName("38. A task is visible only under its product path and to its own account")
    void item38_visibilityIsPerProductAndAccount() throws Exception {
        String taskId = post("main", T2V, "{\"prompt\":\"mine\"}").get("data").get("task_id").stringValue();
        assertError(getResponse("main", I2V + "/" + taskId), 404, 1203);
        assertError(getResponse("img", T2V + "/" + taskId), 404, 1203);
    }

    @Test
    @DisplayName("39. Duplicate external_task_id: reject (default), return existing or accept as new")
    void item39_duplicateExternalTaskIdPolicies() throws Exception {
        String body = "{\"prompt\":\"dup\",\"external_task_id\":\"dup-" + UUID.randomUUID() + "\"}";
        String first = post("main", T2V, body).get("data").get("task_id").stringValue();
        assertError(postResponse("main", T2V, body), 400, 1201);

        send("PATCH", "/admin/settings", "{\"duplicateExternalTaskId\":\"return-existing\"}");
        assertThat(post("main", T2V, body).get("data").get("task_id").stringValue()).isEqualTo(first);

        send("PATCH", "/admin/settings", "{\"duplicateExternalTaskId\":\"accept-new\"}");
        String newer = post("main", T2V, body).get("data").get("task_id").stringValue();
        assertThat(newer).isNotEqualTo(first);
        String externalId = MAPPER.readTree(body).get("external_task_id").stringValue();
        assertThat(get("main", T2V + "/" + externalId).get("data").get("task_id").stringValue()).isEqualTo(newer);
    }

    @Test
    @DisplayName("40. List data is a bare array, newest first; defaults pageNum 1, pageSize 30")
    void item40_listIsABareArrayNewestFirst() throws Exception {
        for (int i = 0; i < 31; i++) {
            post("main", IMAGES, "{\"prompt\":\"list " + i + "\"}");
        }
        String newest = post("main", IMAGES, "{\"prompt\":\"newest\"}").get("data").get("task_id").stringValue();
        JsonNode envelope = get("main", IMAGES);
        assertThat(envelope.get("data").isArray()).isTrue();
        assertThat(envelope.get("data")).hasSize(30);
        assertThat(envelope.get("data").get(0).get("task_id").stringValue()).isEqualTo(newest);
    }

    @Test
    @DisplayName("41. pageNum outside [1,1000] or pageSize outside [1,500] → 400 / 1201; past the last page → []")
    void item41_pagingLimits() throws Exception {
        assertError(getResponse("main", T2V + "?pageNum=0"), 400, 1201);
        assertError(getResponse("main", T2V + "?pageNum=1001"), 400, 1201);
        assertError(getResponse("main", T2V + "?pageSize=0"), 400, 1201);
        assertError(getResponse("main", T2V + "?pageSize=501"), 400, 1201);
        assertThat(get("main", T2V + "?pageNum=1000&pageSize=500").get("data")).isEmpty();
    }

    @Test
    @DisplayName("42. GET /account/costs needs start_time and end_time; data is double-wrapped with pack statuses")
    void item42_accountCosts() throws Exception {
        send("PUT", "/admin/accounts/faulty/packs", TWO_UNIT_PACK);
        long now = clock.millis();
        assertError(getResponse("faulty", "/account/costs?start_time=" + now), 400, 1201);
        JsonNode data = get("faulty", "/account/costs?start_time=" + (now - 1000) + "&end_time=" + now).get("data");
        assertThat(data.get("code").intValue()).isZero();
        assertThat(data.has("msg")).isTrue();
        JsonNode pack = data.get("resource_pack_subscribe_infos").get(0);
        assertThat(pack.get("resource_pack_name").stringValue()).isEqualTo("Trial-Video-2Units");
        assertThat(pack.get("status").stringValue()).isIn("toBeOnline", "online", "expired", "runOut");
        assertThat(pack.has("remaining_quantity")).isTrue();
    }

    @Test
    @DisplayName("42. resource_pack_name narrows resource_pack_subscribe_infos to the pack of that name")
    void item42_accountCostsFilterByResourcePackName() throws Exception {
        // GIVEN two packs
        send("PUT", "/admin/accounts/faulty/packs", "[{\"name\":\"Trial-Video-2Units\",\"type\":\"video\",\"units\":2,"
                + "\"validity\":\"P30D\"},{\"name\":\"Trial-Image-9Con\",\"type\":\"image\",\"units\":100,"
                + "\"validity\":\"P30D\",\"concurrency\":9}]");
        long now = clock.millis();
        String costs = "/account/costs?start_time=" + (now - 1000) + "&end_time=" + now;
        try {
            // WHEN / THEN without the filter (or with it empty) both are listed, with it only the named one
            assertThat(packNames(get("faulty", costs))).containsExactly("Trial-Video-2Units", "Trial-Image-9Con");
            assertThat(packNames(get("faulty", costs + "&resource_pack_name="))).hasSize(2);
            JsonNode image = get("faulty", costs + "&resource_pack_name=Trial-Image-9Con").get("data");
            assertThat(packNames(image.get("resource_pack_subscribe_infos"))).containsExactly("Trial-Image-9Con");
            assertThat(image.get("code").intValue()).isZero();
            assertThat(packNames(get("faulty", costs + "&resource_pack_name=No-Such-Pack"))).isEmpty();
        } finally {
            send("PUT", "/admin/accounts/faulty/packs", TWO_UNIT_PACK);
        }
    }

    // ---------------------------------------------------------------- Callbacks

    @Test
    @DisplayName("43. Each status change is POSTed; intermediate statuses can be switched off")
    void item43_callbacksPerStatusChangeWithIntermediateSwitch() throws Exception {
        send("PATCH", "/admin/settings", "{\"intermediateCallbacks\":false}");
        String taskId = post("main", T2V, "{\"prompt\":\"terminal only\",\"callback_url\":\"" + receiver.url() + "\"}")
                .get("data").get("task_id").stringValue();
        awaitStatus("main", T2V + "/" + taskId, "succeed");
        await().atMost(Duration.ofSeconds(20)).until(() -> !receiver.forTask(taskId).isEmpty());
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(receiver.forTask(taskId)).extracting(CallbackReceiver.Received::status).containsExactly("succeed"));
    }

    @Test
    @DisplayName("44. The callback body is the bare task object, POST, application/json; charset=utf-8, with images/audios arrays")
    void item44_callbackIsTheBareTaskObject() throws Exception {
        String taskId = post("main", T2V, "{\"prompt\":\"bare\",\"callback_url\":\"" + receiver.url() + "\"}")
                .get("data").get("task_id").stringValue();
        CallbackReceiver.Received last = awaitCallback(taskId, "succeed");
        assertThat(last.method()).isEqualTo("POST");
        assertThat(last.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(last.body().has("code")).isFalse();
        assertThat(last.body().has("request_id")).isFalse();
        assertThat(last.body().get("task_result").get("images").isArray()).isTrue();
        assertThat(last.body().get("task_result").get("audios").isArray()).isTrue();
    }

    @Test
    @DisplayName("45. Callbacks carry Kling's Apache-HttpClient User-Agent, Accept-Encoding and Keep-Alive")
    void item45_callbackHeadersOfKlingsHttpClient() throws Exception {
        String taskId = post("main", T2V, "{\"prompt\":\"ua\",\"callback_url\":\"" + receiver.url() + "\"}")
                .get("data").get("task_id").stringValue();
        CallbackReceiver.Received last = awaitCallback(taskId, "succeed");
        assertThat(last.header("User-Agent")).isEqualTo("Apache-HttpClient/4.5.13 (Java/11.0.14-internal)");
        assertThat(last.header("Accept-Encoding")).isEqualTo("gzip,deflate");
        assertThat(last.headerValues("connection")).containsExactly("Keep-Alive");
    }

    @Test
    @DisplayName("46. HTTP 200 = delivered; other answers are retried (emulator's own retry rules)")
    void item46_non200IsRetried() throws Exception {
        send("PATCH", "/admin/settings", "{\"intermediateCallbacks\":false}");
        receiver.failNext(2);
        String taskId = post("main", T2V, "{\"prompt\":\"retry\",\"callback_url\":\"" + receiver.url() + "\"}")
                .get("data").get("task_id").stringValue();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(receiver.forTask(taskId))
                .extracting(CallbackReceiver.Received::answered500).containsExactly(true, true, false));
    }

    @Test
    @DisplayName("47. Without a webhook secret no signature headers are sent")
    void item47_noSignatureWithoutSecret() throws Exception {
        try (ConfigurableApplicationContext unsigned = SpringApplication.run(KlingEmulatorApplication.class,
                "--server.port=0", "--klingrelay.emulator.time-scale=0.01",
                "--klingrelay.emulator.accounts[0].id=u", "--klingrelay.emulator.accounts[0].access-key=ak-u",
                "--klingrelay.emulator.accounts[0].secret-key=" + SK_MAIN)) {
            int unsignedPort = ((WebServerApplicationContext) unsigned).getWebServer().getPort();
            HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + unsignedPort + T2V))
                    .header("Authorization", "Bearer " + Jwts.official("ak-u", SK_MAIN, System.currentTimeMillis()))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"u\",\"callback_url\":\"" + receiver.url() + "\"}"))
                    .build(), ofString());
            String taskId = json(created).get("data").get("task_id").stringValue();
            CallbackReceiver.Received last = awaitCallback(taskId, "succeed");
            assertThat(last.header("webhook-id")).isNull();
            assertThat(last.header("webhook-signature")).isNull();
            assertThat(last.header("webhook-timestamp")).isNull();
        }
    }

    @Test
    @DisplayName("48. With a whsec_ secret every callback has webhook-id, webhook-timestamp and a v1 signature")
    void item48_standardWebhooksSigning() throws Exception {
        String taskId = post("main", T2V, "{\"prompt\":\"signed\",\"callback_url\":\"" + receiver.url() + "\"}")
                .get("data").get("task_id").stringValue();
        CallbackReceiver.Received last = awaitCallback(taskId, "succeed");
        long timestamp = Long.parseLong(last.header("webhook-timestamp"));
        assertThat(timestamp).isBetween(clock.millis() / 1000 - 60, clock.millis() / 1000 + 60);
        String expected = new WebhookSigner(SECRET).sign(last.header("webhook-id"), timestamp, last.raw());
        assertThat(last.header("webhook-signature").split(" ")[0]).isEqualTo(expected);
    }

    @Test
    @DisplayName("49. The signer reproduces the official test vector")
    void item49_officialTestVector() {
        String body = "{\"id\":\"1234567890\",\"status\":\"succeeded\",\"message\":\"\",\"create_time\":1781080778802,"
                + "\"update_time\":1781080794151}";
        assertThat(new WebhookSigner(SECRET).sign("9876543210", 1781080794L, body.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("v1,UsKlJP00XoQyOn410NM9xv34sP+Gl0jnOO9Lcpr7NJ4=");
    }

    @Test
    @DisplayName("50. During a secret rotation webhook-signature holds two space-separated v1 entries")
    void item50_rotationSendsTwoSignatures() throws Exception {
        String taskId = post("main", T2V, "{\"prompt\":\"rotation\",\"callback_url\":\"" + receiver.url() + "\"}")
                .get("data").get("task_id").stringValue();
        CallbackReceiver.Received last = awaitCallback(taskId, "succeed");
        long timestamp = Long.parseLong(last.header("webhook-timestamp"));
        String id = last.header("webhook-id");
        assertThat(last.header("webhook-signature")).isEqualTo(new WebhookSigner(SECRET).sign(id, timestamp, last.raw())
                + " " + new WebhookSigner(OLD_SECRET).sign(id, timestamp, last.raw()));
    }

    @Test
    @DisplayName("51. Send test callback posts {id, status submitted, outputs [], message, create_time, update_time}, ≤ 1 per 6 s")
    void item51_testCallback() throws Exception {
        int before = receiver.all().size();
        HttpResponse<String> first = send("POST", "/admin/test-callback", "{\"url\":\"" + receiver.url() + "\"}");
        HttpResponse<String> second = send("POST", "/admin/test-callback", "{\"url\":\"" + receiver.url() + "\"}");
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(second.statusCode()).isEqualTo(429);
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.all().size() > before);
        JsonNode body = receiver.all().stream().filter(r -> r.body().has("outputs")).findFirst().orElseThrow().body();
        assertThat(body.get("status").stringValue()).isEqualTo("submitted");
        assertThat(body.get("outputs").isArray()).isTrue();
        assertThat(body.get("message").stringValue()).isEmpty();
        assertThat(body.has("id") && body.has("create_time") && body.has("update_time")).isTrue();
    }

    // ---------------------------------------------------------------- Concurrency, accounts, faults, assets

    @Test
    @DisplayName("52. 429 / 1303 over the account's concurrency; image tasks use n slots")
    void item52_concurrencyLimitWithImageSlots() throws Exception {
        String taskId = post("img", IMAGES, "{\"prompt\":\"three slots\",\"n\":3}").get("data").get("task_id").stringValue();
        HttpResponse<String> over = postResponse("img", IMAGES, "{\"prompt\":\"one more\"}");
        assertError(over, 429, 1303);
        assertThat(json(over).get("message").stringValue()).isEqualTo("parallel task over resource pack limit");
        awaitStatus("img", IMAGES + "/" + taskId, "succeed");
    }

    @Test
    @DisplayName("53. A slot is held until succeed or failed; queries use none; then the next create succeeds")
    void item53_slotHeldUntilTheTaskEnds() throws Exception {
        String first = post("small", T2V, "{\"prompt\":\"one [[fail]]\"}").get("data").get("task_id").stringValue();
        get("small", T2V + "/" + first);
        assertError(postResponse("small", T2V, "{\"prompt\":\"two\"}"), 429, 1303);
        awaitStatus("small", T2V + "/" + first, "failed");
        String next = post("small", T2V, "{\"prompt\":\"three\"}").get("data").get("task_id").stringValue();
        awaitStatus("small", T2V + "/" + next, "succeed");
    }

    @Test
    @DisplayName("54. Concurrency = highest among active packs of a type (5 + 10 → 10), shared by all keys; scope configurable")
    void item54_packConcurrencyPerTypeSharedByAllKeys() throws Exception {
        try (ConfigurableApplicationContext packs = SpringApplication.run(KlingEmulatorApplication.class,
                "--server.port=0", "--klingrelay.emulator.concurrency-scope=pack-type",
                "--klingrelay.emulator.accounts[0].id=p", "--klingrelay.emulator.accounts[0].access-key=ak-p1",
                "--klingrelay.emulator.accounts[0].secret-key=" + SK_MAIN,
                "--klingrelay.emulator.accounts[0].additional-keys[0].access-key=ak-p2",
                "--klingrelay.emulator.accounts[0].additional-keys[0].secret-key=" + SK_IMG,
                "--klingrelay.emulator.accounts[0].packs[0].name=video-5", "--klingrelay.emulator.accounts[0].packs[0].concurrency=1",
                "--klingrelay.emulator.accounts[0].packs[1].name=video-10", "--klingrelay.emulator.accounts[0].packs[1].concurrency=2",
                "--klingrelay.emulator.accounts[0].packs[2].name=image", "--klingrelay.emulator.accounts[0].packs[2].type=image",
                "--klingrelay.emulator.accounts[0].packs[2].concurrency=1")) {
            String base = "http://127.0.0.1:" + ((WebServerApplicationContext) packs).getWebServer().getPort();
            String key1 = "Bearer " + Jwts.official("ak-p1", SK_MAIN, System.currentTimeMillis());
            String key2 = "Bearer " + Jwts.official("ak-p2", SK_IMG, System.currentTimeMillis());

            assertThat(postTo(base + T2V, key1, "{\"prompt\":\"one\"}").statusCode()).isEqualTo(200);
            assertThat(postTo(base + T2V, key2, "{\"prompt\":\"two\"}").statusCode()).isEqualTo(200);
            assertError(postTo(base + T2V, key1, "{\"prompt\":\"three\"}"), 429, 1303);
            assertThat(postTo(base + IMAGES, key2, "{\"prompt\":\"image\"}").statusCode()).isEqualTo(200);
            assertError(postTo(base + IMAGES, key1, "{\"prompt\":\"image two\"}"), 429, 1303);
        }
    }

    @Test
    @DisplayName("54. Scope per model version × pack type (concurrency-scope=model-pack-type): each model has its own pool, shared by all keys")
    void item54_modelVersionTimesPackTypeScope() throws Exception {
        // GIVEN an emulator whose concurrency is per account × model × pack type, video and image packs of 1
        try (ConfigurableApplicationContext packs = SpringApplication.run(KlingEmulatorApplication.class,
                "--server.port=0", "--klingrelay.emulator.concurrency-scope=model-pack-type",
                "--klingrelay.emulator.accounts[0].id=m", "--klingrelay.emulator.accounts[0].access-key=ak-m1",
                "--klingrelay.emulator.accounts[0].secret-key=" + SK_MAIN,
                "--klingrelay.emulator.accounts[0].additional-keys[0].access-key=ak-m2",
                "--klingrelay.emulator.accounts[0].additional-keys[0].secret-key=" + SK_IMG,
                "--klingrelay.emulator.accounts[0].packs[0].name=video", "--klingrelay.emulator.accounts[0].packs[0].concurrency=1",
                "--klingrelay.emulator.accounts[0].packs[1].name=image", "--klingrelay.emulator.accounts[0].packs[1].type=image",
                "--klingrelay.emulator.accounts[0].packs[1].concurrency=1")) {
            String base = "http://127.0.0.1:" + ((WebServerApplicationContext) packs).getWebServer().getPort();
            String key1 = "Bearer " + Jwts.official("ak-m1", SK_MAIN, System.currentTimeMillis());
            String key2 = "Bearer " + Jwts.official("ak-m2", SK_IMG, System.currentTimeMillis());

            // WHEN / THEN one running task per model and type; another model (or type) has room, the same one not
            assertThat(postTo(base + T2V, key1, "{\"prompt\":\"v1\",\"model_name\":\"kling-v1\"}").statusCode())
                    .isEqualTo(200);
            assertError(postTo(base + T2V, key2, "{\"prompt\":\"v1 again\",\"model_name\":\"kling-v1\"}"), 429, 1303);
            assertThat(postTo(base + T2V, key2, "{\"prompt\":\"v1-6\",\"model_name\":\"kling-v1-6\"}").statusCode())
                    .isEqualTo(200);
            assertError(postTo(base + T2V, key1, "{\"prompt\":\"v1-6 again\",\"model_name\":\"kling-v1-6\"}"), 429, 1303);
            assertThat(postTo(base + IMAGES, key1, "{\"prompt\":\"image v1\"}").statusCode()).isEqualTo(200);
            assertThat(postTo(base + IMAGES, key2, "{\"prompt\":\"image v2\",\"model_name\":\"kling-v2\"}").statusCode())
                    .isEqualTo(200);
            assertError(postTo(base + IMAGES, key2, "{\"prompt\":\"image v1 again\"}"), 429, 1303);
        }
    }

    @Test
    @DisplayName("55. Used-up pack → 429 / 1102 Account balance not enough; 1101 and 1103 can be set per account")
    void item55_accountCodes() throws Exception {
        send("PUT", "/admin/accounts/faulty/packs", TWO_UNIT_PACK);
        String taskId = post("faulty", T2V, "{\"prompt\":\"pro 5s\",\"mode\":\"pro\"}").get("data").get("task_id").stringValue();
        HttpResponse<String> broke = postResponse("faulty", T2V, "{\"prompt\":\"no units left\"}");
        assertError(broke, 429, 1102);
        assertThat(json(broke).get("message").stringValue()).isEqualTo("Account balance not enough");
        awaitStatus("faulty", T2V + "/" + taskId, "succeed");
        long now = clock.millis();
        assertThat(get("faulty", "/account/costs?start_time=0&end_time=" + now).get("data")
                .get("resource_pack_subscribe_infos").get(0).get("status").stringValue()).isEqualTo("runOut");
        send("PUT", "/admin/accounts/faulty/packs", "[]");
        putFaults("faulty", "{\"accountCode\":1101}");
        assertError(postResponse("faulty", T2V, "{\"prompt\":\"x\"}"), 429, 1101);
        putFaults("faulty", "{\"accountCode\":1103}");
        assertError(postResponse("faulty", T2V, "{\"prompt\":\"x\"}"), 403, 1103);
        assertThat(postResponse("main", T2V, "{\"prompt\":\"others unaffected\"}").statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("56. 1302 rate limiting is off by default and can be switched on")
    void item56_rateLimitingCanBeSwitchedOn() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertThat(getResponse("main", T2V + "?pageSize=1").statusCode()).isEqualTo(200);
        }
        assertThat(send("PUT", "/admin/faults", "{\"create\":{\"rate\":1,\"code\":1302}}").statusCode()).isEqualTo(200);
        assertError(postResponse("main", T2V, "{\"prompt\":\"limited\"}"), 429, 1302);
    }

    @Test
    @DisplayName("57. Injectable 5000/5001/5002, including a task created although the reply is 5000 or 5002")
    void item57_internalErrorsIncludingCreatedButLost() throws Exception {
        String externalId = "lost-" + UUID.randomUUID();
        putFaults("main", "{\"create\":{\"rate\":1,\"code\":5002,\"taskCreated\":true,\"delay\":\"PT0.2S\"}}");
        assertError(postResponse("main", T2V, "{\"prompt\":\"lost\",\"external_task_id\":\"" + externalId + "\"}"), 504, 5002);
        send("DELETE", "/admin/accounts/main/faults", null);
        assertThat(get("main", T2V + "/" + externalId).get("data").get("task_info").get("external_task_id").stringValue())
                .isEqualTo(externalId);
        putFaults("main", "{\"create\":{\"rate\":1,\"code\":5001}}");
        String notCreated = "gone-" + UUID.randomUUID();
        assertError(postResponse("main", T2V, "{\"prompt\":\"x\",\"external_task_id\":\"" + notCreated + "\"}"), 503, 5001);
        send("DELETE", "/admin/accounts/main/faults", null);
        assertError(getResponse("main", T2V + "/" + notCreated), 404, 1203);
    }

    @Test
    @DisplayName("58. Asset URLs are signed with Expires = updated_at/1000 + 30 d; after retention (clock moved through /admin/clock) they stop working and are purged")
    void item58_signedAssetUrlsExpireAndArePurged() throws Exception {
        // GIVEN a succeeded task whose signed asset URL downloads
        String taskId = post("main", T2V, "{\"prompt\":\"retention\"}").get("data").get("task_id").stringValue();
        JsonNode done = awaitStatus("main", T2V + "/" + taskId, "succeed");
        String url = done.get("task_result").get("videos").get(0).get("url").stringValue();
        assertThat(url).matches(".*\\?Expires=\\d+&Signature=[^&]+&Key-Pair-Id=.+");
        long expires = Long.parseLong(url.replaceAll(".*Expires=(\\d+).*", "$1"));
        assertThat(expires).isEqualTo(done.get("updated_at").longValue() / 1000 + 2_592_000);
        assertThat(download(url).statusCode()).isEqualTo(200);
        assertThat(download(url.replaceAll("Signature=[^&]+", "Signature=forged")).statusCode()).isEqualTo(403);
        long purgedBefore = purgedTasks("main");

        // WHEN the clock moves 29 days: still within retention
        JsonNode day29 = json(send("POST", "/admin/clock", "{\"advance\":\"P29D\"}"));
        assertThat(day29.get("offset").stringValue()).isEqualTo("PT696H");
        assertThat(json(send("GET", "/admin/clock", null)).get("epochMillis").longValue())
                .isGreaterThanOrEqualTo(done.get("updated_at").longValue() + Duration.ofDays(29).toMillis());

        // THEN the URL works and the task and its asset are kept
        assertThat(download(url).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/admin/tasks/" + taskId, null).statusCode()).isEqualTo(200);

        // WHEN two more days pass (31 in all)
        JsonNode day31 = json(send("POST", "/admin/clock", "{\"advance\":\"P2D\"}"));

        // THEN the URL is refused as expired (403), and the task and its asset are purged at once
        assertThat(day31.get("offset").stringValue()).isEqualTo("PT744H");
        assertThat(day31.get("purged").intValue()).isPositive();
        assertThat(download(url).statusCode()).isEqualTo(403);
        assertThat(send("GET", "/admin/tasks/" + taskId, null).statusCode()).isEqualTo(404);
        assertThat(purgedTasks("main")).isGreaterThan(purgedBefore);
        assertError(getResponse("main", T2V + "/" + taskId), 404, 1203);

        // AND a reset puts the clock back to system time
        JsonNode reset = json(send("POST", "/admin/clock", "{\"reset\":true}"));
        assertThat(reset.get("offset").stringValue()).isEqualTo("PT0S");
        assertThat(send("POST", "/admin/clock", "{\"advance\":\"-PT1S\"}").statusCode()).isEqualTo(400);
    }

    // ---------------------------------------------------------------- helpers

    private String succeededVideoId(String prompt) throws Exception {
        String taskId = post("main", T2V, "{\"prompt\":\"" + prompt + "\"}").get("data").get("task_id").stringValue();
        return awaitStatus("main", T2V + "/" + taskId, "succeed").get("task_result").get("videos").get(0).get("id")
                .stringValue();
    }

    private CallbackReceiver.Received awaitCallback(String taskId, String status) {
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.forTask(taskId).stream()
                .anyMatch(r -> r.status().equals(status) && !r.answered500()));
        return receiver.forTask(taskId).stream().filter(r -> r.status().equals(status)).reduce((a, b) -> b).orElseThrow();
    }

    private JsonNode awaitStatus(String account, String path, String status) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            last[0] = get(account, path).get("data");
            assertThat(last[0].get("task_status").stringValue()).isEqualTo(status);
        });
        return last[0];
    }

    private long purgedTasks(String account) throws Exception {
        return json(send("GET", "/admin/stats", null)).get("accounts").get(account).get("purged").longValue();
    }

    private void putFaults(String account, String plan) throws Exception {
        HttpResponse<String> response = send("PUT", "/admin/accounts/" + account + "/faults", plan);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    /** @return the {@code resource_pack_name}s of a costs envelope or of its pack array, in order */
    private static List<String> packNames(JsonNode costs) {
        JsonNode infos = costs.isArray() ? costs : costs.get("data").get("resource_pack_subscribe_infos");
        return infos.valueStream().map(pack -> pack.get("resource_pack_name").stringValue()).toList();
    }

    private static void assertError(HttpResponse<String> response, int httpStatus, int code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(httpStatus);
        JsonNode body = MAPPER.readTree(response.body());
        assertThat(body.get("code").intValue()).as(response.body()).isEqualTo(code);
        assertThat(body.get("message").isString()).isTrue();
        assertThat(body.get("request_id").isString()).isTrue();
        assertThat(body.has("data")).as("error bodies carry no data").isFalse();
    }

    private JsonNode post(String account, String path, String body) throws Exception {
        HttpResponse<String> response = postResponse(account, path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    private HttpResponse<String> postResponse(String account, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", bearer(account))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                ofString());
    }

    private static HttpResponse<String> postTo(String url, String authorization, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", authorization)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                ofString());
    }

    private static HttpResponse<String> getFrom(String url, String authorization) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", authorization).build(),
                ofString());
    }

    private JsonNode get(String account, String path) throws Exception {
        HttpResponse<String> response = getResponse(account, path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    private HttpResponse<String> getResponse(String account, String path) throws Exception {
        return getWithAuthorization(path, bearer(account));
    }

    private HttpResponse<String> getWithAuthorization(String path, String authorization) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", authorization).build(), ofString());
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

    private static JsonNode json(HttpResponse<String> response) {
        return MAPPER.readTree(response.body());
    }

    private static HttpResponse.BodyHandler<String> ofString() {
        return HttpResponse.BodyHandlers.ofString();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private String bearer(String account) {
        String[] pair = KEYS.get(account);
        return "Bearer " + Jwts.official(pair[0], pair[1], clock.millis());
    }

    private static String png(int width, int height) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "png", out);
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

}
