package io.klingrelay.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts the three real backing services as processes, talks to each, stops them and checks they are gone. */
class LocalStackIT {

    @TempDir
    Path dataDir;

    @Test
    void startsRedisS3proxyAndKafkaThatEachAnswerAndStopsThemAll() throws Exception {
        // GIVEN
        RedisServerProcess redis = RedisServerProcess.start(FreePorts.next(), dataDir.resolve("redis"), true);
        S3ProxyProcess s3 = S3ProxyProcess.start(S3ProxyProcess.jarFromSystemProperty(), FreePorts.next(),
                "local-access", "local-secret-" + System.nanoTime(), dataDir.resolve("s3"), dataDir.resolve("s3proxy"));
        KafkaBrokerProcess kafka = KafkaBrokerProcess.start(KafkaBrokerProcess.libFromSystemProperty(),
                FreePorts.next(), FreePorts.next(), dataDir.resolve("kafka"));
        List<ManagedProcess> processes = List.of(redis.process(), s3.process(), kafka.process());
        try {
            // WHEN / THEN
            assertThat(redisPing(redis.port())).isEqualTo("+PONG");
            assertThat(s3ListBucketsUnsigned(s3.endpoint())).contains("AccessDenied");
            kafka.createTopics(List.of("local-stack-it"), 3);
            try (Admin admin = kafka.admin()) {
                assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS)).hasSize(1);
                Set<String> topics = admin.listTopics().names().get(10, TimeUnit.SECONDS);
                assertThat(topics).contains("local-stack-it");
            }
        } finally {
            kafka.close();
            s3.close();
            redis.close();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(processes).noneMatch(ManagedProcess::isAlive));
        assertThat(kafka.answers()).isFalse();
    }

    @Test
    void s3proxyToStringKeepsTheSecretKeyOut() {
        S3ProxyProcess s3 = new S3ProxyProcess(null, 1, "identity", "very-secret");

        assertThat(s3.toString()).contains("identity").doesNotContain("very-secret");
    }

    private static String redisPing(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64];
            int read = in.read(buffer);
            return new String(buffer, 0, read, StandardCharsets.US_ASCII).trim();
        }
    }

    /** An unsigned ListBuckets: s3proxy enforces signatures, so a live server answers with an S3 error document. */
    private static String s3ListBucketsUnsigned(String endpoint) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(endpoint + "/")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(403);
        return response.body();
    }
}
