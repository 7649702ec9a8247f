package io.klingrelay.webhookreceiver;

import static org.assertj.core.api.Assertions.assertThat;
import com.sun.management.ThreadMXBean;
import io.klingrelay.common.kafka.Topics;
import io.klingrelay.coordination.RecordedTasks;
import io.klingrelay.coordination.dispatch.Dispatches;
import io.klingrelay.coordination.dispatch.RequestQueue;
import io.klingrelay.coordination.permit.Permits;
import io.klingrelay.klingclient.callback.CallbackTokens;
import io.klingrelay.klingclient.callback.StandardWebhookVerifier;
import io.klingrelay.localstack.LocalRedis;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

/**
 * Hostile input at the one public endpoint (issue 7, "Also at the edges"), over real HTTP against
 * the whole service with a real KRaft broker and redis-server: oversized bodies are refused with
 * 413 without being buffered, header and path values that do not parse get 4xx and are never
 * echoed into the log, and nothing answers 5xx.
 *
 * <p>"Not buffered" is measured as the bytes the whole JVM allocated while the 600 MB request was
 * refused ({@code getTotalThreadAllocatedBytes}, which counts the virtual threads' carriers too):
 * heap used after a GC cannot tell, since a buffered body is garbage once the request ends (the
 * receiver before the cap allocated ~1.8 GB per such request and still showed no growth after GC).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "klingrelay.callback.secret=" + HostileCallbacksIT.CALLBACK_SECRET,
        "klingrelay.callback.webhook-secret=" + HostileCallbacksIT.WEBHOOK_SECRET,
        "klingrelay.webhook-receiver.publish-timeout=5s"})
@EmbeddedKafka(partitions = 1, topics = {Topics.TASKS_STATUS, Topics.TASKS_COMPLETED},
        bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class HostileCallbacksIT {

    static final String CALLBACK_SECRET = "it-hostile-callback-secret-0123456789-abc";
    static final String WEBHOOK_SECRET = "whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=";
    /** 600 MB: streaming it takes a few seconds on loopback when the server reads it all. */
    private static final long HUGE = 600L * 1024 * 1024;
    /** What a refused huge body may cost the whole JVM (client and server), in bytes. */
    private static final long ALLOCATION_BUDGET = 48L * 1024 * 1024;
    private static final String RECEIVED = "klingrelay.webhook-receiver.callbacks.received";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Logger log = LoggerFactory.getLogger(HostileCallbacksIT.class);

    private static Path redisDir;
    private static LocalRedis redis;

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) throws IOException {
        redisDir = Files.createTempDirectory("webhook-receiver-hostile-it-redis");
        redis = LocalRedis.startFromSystemProperty(redisDir);
        redis.springProperties().forEach((name, value) -> registry.add(name, () -> value));
        registry.add("klingrelay.redis.key-prefix", () -> "it-" + UUID.randomUUID().toString().substring(0, 8));
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
        FileSystemUtils.deleteRecursively(redisDir.toFile());
    }

    @LocalServerPort
    int port;
    @Autowired
    RequestQueue queue;
    @Autowired
    Dispatches dispatches;
    @Autowired
    Permits permits;
    @Autowired
    MeterRegistry meters;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final CallbackTokens tokens = new CallbackTokens(CALLBACK_SECRET);
    private final StandardWebhookVerifier signer = new StandardWebhookVerifier(WEBHOOK_SECRET, Duration.ofMinutes(5),
            Clock.systemUTC());
    private String account;
    private String requestId;
    private String taskId;

    @BeforeEach
    void freshTask() {
        int n = SEQUENCE.incrementAndGet();
        account = "hostile-" + n + "-" + UUID.randomUUID().toString().substring(0, 6);
        requestId = "req-" + n;
        Instant now = Instant.now();
        taskId = "8283386746052" + (20000 + n);
        RecordedTasks.record(queue, dispatches, account, requestId, taskId, "c", now, Duration.ofHours(2));
    }

    private URI callbackUri() {
        return URI.create("http://127.0.0.1:" + port + "/callbacks/" + account + "/" + requestId + "/"
                + tokens.token(account, requestId));
    }

    private HttpRequest.Builder signed(byte[] raw) {
        String id = "msg-" + UUID.randomUUID();
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        return HttpRequest.newBuilder(callbackUri()).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("webhook-id", id).header("webhook-timestamp", timestamp)
                .header("webhook-signature", signer.sign(id, timestamp, raw));
    }

    private int send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private int postSigned(byte[] raw) throws Exception {
        return send(signed(raw).POST(HttpRequest.BodyPublishers.ofByteArray(raw)).build());
    }

    // ---- 1. body cap ---------------------------------------------------------------------------

    @Test
    void answers413AtOnceToADeclaredContentLengthOverTheCapWithoutReadingTheBody() throws Exception {
        HttpRequest request = signed(new byte[0]).POST(HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> new GeneratedBody(HUGE)), HUGE)).build();

        assertRefusedWithoutBuffering(request, 413, "payload_too_large");
    }

    @Test
    void answers413ToAChunkedBodyOverTheCapWithoutBufferingIt() throws Exception {
        HttpRequest request = signed(new byte[0]).POST(
                HttpRequest.BodyPublishers.ofInputStream(() -> new GeneratedBody(HUGE))).build();

        assertRefusedWithoutBuffering(request, 413, "payload_too_large");
    }

    @Test
    void answers404ToABadTokenBeforeReadingItsBody() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/callbacks/" + account
                        + "/" + requestId + "/" + tokens.token(account, "another-request")))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new GeneratedBody(HUGE))).build();

        assertRefusedWithoutBuffering(request, 404, "bad_token");
    }

    @Test
    void acceptsABodyJustUnderTheCapAndRefusesOneJustOver() throws Exception {
        byte[] padded = paddedTask(64 * 1024);
        byte[] over = paddedTask(64 * 1024 + 1);

        assertThat(postSigned(padded)).isEqualTo(200);
        assertThat(postSigned(over)).isEqualTo(413);
    }

    private byte[] paddedTask(int size) {
        String head = "{\"task_id\":\"" + taskId + "\",\"task_status\":\"processing\",\"pad\":\"";
        String tail = "\"}";
        return (head + "p".repeat(size - head.length() - tail.length()) + tail).getBytes(StandardCharsets.US_ASCII);
    }

    private void assertRefusedWithoutBuffering(HttpRequest request, int expectedStatus, String outcome)
            throws Exception {
        // GIVEN
        double handledBefore = handledOtherThan(outcome);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        memory.gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        long allocatedBefore = threads.getTotalThreadAllocatedBytes();
        long started = System.nanoTime();

        // WHEN
        int status = send(request);

        // THEN
        long allocated = threads.getTotalThreadAllocatedBytes() - allocatedBefore;
        memory.gc();
        long heapGrowth = memory.getHeapMemoryUsage().getUsed() - heapBefore;
        log.info("huge request refused: status {} in {} ms, allocated {} MB, heap growth {} MB", status,
                Duration.ofNanos(System.nanoTime() - started).toMillis(), allocated >> 20, heapGrowth >> 20);
        assertThat(status).isEqualTo(expectedStatus);
        assertThat(allocated).as("bytes allocated by the whole JVM while refusing").isLessThan(ALLOCATION_BUDGET);
        assertThat(heapGrowth).as("heap growth after GC").isLessThan(ALLOCATION_BUDGET);
        assertThat(handledOtherThan(outcome)).as("callbacks that reached the handler").isEqualTo(handledBefore);
    }

    private double handledOtherThan(String outcome) {
        return meters.find(RECEIVED).counters().stream()
                .filter(counter -> !outcome.equals(counter.getId().getTag("outcome")))
                .mapToDouble(Counter::count).sum();
    }

    // ---- 2. header values that do not parse -----------------------------------------------------

    @Test
    void answers400ToStandardWebhooksHeadersThatDoNotParse() throws Exception {
        byte[] raw = "{\"task_id\":\"x\",\"task_status\":\"processing\"}".getBytes(StandardCharsets.UTF_8);
        Map<String, HttpRequest> requests = new LinkedHashMap<>();
        requests.put("timestamp Long.MAX_VALUE", signed(raw).setHeader("webhook-timestamp", "9223372036854775807")
                .POST(HttpRequest.BodyPublishers.ofByteArray(raw)).build());
        requests.put("timestamp Long.MIN_VALUE", signed(raw).setHeader("webhook-timestamp", "-9223372036854775808")
                .POST(HttpRequest.BodyPublishers.ofByteArray(raw)).build());
        requests.put("timestamp abc", signed(raw).setHeader("webhook-timestamp", "abc")
                .POST(HttpRequest.BodyPublishers.ofByteArray(raw)).build());
        requests.put("signature garbage", signed(raw).setHeader("webhook-signature", "garbage%%%!!!")
                .POST(HttpRequest.BodyPublishers.ofByteArray(raw)).build());
        requests.put("signature v1 without value", signed(raw).setHeader("webhook-signature", "v1,")
                .POST(HttpRequest.BodyPublishers.ofByteArray(raw)).build());
        requests.put("webhook-id of 10 KB", signed(raw).setHeader("webhook-id", "i".repeat(10 * 1024))
                .POST(HttpRequest.BodyPublishers.ofByteArray(raw)).build());
        requests.put("webhook-id of 2 KB", signed(raw).setHeader("webhook-id", "i".repeat(2 * 1024))
                .POST(HttpRequest.BodyPublishers.ofByteArray(raw)).build());

        Map<String, Integer> statuses = new LinkedHashMap<>();
        for (Map.Entry<String, HttpRequest> request : requests.entrySet()) {
            statuses.put(request.getKey(), send(request.getValue()));
        }

        assertThat(statuses).allSatisfy((name, status) -> assertThat(status).as(name).isEqualTo(400));
        assertThat(permits.inUse(account)).isEqualTo(1);
    }

    // ---- 3. path values are validated before they are logged ------------------------------------

    @Test
    void refusesCrLfAndOversizedPathValuesWithoutEchoingThemIntoTheLog(CapturedOutput output) throws Exception {
        String token = tokens.token(account, requestId);
        String longId = "LONGID" + "x".repeat(5 * 1024);
        Map<String, String> paths = new LinkedHashMap<>();
        paths.put("CR/LF in the account", "/callbacks/acct%0D%0AFORGED-LOG-LINE/" + requestId + "/" + token);
        paths.put("CR/LF in the request", "/callbacks/" + account + "/req%0d%0aFORGED-LOG-LINE/" + token);
        paths.put("5 KB request id", "/callbacks/" + account + "/" + longId + "/" + token);
        paths.put("5 KB account id", "/callbacks/" + longId + "/" + requestId + "/" + token);
        paths.put("5 KB token", "/callbacks/" + account + "/" + requestId + "/" + longId);
        paths.put("token with CR/LF", "/callbacks/" + account + "/" + requestId + "/tok%0D%0AFORGED-LOG-LINE");
        paths.put("unicode in the request", "/callbacks/" + account + "/%E2%80%AEFORGED-LOG-LINE/" + token);

        Map<String, Integer> statuses = new LinkedHashMap<>();
        for (Map.Entry<String, String> path : paths.entrySet()) {
            statuses.put(path.getKey(), send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + path.getValue())).POST(HttpRequest.BodyPublishers.ofString("{}")).build()));
        }

        assertThat(statuses).allSatisfy((name, status) -> assertThat(status).as(name).isIn(400, 404));
        assertThat(output).doesNotContain("\nFORGED-LOG-LINE").doesNotContain("\rFORGED-LOG-LINE")
                .doesNotContain("\u202EFORGED-LOG-LINE").doesNotContain("x".repeat(200)).doesNotContain(token);
    }

    // ---- never 5xx ------------------------------------------------------------------------------

    @Test
    void neverAnswers5xxToHostileBodies() throws Exception {
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("empty", new byte[0]);
        bodies.put("not JSON", "<html>hello</html>".getBytes(StandardCharsets.UTF_8));
        bodies.put("JSON array", "[1,2,3]".getBytes(StandardCharsets.UTF_8));
        bodies.put("JSON null", "null".getBytes(StandardCharsets.UTF_8));
        bodies.put("JSON string", "\"task\"".getBytes(StandardCharsets.UTF_8));
        bodies.put("JSON number", "12345678901234567890123456789".getBytes(StandardCharsets.UTF_8));
        bodies.put("10,000 nested arrays", ("[".repeat(10_000) + "]".repeat(10_000)).getBytes(StandardCharsets.UTF_8));
        bodies.put("10,000 nested objects in an unknown field",
                ("{\"task_id\":\"x\",\"task_status\":\"processing\",\"deep\":" + "{\"a\":".repeat(10_000) + "1"
                        + "}".repeat(10_000) + "}").getBytes(StandardCharsets.UTF_8));
        bodies.put("huge string task_id", ("{\"task_id\":\"" + "9".repeat(60_000) + "\",\"task_status\":\"processing\"}")
                .getBytes(StandardCharsets.UTF_8));
        bodies.put("huge number", ("{\"task_id\":\"x\",\"task_status\":\"processing\",\"created_at\":"
                + "9".repeat(5_000) + "}").getBytes(StandardCharsets.UTF_8));
        bodies.put("created_at overflow", "{\"task_id\":\"x\",\"task_status\":\"processing\",\"created_at\":1e999}"
                .getBytes(StandardCharsets.UTF_8));
        bodies.put("task_status a number", "{\"task_id\":\"x\",\"task_status\":123}".getBytes(StandardCharsets.UTF_8));
        bodies.put("task_status an array", "{\"task_id\":\"x\",\"task_status\":[\"succeed\"]}"
                .getBytes(StandardCharsets.UTF_8));
        bodies.put("task_result a string", "{\"task_id\":\"x\",\"task_status\":\"succeed\",\"task_result\":\"boom\"}"
                .getBytes(StandardCharsets.UTF_8));
        bodies.put("videos not a list", ("{\"task_id\":\"x\",\"task_status\":\"succeed\",\"task_result\":"
                + "{\"videos\":{\"id\":1}}}").getBytes(StandardCharsets.UTF_8));
        bodies.put("invalid UTF-8", new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'});
        bodies.put("NUL bytes", new byte[] {0, 0, 0, 0});
        bodies.put("truncated JSON", "{\"task_id\":\"x\",\"task_sta".getBytes(StandardCharsets.UTF_8));
        bodies.put("duplicate keys", "{\"task_id\":\"x\",\"task_id\":\"y\",\"task_status\":\"processing\"}"
                .getBytes(StandardCharsets.UTF_8));

        Map<String, Integer> statuses = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> body : bodies.entrySet()) {
            statuses.put(body.getKey(), postSigned(body.getValue()));
        }
        statuses.put("form content type", send(signed("a=b".getBytes(StandardCharsets.UTF_8))
                .setHeader("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("a=b")).build()));
        statuses.put("GET", send(HttpRequest.newBuilder(callbackUri()).GET().build()));
        statuses.put("unsigned", send(HttpRequest.newBuilder(callbackUri()).POST(HttpRequest.BodyPublishers.ofString(
                "{}")).build()));

        assertThat(statuses).allSatisfy((name, status) -> assertThat(status).as(name).isBetween(400, 499));
        assertThat(permits.inUse(account)).isEqualTo(1);
    }

    @Test
    void neverAnswers5xxToBrokenFraming() throws Exception {
        String path = callbackUri().getRawPath();
        Map<String, Integer> statuses = new LinkedHashMap<>();
        statuses.put("negative Content-Length", rawStatus("POST", path, "Content-Length: -1\r\n", ""));
        statuses.put("Content-Length abc", rawStatus("POST", path, "Content-Length: abc\r\n", ""));
        statuses.put("Content-Length overflow", rawStatus("POST", path, "Content-Length: 99999999999999999999\r\n", ""));
        statuses.put("bad chunk size", rawStatus("POST", path, "Transfer-Encoding: chunked\r\n", "zz\r\nabc\r\n0\r\n\r\n"));
        statuses.put("chunk size overflow", rawStatus("POST", path, "Transfer-Encoding: chunked\r\n",
                "ffffffffffffffffffff\r\nabc\r\n0\r\n\r\n"));
        statuses.put("body shorter than Content-Length", rawStatus("POST", path, "Content-Length: 100\r\n", "{}"));

        assertThat(statuses).allSatisfy((name, status) -> assertThat(status).as(name).isBetween(400, 499));
    }

    /**
     * Sends one request over a plain socket and reads its status line, for framing no HTTP client
     * would produce. A request whose body is shorter than announced is answered once the server's
     * read times out, so the socket closes its output side after writing.
     */
    private int rawStatus(String method, String path, String headers, String body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Connection: close\r\n" + headers + "\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.shutdownOutput();
            String statusLine = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(statusLine.substring(9, 12));
        }
    }

    /** {@code size} bytes of {@code 'a'}, generated on the fly: nothing is held in memory. */
    private static final class GeneratedBody extends InputStream {

        private long remaining;

        GeneratedBody(long size) {
            this.remaining = size;
        }

        @Override
        public int read() {
            if (remaining <= 0) {
                return -1;
            }
            remaining--;
            return 'a';
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (remaining <= 0) {
                return -1;
            }
            int n = (int) Math.min(length, remaining);
            Arrays.fill(buffer, offset, offset + n, (byte) 'a');
            remaining -= n;
            return n;
        }
    }
}
