package io.klingrelay.deploy.demo;

import io.klingrelay.deploy.stack.KlingAccount;
import io.klingrelay.deploy.stack.KlingTarget;
import io.klingrelay.deploy.stack.LocalStack;
import io.klingrelay.deploy.stack.StackConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code klingrelay demo}: starts the local stack, publishes the campaign, shows progress, and
 * ends with a table of every request and {@code demo: <N> archived, <M> failed, <P> pending};
 * exit code 0 only when nothing is pending. Stops every process it started, also on Ctrl-C.
 *
 * <p>The user-facing output is printed to standard output on purpose (this is a CLI's console,
 * not logging); diagnostics go through SLF4J, and every process logs to {@code <data-dir>/logs}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start Kafka, Redis, s3proxy, the Kling emulator, the four services and the status service; run a campaign through them.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--campaign", paramLabel = "FILE", description = "campaign JSON Lines (default: ${DEFAULT-VALUE})",
            defaultValue = "deploy/samples/campaign.jsonl")
    Path campaign = Path.of("deploy/samples/campaign.jsonl");

    @Option(names = "--data-dir", paramLabel = "DIR", description = "data and logs: DIR/s3 (objects), DIR/logs (default: ${DEFAULT-VALUE})",
            defaultValue = "demo-data")
    Path dataDir = Path.of("demo-data");

    @Option(names = "--timeout", paramLabel = "DURATION", description = "give up waiting after this long, e.g. 10m (default: ${DEFAULT-VALUE})",
            defaultValue = "10m")
    Duration timeout = Duration.ofMinutes(10);

    @Option(names = "--time-scale", paramLabel = "FACTOR", description = "emulator time scale: 0.05 makes a 120 s video take 6 s (default: ${DEFAULT-VALUE})",
            defaultValue = "0.05")
    double timeScale = 0.05;

    @Option(names = "--poller-grace", paramLabel = "DURATION", description = "poller grace before it queries a task without callback (default: ${DEFAULT-VALUE})",
            defaultValue = "20s")
    Duration pollerGrace = Duration.ofSeconds(20);

    @Option(names = "--redis-cluster", description = "run Redis as a three-master Redis Cluster instead of one redis-server")
    boolean redisCluster;

    @Option(names = "--home", paramLabel = "DIR", hidden = true, description = "the repository root (build output under DIR/deploy/target)",
            defaultValue = "${sys:klingrelay.home:-.}")
    Path home = Path.of(".");

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DemoCommand.class);

    // a CLI's console: user-facing output, deliberately not logging
    private final PrintStream out = System.out;

    @Override
    public Integer call() {
        String runId = runId();
        KlingTarget target = KlingTarget.fromEnvironment(System.getenv(), timeScale);
        describe(target);
        List<CampaignEntry> entries = Campaign.read(campaign, runId, accountMapping(target));
        out.printf("campaign %s: %d lines, run id %s%n", campaign, entries.size(), runId);
        out.printf("starting the local stack (data in %s, logs in %s) ...%n", dataDir, dataDir.resolve("logs"));
        RequestTracker tracker = new RequestTracker();
        long started = System.nanoTime();
        StackConfig config = StackConfig.forBuild(home, dataDir, target, pollerGrace).withRedisCluster(redisCluster);
        try (LocalStack stack = LocalStack.start(config)) {
            out.printf("stack up in %d s: Kafka %s, emulator %s%n", seconds(started), stack.bootstrapServers(),
                    stack.emulatorBaseUrl() == null ? "off (real Kling)" : stack.emulatorBaseUrl());
            runCampaign(new CampaignRun(stack.bootstrapServers(), runId), entries, tracker);
            out.println("stopping the local stack ...");
        } catch (RuntimeException e) {
            log.debug("demo aborted", e);
            out.printf("demo aborted: %s (process logs in %s)%n", e.getMessage(), dataDir.resolve("logs"));
            entries.stream().filter(entry -> !entry.isRaw()).forEach(entry -> trackIfMissing(tracker, entry));
        }
        return report(tracker);
    }

    private void runCampaign(CampaignRun run, List<CampaignEntry> entries, RequestTracker tracker) {
        run.publish(entries, tracker);
        out.printf("published %d requests to klingrelay.requests; following them (timeout %s)%n",
                entries.size(), timeout.toString().substring(2).toLowerCase(Locale.ROOT));
        long started = System.nanoTime();
        boolean done = run.follow(tracker, timeout, t -> out.printf("[%4d s] %s%n", seconds(started), Report.progress(t.counts())));
        if (!done) {
            out.printf("timed out after %s with requests still pending%n", timeout);
        }
    }

    private int report(RequestTracker tracker) {
        out.println();
        out.print(Report.table(tracker.rows()));
        out.printf("objects are plain files under %s%n", dataDir.resolve("s3").resolve(StackConfig.BUCKET));
        Map<RequestState, Integer> counts = tracker.counts();
        out.println(Report.summary(counts));
        return tracker.allTerminal() ? 0 : 1;
    }

    private static void trackIfMissing(RequestTracker tracker, CampaignEntry entry) {
        String requestId = java.util.Objects.requireNonNull(entry.requestId());
        if (tracker.rows().stream().noneMatch(row -> row.requestId().equals(requestId))) {
            tracker.track(entry, requestId);
        }
    }

    private void describe(KlingTarget target) {
        switch (target) {
            case KlingTarget.Emulator emulator -> out.printf("Kling: local emulator, time scale %s, accounts %s%n",
                    emulator.timeScale(), emulator.accounts().stream().map(a -> a.id() + " (" + a.concurrency() + " slots)").toList());
            case KlingTarget.RealKling real -> {
                out.printf("Kling: REAL API at %s, account '%s' (%d slots); campaign accounts are mapped onto it%n",
                        real.baseUrl(), KlingTarget.REAL_ACCOUNT_ID, real.account().concurrency());
                if (real.callbackBaseUrl() == null) {
                    out.printf("callbacks are off (%s is not set): the poller queries Kling for every task%n",
                            KlingTarget.CALLBACK_BASE_URL_ENV);
                }
            }
        }
    }

    private static UnaryOperator<String> accountMapping(KlingTarget target) {
        return target instanceof KlingTarget.RealKling ? account -> KlingTarget.REAL_ACCOUNT_ID : UnaryOperator.identity();
    }

    private static String runId() {
        return KlingAccount.randomHex(3);
    }

    private static long seconds(long since) {
        return Duration.ofNanos(System.nanoTime() - since).toSeconds();
    }
}
