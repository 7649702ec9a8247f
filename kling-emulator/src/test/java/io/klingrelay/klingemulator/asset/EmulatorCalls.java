package io.klingrelay.klingemulator.asset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.klingrelay.klingemulator.auth.Jwts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Kling calls against an emulator on {@code 127.0.0.1:<port>} with one account's JWT (test helper). */
record EmulatorCalls(int port, String accessKey, String secretKey) {

    static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** @return the reply of {@code POST path}, whatever its status */
    HttpResponse<String> postResponse(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", bearer())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** @return {@code data.task_id} of an accepted create (asserts HTTP 200 and code 0) */
    String create(String path, String body) throws Exception {
        HttpResponse<String> response = postResponse(path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode reply = MAPPER.readTree(response.body());
        assertThat(reply.get("code").intValue()).as(response.body()).isZero();
        return reply.get("data").get("task_id").stringValue();
    }

    /** @return the task's {@code data} once it is {@code succeed} (15 s at most) */
    JsonNode awaitSucceed(String path, String taskId) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            last[0] = get(path + "/" + taskId).get("data");
            assertThat(last[0].get("task_status").stringValue()).isEqualTo("succeed");
        });
        return last[0];
    }

    JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", bearer())
                .build(), HttpResponse.BodyHandlers.ofString());
        return MAPPER.readTree(response.body());
    }

    /** @return the body of a plain GET of an (asset) URL, asserting 200 */
    static byte[] download(String url) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private String bearer() {
        return "Bearer " + Jwts.official(accessKey, secretKey, System.currentTimeMillis());
    }
}
