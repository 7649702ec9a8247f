package io.klingrelay.deploy.bench;

import io.klingrelay.common.event.FailureStage;
import io.klingrelay.common.event.KlingRelayEvent;
import io.klingrelay.common.event.Priority;
import io.klingrelay.common.event.RequestFailed;
import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.coordination.dispatch.ParkedRequest;
import io.klingrelay.coordination.dispatch.RequestQueue;
import io.klingrelay.coordination.dispatch.TakeResult;
import io.klingrelay.coordination.outcome.ClaimCondition;
import io.klingrelay.coordination.outcome.OutcomeLedger;
import io.klingrelay.localstack.FreePorts;
import io.klingrelay.localstack.RedisServerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Acquire+release pairs per second of {@link RequestQueue} against a redis-server started here
 * (no AOF): each pair is {@code park} + {@code take} (the acquire: the request leaves its queue
 * with its permit) and {@code endDispatch} (the release), three Lua scripts, from
 * {@value #THREADS} threads on their own accounts through one shared Lettuce connection, as the
 * services use it. Then {@code redis-benchmark}'s one-key EVAL figure on the same server, when
 * the binary is on the PATH.
 */
final class QueueThroughput {

    private static final Logger log = LoggerFactory.getLogger(QueueThroughput.class);
    private static final int THREADS = 8;
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    private static final Duration MEASURE = Duration.ofSeconds(10);
    private static final Pattern REQUESTS_PER_SECOND = Pattern.compile("([0-9.]+) requests per second");

    private QueueThroughput() {
    }

    /**
     * @param pairsPerSecond acquire+release pairs per second, all threads together
     * @param threads        client threads
     * @param redisBenchmark redis-benchmark's figure as text, or why there is none
     */
    record Result(double pairsPerSecond, int threads, String redisBenchmark) {
    }

    static Result measure(Path workDir) {
        try (RedisServerProcess redis = RedisServerProcess.start(FreePorts.next(), workDir, false)) {
            double pairs = pairsPerSecond(redis.port());
            return new Result(pairs, THREADS, redisBenchmark(redis.port()));
        }
    }

    private static double pairsPerSecond(int port) {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
        factory.afterPropertiesSet();
        factory.start();
        try {
            StringRedisTemplate template = new StringRedisTemplate(factory);
            RedisKeys keys = new RedisKeys("bench");
            Queue queue = new Queue(new RequestQueue(template, keys, Clock.systemUTC(), Duration.ofMinutes(5)),
                    new OutcomeLedger(template, keys, JsonMapper.builder().build(), Clock.systemUTC(),
                            Duration.ofMinutes(5)));
            run(queue, WARM_UP, "warm-up");
            long pairs = run(queue, MEASURE, "measure");
            double perSecond = pairs / (MEASURE.toNanos() / 1e9);
            log.info("RequestQueue: {} pairs in {} with {} threads = {} pairs/s", pairs, MEASURE, THREADS,
                    Math.round(perSecond));
            return perSecond;
        } finally {
            factory.destroy();
        }
    }

    private static long run(Queue queue, Duration duration, String phase) {
        LongAdder pairs = new LongAdder();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            String account = "bench-" + phase + "-" + t;
            threads.add(Thread.ofPlatform().name("bench-" + t).start(() -> loop(queue, account, running, pairs)));
        }
        long deadline = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < deadline) {
            LockSupport.parkNanos(deadline - System.nanoTime());
        }
        running.set(false);
        threads.forEach(QueueThroughput::join);
        return pairs.sum();
    }

    /** The bench's pair: park and take (acquire), then end the dispatch through its outcome claim (release). */
    private static void loop(Queue queue, String account, AtomicBoolean running, LongAdder pairs) {
        long sequence = 0;
        RequestQueue.Leases leases = new RequestQueue.Leases(Duration.ofHours(2), Duration.ofMinutes(1));
        while (running.get()) {
            String requestId = account + "-" + sequence++;
            queue.requests().park(new ParkedRequest(account, requestId, Priority.CAMPAIGN, System.currentTimeMillis(),
                    "{}", 1, null));
            TakeResult taken = queue.requests().take(account, 10, leases);
            if (!(taken instanceof TakeResult.Taken held)) {
                throw new IllegalStateException("expected the parked request to be taken, got " + taken);
            }
            queue.outcomes().claim(new RequestFailed(KlingRelayEvent.CURRENT_SCHEMA_VERSION, null, requestId, account,
                    null, FailureStage.SUBMISSION, "bench", null, null, null, Instant.now()),
                    ClaimCondition.heldBy(held.dispatch()), "bench");
            pairs.increment();
        }
    }

    private record Queue(RequestQueue requests, OutcomeLedger outcomes) {
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String redisBenchmark(int port) {
        List<String> command = List.of("redis-benchmark", "-p", String.valueOf(port), "-n", "200000", "-c", "50",
                "-q", "eval", "return redis.call('incr',KEYS[1])", "1", "bench:key");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return "redis-benchmark did not finish within 2 min";
            }
            return parse(output);
        } catch (IOException e) {
            return "redis-benchmark not found";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static String parse(String output) {
        // -q prints progress lines separated by \r, then "<test>: N requests per second, p50=… msec"
        String[] lines = output.split("[\r\n]");
        for (int i = lines.length - 1; i >= 0; i--) {
            Matcher matcher = REQUESTS_PER_SECOND.matcher(lines[i]);
            if (matcher.find()) {
                String p50 = lines[i].contains("p50=") ? ", " + lines[i].substring(lines[i].indexOf("p50=")).strip() : "";
                return "**%.0f EVALs/s**%s".formatted(Double.parseDouble(matcher.group(1)), p50);
            }
        }
        return "redis-benchmark printed no figure: " + output.strip();
    }
}
