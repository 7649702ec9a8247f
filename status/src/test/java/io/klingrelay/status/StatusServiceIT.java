package io.klingrelay.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.klingrelay.common.json.EventJson;
import io.klingrelay.common.kafka.Topics;
import io.klingrelay.localstack.FreePorts;
import io.klingrelay.localstack.S3ProxyProcess;
import io.klingrelay.status.EventPayloads.Payload;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The whole status service in this JVM against a real (embedded KRaft) broker and a real S3
 * (s3proxy, in memory): the HTTP API with fresh presigned URLs that download the archived object,
 * Server-Sent Events, and the campaign page in a real headless Chromium (Debian's {@code chromium}
 * and {@code chromium-driver}; skipped only when they are not installed).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT, properties = {
        "spring.kafka.streams.application-id=status-service-it",
        "spring.kafka.streams.properties.commit.interval.ms=100",
        "spring.kafka.producer.key-serializer=org.apache.kafka.common.serialization.StringSerializer",
        "spring.kafka.producer.value-serializer=org.apache.kafka.common.serialization.StringSerializer",
        "logging.structured.format.console=",
        "logging.level.org.apache.kafka=warn",
        "logging.level.kafka=warn"})
@EmbeddedKafka(partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers",
        topics = {Topics.REQUESTS, Topics.TASKS_SUBMITTED, Topics.TASKS_STATUS, Topics.TASKS_COMPLETED,
                Topics.ASSETS_ARCHIVED, Topics.REQUESTS_FAILED},
        brokerProperties = {"transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=3",
                "group.initial.rebalance.delay.ms=0"})
class StatusServiceIT {

    private static final String ACCESS_KEY = "status-it";
    private static final String SECRET_KEY = "status-it-secret-" + UUID.randomUUID();
    private static final String BUCKET = "status-it-" + UUID.randomUUID().toString().substring(0, 8);
    private static final int PORT = FreePorts.next();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOT = Path.of("target", "status-campaign-page.png");

    private static @Nullable S3ProxyProcess s3;
    private static @Nullable MinioClient minio;
    private static @Nullable Path stateDir;
    private static byte[] image = new byte[0];
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Autowired
    private KafkaTemplate<String, String> kafka;

    @BeforeAll
    static void startS3(@org.junit.jupiter.api.io.TempDir Path workDir) throws Exception {
        stateDir = workDir.resolve("state");
        s3 = S3ProxyProcess.start(S3ProxyProcess.jarFromSystemProperty(), FreePorts.next(), ACCESS_KEY, SECRET_KEY,
                null, Files.createDirectories(workDir.resolve("s3proxy")));
        minio = MinioClient.builder().endpoint(s3.endpoint()).region("us-east-1").credentials(ACCESS_KEY, SECRET_KEY)
                .build();
        minio.makeBucket(MakeBucketArgs.builder().bucket(BUCKET).build());
        image = png();
    }

