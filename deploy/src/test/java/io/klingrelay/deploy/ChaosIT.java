package io.klingrelay.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.klingrelay.deploy.chaos.ChaosPlan;
import io.klingrelay.deploy.chaos.ChaosReport;
import io.klingrelay.deploy.chaos.ChaosRun;
import io.klingrelay.deploy.stack.Service;
import io.klingrelay.localstack.KafkaBrokerProcess;
import io.klingrelay.localstack.S3ProxyProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 7's chaos run at the size CI affords ({@link ChaosPlan#ci}): the same {@link ChaosRun} as
 * {@code ./klingrelay chaos} with 200 requests over 2 accounts, each service type killed once,
 * Redis and Kafka restarted once, 1,000 hostile callbacks and 100 hostile records; every figure
 * but the time must be 0. The seed is fixed so a failure can be replayed (the timing still varies).
 */
class ChaosIT {

    private static final Logger log = LoggerFactory.getLogger(ChaosIT.class);
    private static final long SEED = 0x7C4A05L;

    @TempDir
    Path dataDir;

    @Test
    void killingEveryServiceRedisAndKafkaWithKlingFaultsAndHostileInputLosesNothingDuplicatesNothingAndLeaksNoPermit() {
        // GIVEN
        Path services = Path.of(System.getProperty("klingrelay.services.dir", "target/services"));
        assumeTrue(Files.isRegularFile(services.resolve(Service.SUBMITTER.jarName())),
                "service jars not built (deploy built with -DskipServices)");
        ChaosRun run = new ChaosRun(dataDir, KafkaBrokerProcess.libFromSystemProperty(), services,
                S3ProxyProcess.jarFromSystemProperty(), Duration.ofMinutes(4));

        // WHEN
        ChaosReport report = run.run(ChaosPlan.ci(SEED), line -> log.info("chaos: {}", line));

        // THEN
        report.details().forEach(line -> log.info("chaos detail: {}", line));
        report.lines().forEach(line -> log.info("chaos figure: {}", line));
        assertThat(report.lines()).as("figures (details above)").contains(
                "requests lost (no outcome): 0",
                "requests with two outcomes: 0",
                "Kling tasks per external_task_id > 1: 0",
                "permits still held at the end: 0",
                "over-limit running tasks: 0",
                "callbacks accepted: 0",
                "callbacks answered 5xx: 0",
                "events published by hostile callbacks: 0",
                "hostile records without exactly one requests.failed: 0");
        assertThat(report.passed()).isTrue();
    }
}
