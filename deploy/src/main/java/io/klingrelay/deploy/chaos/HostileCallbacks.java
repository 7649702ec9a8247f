package io.klingrelay.deploy.chaos;

import io.klingrelay.common.json.EventJson;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Throws forged, replayed, malformed and oversized callbacks at the webhook receiver and counts
 * the answers. Forged ones (a wrong token, another request's token, the right token with a
 * foreign or made-up task id, a body that is not JSON, an 8 MB body, absurd headers, unusable ids
 * in the path) must never be answered 2xx; replays of real callbacks (as the emulator sends them,
 * or with the status changed) may be answered 2xx but must publish nothing, which the caller
 * checks on the topics. No answer may be a 5xx. The callback token is computed as the receiver
 * checks it (kling-client {@code CallbackTokens}: unpadded base64url HMAC-SHA256 of
 * {@code "<accountId>/<requestId>"}); the secret never leaves this class.
 */
final class HostileCallbacks {

    private static final Logger log = LoggerFactory.getLogger(HostileCallbacks.class);
    private static final int HUGE_BODY_BYTES = 8 * 1024 * 1024;
    /** The webhook receiver's default body cap ({@code klingrelay.webhook-receiver.max-body-size}, 64 KiB). */
    private static final int RECEIVER_BODY_CAP_BYTES = 64 * 1024;
    /**
     * Tomcat's cap on the request line plus headers ({@code server.max-http-request-header-size}, Spring
     * Boot's default 8 KiB, which the receiver keeps).
     */
    static final int RECEIVER_HEAD_CAP_BYTES = 8 * 1024;
    private static final int PARALLEL = 16;

    private final String receiverBaseUrl;
    private final byte[] secret;
    private final List<RealCallback> real;
    private final Random random;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final byte[] hugeBody;

    /**
     * @param receiverBaseUrl the webhook receiver's {@code http://127.0.0.1:<port>}
     * @param callbackSecret  the stack's callback secret (HMAC key)
     * @param real            real tasks of the run, with the body Kling sent for them (at least two)
     * @param seed            the random seed
     */
    HostileCallbacks(String receiverBaseUrl, String callbackSecret, List<RealCallback> real, long seed) {
        if (real.size() < 2) {
            throw new IllegalArgumentException("need at least two real callbacks, got " + real.size());
        }
        this.receiverBaseUrl = receiverBaseUrl;
        this.secret = callbackSecret.getBytes(StandardCharsets.UTF_8);
        this.real = List.copyOf(real);
        this.random = new Random(seed);
        this.hugeBody = new byte[HUGE_BODY_BYTES];
        random.nextBytes(hugeBody);
    }

