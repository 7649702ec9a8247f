package io.klingrelay.klingemulator.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.klingrelay.klingemulator.auth.Jwts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every product: create, query by task_id, by external_task_id (path and query form), list with paging, and
 * download its result; plus the products' own required fields and the try-on pack type.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "klingrelay.emulator.time-scale=0.01",
        "klingrelay.emulator.accounts[0].id=products",
        "klingrelay.emulator.accounts[0].access-key=ak-products",
        "klingrelay.emulator.accounts[0].secret-key=" + ProductsIT.SK,
        "klingrelay.emulator.accounts[0].concurrency=50",
})
class ProductsIT {

    static final String SK = "sk-products-0123456789abcdef01234567";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Test
    void everyProductCreatesQueriesListsAndServesItsResult() throws Exception {
        // GIVEN
        String parentVideo = video(run("/v1/videos/text2video", "{\"prompt\":\"parent\"}"));
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("/v1/videos/text2video", "{\"prompt\":\"t2v\"}");
        bodies.put("/v1/videos/image2video", "{\"image\":\"https://e.org/a.png\"}");
        bodies.put("/v1/videos/multi-image2video", "{\"prompt\":\"m\",\"image_list\":[{\"image\":\"https://e.org/a.png\"},"
                + "{\"image\":\"https://e.org/b.png\"}]}");
        bodies.put("/v1/videos/video-extend", "{\"video_id\":\"" + parentVideo + "\"}");
        bodies.put("/v1/images/generations", "{\"prompt\":\"img\",\"n\":2}");
        bodies.put("/v1/images/multi-image2image", "{\"prompt\":\"mi\",\"n\":2,\"subject_image_list\":"
                + "[{\"subject_image\":\"https://e.org/s.png\"}]}");
        bodies.put("/v1/images/kolors-virtual-try-on", "{\"human_image\":\"https://e.org/h.png\","
                + "\"cloth_image\":\"https://e.org/c.png\"}");

        for (Map.Entry<String, String> product : bodies.entrySet()) {
            String path = product.getKey();
            String externalId = "p-" + UUID.randomUUID();
            String body = product.getValue().replaceFirst("\\{", "{\"external_task_id\":\"" + externalId + "\",");

            // WHEN
            JsonNode done = run(path, body);

            // THEN
            String taskId = done.get("task_id").stringValue();
            assertThat(get(path + "/" + externalId).get("data").get("task_id").stringValue()).as(path).isEqualTo(taskId);
            assertThat(get(path + "?external_task_id=" + externalId).get("data").get("task_id").stringValue())
                    .as(path).isEqualTo(taskId);
            JsonNode page = get(path + "?pageNum=1&pageSize=1").get("data");
            assertThat(page).as(path).hasSize(1);
            assertThat(page.get(0).get("task_id").stringValue()).as(path).isEqualTo(taskId);
            JsonNode result = done.get("task_result");
            JsonNode item = result.get("videos").isEmpty() ? result.get("images").get(0) : result.get("videos").get(0);
            HttpResponse<byte[]> asset = HTTP.send(HttpRequest.newBuilder(URI.create(item.get("url").stringValue()))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(asset.statusCode()).as(path).isEqualTo(200);
            assertThat(asset.body().length).as(path).isGreaterThan(100);
        }
    }

    @Test
    void productsRejectTheirMissingRequiredInputsWith1201() throws Exception {
        assertThat(code("/v1/videos/multi-image2video", "{\"prompt\":\"m\"}")).isEqualTo(1201);
        assertThat(code("/v1/videos/multi-image2video", "{\"image_list\":[{\"image\":\"https://e.org/a.png\"}]}"))
                .isEqualTo(1201);
        assertThat(code("/v1/videos/video-extend", "{\"prompt\":\"no video\"}")).isEqualTo(1201);
        assertThat(code("/v1/images/multi-image2image", "{\"prompt\":\"none\"}")).isEqualTo(1201);
        assertThat(code("/v1/images/kolors-virtual-try-on", "{\"cloth_image\":\"https://e.org/c.png\"}")).isEqualTo(1201);
    }

    private int code(String path, String body) throws Exception {
        HttpResponse<String> response = post(path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        return MAPPER.readTree(response.body()).get("code").intValue();
    }

    private JsonNode run(String path, String body) throws Exception {
        HttpResponse<String> created = post(path, body);
        assertThat(created.statusCode()).as(path + " " + created.body()).isEqualTo(200);
        String taskId = MAPPER.readTree(created.body()).get("data").get("task_id").stringValue();
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            last[0] = get(path + "/" + taskId).get("data");
            assertThat(last[0].get("task_status").stringValue()).isEqualTo("succeed");
        });
        return last[0];
    }

    private static String video(JsonNode task) {
        return task.get("task_result").get("videos").get(0).get("id").stringValue();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", bearer())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", bearer())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
        return MAPPER.readTree(response.body());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String bearer() {
        return "Bearer " + Jwts.official("ak-products", SK, System.currentTimeMillis());
    }
}