    @DynamicPropertySource
    static void statusProperties(DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> PORT);
        registry.add("spring.kafka.streams.state-dir", () -> String.valueOf(stateDir));
        registry.add("klingrelay.status.s3.endpoint", () -> s3().endpoint());
        registry.add("klingrelay.status.s3.access-key", () -> ACCESS_KEY);
        registry.add("klingrelay.status.s3.secret-key", () -> SECRET_KEY);
    }

    @AfterAll
    static void stopS3() {
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void answersARequestWithAFreshPresignedUrlThatDownloadsTheArchivedObject() throws Exception {
        // GIVEN
        String campaign = "api-" + UUID.randomUUID().toString().substring(0, 8);
        EventPayloads request = new EventPayloads("acct-api", "req-api-1", campaign);
        String objectKey = storeImage("acct-api/req-api-1/image-0.png");

        // WHEN
        publish(List.of(request.requested(Instant.now(), null), request.submitted(Instant.now()),
                request.completed(true, "1.25", Instant.now()),
                request.archived(BUCKET, objectKey, "http://stale.example/expired", Instant.now())));
        publish(List.of(new EventPayloads("acct-api", "req-api-2", campaign).requested(Instant.now(), null)));

        // THEN
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(getJson("/requests/acct-api/req-api-1").path("state").asString()).isEqualTo("archived"));
        JsonNode view = getJson("/requests/acct-api/req-api-1?presign=true");
        assertThat(view.path("taskId").asString()).isEqualTo("task-req-api-1");
        assertThat(view.path("units").decimalValue()).isEqualByComparingTo("1.25");
        assertThat(view.path("history")).hasSize(4);
        JsonNode asset = view.path("assets").path(0);
        assertThat(asset.path("presignedUrl").asString()).startsWith(s3().endpoint()).contains("X-Amz-Signature");
        assertThat(Instant.parse(asset.path("presignedUrlExpiresAt").asString()))
                .isBetween(Instant.now().plus(Duration.ofMinutes(55)), Instant.now().plus(Duration.ofMinutes(61)));
        HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(URI.create(asset.path("presignedUrl").asString()))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(image);
        assertThat(status("/requests/acct-api/no-such-request")).isEqualTo(404);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode page = getJson("/campaigns/" + campaign + "/requests?state=queued&limit=10");
            assertThat(page.path("requests")).extracting(r -> r.path("requestId").asString()).containsExactly("req-api-2");
        });
        JsonNode summary = getJson("/campaigns/" + campaign);
        assertThat(summary.path("total").asLong()).isEqualTo(2);
        assertThat(summary.path("oldestWaiting").path("requestId").asString()).isEqualTo("req-api-2");
        assertThat(getJson("/campaigns?limit=50").path("campaigns")).extracting(c -> c.path("campaignId").asString())
                .contains(campaign);
        assertThat(status("/campaigns/" + campaign + "/requests?state=bogus")).isEqualTo(400);
    }

    @Test
    void streamsTheCampaignViewAsServerSentEventsWhenItChanges() throws Exception {
        // GIVEN
        String campaign = "sse-" + UUID.randomUUID().toString().substring(0, 8);
        publish(List.of(new EventPayloads("acct-sse", "req-sse-1", campaign).requested(Instant.now(), null)));
        await().atMost(Duration.ofSeconds(60)).until(() -> status("/campaigns/" + campaign) == 200);
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(
                URI.create(base() + "/campaigns/" + campaign + "/events")).build(), HttpResponse.BodyHandlers.ofInputStream());

        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            // THEN the current view first
            assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
            assertThat(nextCampaignEvent(lines).path("total").asLong()).isEqualTo(1);

            // WHEN
            publish(List.of(new EventPayloads("acct-sse", "req-sse-2", campaign).requested(Instant.now(), null)));

            // THEN the changed one
            assertThat(nextCampaignEvent(lines).path("total").asLong()).isEqualTo(2);
        }
    }

    @Test
    void campaignPageShowsLiveCountsAndAThumbnailInHeadlessChromium() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Debian's chromium and chromium-driver are not installed (apt-get install -y chromium chromium-driver)");
        // GIVEN a campaign whose first request is archived with a real image in S3
        String campaign = "page-" + UUID.randomUUID().toString().substring(0, 8);
        EventPayloads first = new EventPayloads("acct-page-a", "req-page-000", campaign);
        String objectKey = storeImage("acct-page-a/req-page-000/image-0.png");
        Instant start = Instant.now();
        publish(first.archivedJourney(start, "1").subList(0, 4));
        publish(List.of(first.archived(BUCKET, objectKey, "http://stale.example/expired", start.plusSeconds(4))));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                getJson("/requests/acct-page-a/req-page-000").path("state").asString()).isEqualTo("archived"));
        WebDriver browser = chromium();
        ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();
        try {
            // WHEN the page is open while the campaign runs (a request every 150 ms)
            browser.get(base() + "/campaigns/" + campaign);
            long archivedAtOpen = Long.parseLong(browser.findElement(By.id("count-archived")).getText());
            AtomicInteger next = new AtomicInteger(1);
            producer.scheduleAtFixedRate(() -> publishNext(campaign, next.getAndIncrement()), 0, 150, TimeUnit.MILLISECONDS);

            // THEN the counts move without a reload, and the archived image's thumbnail loads
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(Long.parseLong(browser.findElement(By.id("count-archived")).getText()))
                            .isGreaterThanOrEqualTo(archivedAtOpen + 10));
            assertThat(browser.findElement(By.id("live")).getText()).isEqualTo("live");
            assertThat(browser.findElement(By.id("accounts-body")).getText()).contains("acct-page-a", "acct-page-b");
            assertThat(browser.findElement(By.id("failures-body")).getText()).contains("content policy");
            // one script call: the page's script replaces the table rows while the campaign runs
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(((JavascriptExecutor) browser)
                    .executeScript("var img = document.querySelector(\"tr[data-request='req-page-000'] img.thumb\");"
                            + " return img && img.complete ? img.naturalWidth : 0;")).isEqualTo(320L));
            Files.createDirectories(SCREENSHOT.getParent());
            Files.write(SCREENSHOT, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            assertThat(SCREENSHOT).isNotEmptyFile();
        } finally {
            producer.shutdownNow();
            browser.quit();
        }
    }

    /** Request {@code i} of the page's campaign: every 7th fails, the others end archived. */
    private void publishNext(String campaign, int i) {
        EventPayloads request = new EventPayloads(i % 2 == 0 ? "acct-page-a" : "acct-page-b",
                String.format("req-page-%03d", i), campaign);
        Instant at = Instant.now();
        if (i % 7 == 0) {
            publish(List.of(request.requested(at, null), request.failed("generation", "content policy", at)));
            return;
        }
        String objectKey = request.accountId() + "/" + request.requestId() + "/image-0.png";
        try {
            storeImage(objectKey);
        } catch (Exception e) {
            throw new IllegalStateException("cannot store " + objectKey, e);
        }
        List<Payload> journey = request.archivedJourney(at, "1");
        publish(journey.subList(0, 4));
        publish(List.of(request.archived(BUCKET, objectKey, "http://stale.example/expired", at.plusSeconds(4))));
    }

    private static WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1100");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withLogFile(new File("target/chromedriver.log")).build();
        return new ChromeDriver(service, options);
    }

    private static JsonNode nextCampaignEvent(BufferedReader lines) throws IOException {
        String line;
        boolean campaignEvent = false;
        while ((line = lines.readLine()) != null) {
            if (line.equals("event:campaign")) {
                campaignEvent = true;
            } else if (campaignEvent && line.startsWith("data:")) {
                return EventJson.mapper().readTree(line.substring("data:".length()));
            }
        }
        throw new IllegalStateException("the event stream ended");
    }

    private void publish(List<Payload> events) {
        events.forEach(e -> kafka.send(e.topic(), e.key(), e.json()));
        kafka.flush();
    }

    private static String storeImage(String objectKey) throws Exception {
        minio().putObject(PutObjectArgs.builder().bucket(BUCKET).object(objectKey)
                .stream(new ByteArrayInputStream(image), (long) image.length, null).contentType("image/png").build());
        return objectKey;
    }

    private static byte[] png() throws IOException {
        BufferedImage picture = new BufferedImage(320, 180, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = picture.createGraphics();
        graphics.setPaint(new GradientPaint(0, 0, new Color(0x2f9e55), 320, 180, new Color(0x1d4ed8)));
        graphics.fillRect(0, 0, 320, 180);
        graphics.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(picture, "png", bytes);
        return bytes.toByteArray();
    }

    private static JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base() + path))
                .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return EventJson.mapper().readTree(response.body());
    }

    private static int status(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static String base() {
        return "http://127.0.0.1:" + PORT;
    }

    private static S3ProxyProcess s3() {
        return java.util.Objects.requireNonNull(s3);
    }

    private static MinioClient minio() {
        return java.util.Objects.requireNonNull(minio);
    }
}