    /**
     * Sends {@code count} hostile callbacks, {@value #PARALLEL} at a time.
     *
     * @param count how many
     * @return the answers
     */
    Result send(int count) {
        List<Attempt> attempts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            attempts.add(attempt(i));
        }
        Map<String, Long> statuses = new ConcurrentHashMap<>();
        AtomicLong accepted = new AtomicLong();
        AtomicLong failed5xx = new AtomicLong();
        AtomicLong replays = new AtomicLong();
        AtomicLong cutOff = new AtomicLong();
        List<String> samples = java.util.Collections.synchronizedList(new ArrayList<>());
        Semaphore slots = new Semaphore(PARALLEL);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Attempt attempt : attempts) {
                slots.acquireUninterruptibly();
                executor.submit(() -> {
                    try {
                        int status = deliver(attempt);
                        statuses.merge(attempt.kind() + " " + status, 1L, Long::sum);
                        if (attempt.replay()) {
                            replays.incrementAndGet();
                        } else if (status / 100 == 2) {
                            accepted.incrementAndGet();
                            sample(samples, "forged callback " + attempt.kind() + " answered " + status);
                        }
                        if (status < 0 && overReceiverCaps(attempt.path(), attempt.headers(), attempt.body())) {
                            // the receiver answers (400, 404 or 413) before reading a head or a body over
                            // its cap and closes the connection with the rest unread: the kernel then
                            // resets it, and a client that had not yet read the answer sees the reset
                            // (measured against the receiver alone: 1 in 70 to 1 in 180 under load)
                            cutOff.incrementAndGet();
                        } else if (status >= 500 || status < 0) {
                            failed5xx.incrementAndGet();
                            sample(samples, "callback " + attempt.kind() + " answered "
                                    + (status < 0 ? "no answer (connection failed)" : status));
                        }
                    } finally {
                        slots.release();
                    }
                });
            }
        }
        return new Result(accepted.get(), failed5xx.get(), cutOff.get(), replays.get(), new TreeMap<>(statuses),
                List.copyOf(samples));
    }

    /**
     * Whether a request exceeds one of the receiver's caps, so the receiver refuses it without reading
     * all of it: its request line and headers over {@value #RECEIVER_HEAD_CAP_BYTES} bytes, or its body
     * over {@value #RECEIVER_BODY_CAP_BYTES} bytes.
     *
     * @param path    the request path
     * @param headers the request's extra headers
     * @param body    the body
     * @return true when the receiver closes such a request's connection with bytes of it unread
     */
    static boolean overReceiverCaps(String path, Map<String, String> headers, byte[] body) {
        long head = ("POST " + path + " HTTP/1.1\r\n").length();
        for (Map.Entry<String, String> header : headers.entrySet()) {
            head += header.getKey().length() + 2 + header.getValue().length() + 2;
        }
        return head > RECEIVER_HEAD_CAP_BYTES || body.length > RECEIVER_BODY_CAP_BYTES;
    }

    private static void sample(List<String> samples, String line) {
        if (samples.size() < 20) {
            samples.add(line);
        }
    }

    private int deliver(Attempt attempt) {
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(receiverBaseUrl + attempt.path()))
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(attempt.body()));
            attempt.headers().forEach(builder::header);
            return http.send(builder.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            log.debug("hostile callback {} failed: {}", attempt.kind(), e.toString());
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (IllegalArgumentException e) {
            // the JDK client refuses to build some absurd requests at all: nothing reached the receiver
            return 400;
        }
    }

    private Attempt attempt(int index) {
        RealCallback target = real.get(random.nextInt(real.size()));
        RealCallback other = otherThan(target);
        Map<String, String> json = Map.of("Content-Type", "application/json");
        return switch (index % 10) {
            case 0 -> new Attempt("bad-token", path(target, randomToken()), target.body(), json, false);
            case 1 -> new Attempt("token-of-another-request", path(target, token(other)), target.body(), json, false);
            case 2 -> new Attempt("foreign-task-id", path(target, token(target)), other.body(), json, false);
            case 3 -> new Attempt("made-up-task-id", path(target, token(target)),
                    withTask(target, String.valueOf(Math.abs(random.nextLong())), "succeed"), json, false);
            case 4 -> new Attempt("not-json", path(target, token(target)), garbage(), json, false);
            case 5 -> index % 100 == 5
                    ? new Attempt("huge-body-8mb", path(target, random.nextBoolean() ? token(target) : randomToken()),
                            hugeBody, json, false)
                    : new Attempt("deep-json", path(target, token(target)), deepJson(), json, false);
            case 6 -> absurdHeaders(target, index);
            case 7 -> new Attempt("replay", path(target, token(target)), target.body(), json, true);
            case 8 -> new Attempt("replay-status-changed", path(target, token(target)),
                    withTask(target, target.taskId(), random.nextBoolean() ? "failed" : "processing"), json, true);
            default -> unusablePath(target, index);
        };
    }

    private Attempt absurdHeaders(RealCallback target, int index) {
        return switch ((index / 10) % 4) {
            case 0 -> new Attempt("header-64kb", path(target, token(target)), other(target).body(),
                    Map.of("Content-Type", "application/json", "X-Absurd", "a".repeat(64 * 1024)), false);
            case 1 -> new Attempt("bogus-webhook-signature", path(target, randomToken()), target.body(),
                    Map.of("Content-Type", "application/json", "webhook-id", "msg_" + "x".repeat(5000),
                            "webhook-timestamp", "-99999999999999999999", "webhook-signature", "v1,"
                                    + "=".repeat(3000)), false);
            case 2 -> new Attempt("content-type-lies", path(target, token(target)), garbage(),
                    Map.of("Content-Type", "multipart/form-data; boundary=" + "-".repeat(2000),
                            "Content-Encoding", "gzip"), false);
            default -> new Attempt("xml-body", path(target, token(target)),
                    "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\">]><x>&a;&a;&a;</x>"
                            .getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/xml"), false);
        };
    }

    private Attempt unusablePath(RealCallback target, int index) {
        Map<String, String> json = Map.of("Content-Type", "application/json");
        String account = URLEncoder.encode(target.accountId(), StandardCharsets.UTF_8);
        return switch ((index / 10) % 5) {
            case 0 -> new Attempt("dot-dot-path", "/callbacks/" + account + "/..%2F..%2Fadmin/" + randomToken(),
                    target.body(), json, false);
            case 1 -> new Attempt("id-10kb", "/callbacks/" + account + "/" + "r".repeat(10_000) + "/" + randomToken(),
                    target.body(), json, false);
            case 2 -> new Attempt("unicode-id", "/callbacks/" + account + "/"
                    + URLEncoder.encode("réquest-\u202e-✓", StandardCharsets.UTF_8) + "/" + randomToken(), target.body(),
                    json, false);
            case 3 -> new Attempt("nul-in-id", "/callbacks/" + account + "/a%00b/" + randomToken(), target.body(), json,
                    false);
            default -> new Attempt("missing-token", "/callbacks/" + account + "/" + target.requestId() + "/",
                    target.body(), json, false);
        };
    }

    private RealCallback otherThan(RealCallback target) {
        RealCallback other = real.get(random.nextInt(real.size()));
        return other.requestId().equals(target.requestId()) ? other(target) : other;
    }

    private RealCallback other(RealCallback target) {
        int at = real.indexOf(target);
        return real.get((at + 1) % real.size());
    }

    private byte[] withTask(RealCallback target, String taskId, String status) {
        ObjectNode body = (ObjectNode) EventJson.mapper().readTree(target.body());
        body.put("task_id", taskId);
        body.put("task_status", status);
        return EventJson.mapper().writeValueAsBytes(body);
    }

    private byte[] garbage() {
        byte[] bytes = new byte[1 + random.nextInt(2048)];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] deepJson() {
        return ("{\"task_id\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}").getBytes(StandardCharsets.UTF_8);
    }

    private String path(RealCallback target, String token) {
        return "/callbacks/" + target.accountId() + "/" + target.requestId() + "/" + token;
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private String token(RealCallback target) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] digest = mac.doFinal((target.accountId() + "/" + target.requestId()).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "HostileCallbacks[" + receiverBaseUrl + ", secret=****]";
    }

    /**
     * A real task of the run and the body Kling sends for it.
     *
     * @param accountId the account
     * @param requestId the request (the {@code external_task_id})
     * @param taskId    Kling's task id
     * @param body      the callback body (the task object, kling-api.md §11)
     */
    record RealCallback(String accountId, String requestId, String taskId, byte[] body) {

        RealCallback {
            Objects.requireNonNull(accountId, "accountId");
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(body, "body");
        }
    }

    /**
     * @param accepted      forged callbacks answered 2xx
     * @param answered5xx   callbacks answered 5xx or not answered at all (but those of {@code cutOff})
     * @param cutOff        callbacks with a head or a body over the receiver's caps whose connection was
     *                      reset before their answer was read (the receiver refused to read them whole)
     * @param replays       replays sent (their effect is checked on the topics)
     * @param statuses      answers per {@code "<kind> <status>"}
     * @param samples       a few offending attempts, for the report
     */
    record Result(long accepted, long answered5xx, long cutOff, long replays, Map<String, Long> statuses, List<String> samples) {
    }

    /**
     * @param kind    what makes it hostile
     * @param path    the request path (with the token; never logged)
     * @param body    the body
     * @param headers extra headers
     * @param replay  whether it replays a real callback (2xx allowed, must change nothing)
     */
    private record Attempt(String kind, String path, byte[] body, Map<String, String> headers, boolean replay) {
    }
}
