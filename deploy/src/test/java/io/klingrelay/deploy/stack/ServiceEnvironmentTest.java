package io.klingrelay.deploy.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceEnvironmentTest {

    private static final KlingAccount AURORA = new KlingAccount("brand-aurora", "ak-aurora", "sk-aurora-secret", 2);
    private static final KlingAccount BOREALIS = new KlingAccount("brand-borealis", "ak-borealis", "sk-borealis-secret", 4);

    @Test
    void submitterGetsKafkaRedisTheEmulatorsAccountsAndTheLocalCallbackUrl() {
        Map<String, String> env = ServiceEnvironment.of(Service.SUBMITTER, endpoints(emulator()));

        assertThat(env)
                .containsEntry("SERVER_PORT", "8102")
                .containsEntry("SPRING_KAFKA_BOOTSTRAPSERVERS", "127.0.0.1:9092")
                .containsEntry("SPRING_DATA_REDIS_URL", "redis://127.0.0.1:6379")
                .containsEntry("KLINGRELAY_KLING_BASEURL", "http://127.0.0.1:8101")
                .containsEntry("KLINGRELAY_KLING_ACCOUNTS_0_ID", "brand-aurora")
                .containsEntry("KLINGRELAY_KLING_ACCOUNTS_1_SECRETKEY", "sk-borealis-secret")
                .containsEntry("KLINGRELAY_KLING_ACCOUNTS_1_CONCURRENCYLIMIT", "4")
                .containsEntry("KLINGRELAY_CALLBACK_BASEURL", "http://127.0.0.1:8103")
                .containsEntry("KLINGRELAY_CALLBACK_SECRET", "callback-secret");
    }

    @Test
    void emulatorGetsTheSameAccountsItsTimeScaleAndItsPublicBaseUrl() {
        Map<String, String> env = ServiceEnvironment.of(Service.KLING_EMULATOR, endpoints(emulator()));

        assertThat(env)
                .containsEntry("SERVER_PORT", "8101")
                .containsEntry("KLINGRELAY_EMULATOR_TIMESCALE", "0.05")
                .containsEntry("KLINGRELAY_EMULATOR_PUBLICBASEURL", "http://127.0.0.1:8101")
                .containsEntry("KLINGRELAY_EMULATOR_ACCOUNTS_0_ACCESSKEY", "ak-aurora")
                .containsEntry("KLINGRELAY_EMULATOR_ACCOUNTS_0_SECRETKEY", "sk-aurora-secret")
                .containsEntry("KLINGRELAY_EMULATOR_ACCOUNTS_1_CONCURRENCY", "4")
                .doesNotContainKey("SPRING_KAFKA_BOOTSTRAPSERVERS");
    }

    @Test
    void archiverMayFetchFromTheLoopbackEmulatorButOnlyFromTheKlingCdnInRealMode() {
        Map<String, String> local = ServiceEnvironment.of(Service.ARCHIVER, endpoints(emulator()));
        Map<String, String> real = ServiceEnvironment.of(Service.ARCHIVER, endpoints(realKling(null)));

        assertThat(local).containsEntry("KLINGRELAY_ARCHIVER_ALLOWEDHOSTS", "127.0.0.1,localhost")
                .containsEntry("KLINGRELAY_ARCHIVER_ALLOWPRIVATEADDRESSES", "true")
                .containsEntry("KLINGRELAY_ARCHIVER_S3_ENDPOINT", "http://127.0.0.1:9000")
                .containsEntry("KLINGRELAY_ARCHIVER_S3_SECRETKEY", "s3-secret")
                .containsEntry("KLINGRELAY_ARCHIVER_BUCKET", "klingrelay-assets");
        assertThat(real).containsEntry("KLINGRELAY_ARCHIVER_ALLOWEDHOSTS", "*.klingai.com")
                .containsEntry("KLINGRELAY_ARCHIVER_ALLOWPRIVATEADDRESSES", "false");
    }

    @Test
    void statusGetsKafkaAndTheObjectStoreForPresignedUrlsButNoRedis() {
        Map<String, String> env = ServiceEnvironment.of(Service.STATUS, endpoints(emulator()));

        assertThat(env).containsEntry("SERVER_PORT", String.valueOf(8101 + Service.STATUS.ordinal()))
                .containsEntry("SPRING_KAFKA_BOOTSTRAPSERVERS", "127.0.0.1:9092")
                .containsEntry("KLINGRELAY_STATUS_S3_ENDPOINT", "http://127.0.0.1:9000")
                .containsEntry("KLINGRELAY_STATUS_S3_ACCESSKEY", "s3-access")
                .containsEntry("KLINGRELAY_STATUS_S3_SECRETKEY", "s3-secret")
                .doesNotContainKey("SPRING_DATA_REDIS_URL");
    }

    @Test
    void pollerGetsAShortGraceAndInterval() {
        Map<String, String> env = ServiceEnvironment.of(Service.POLLER, endpoints(emulator()));

        assertThat(env).containsEntry("KLINGRELAY_POLLER_GRACE", "PT20S").containsEntry("KLINGRELAY_POLLER_INTERVAL", "PT2S");
    }

    @Test
    void realKlingModeUsesTheRealBaseUrlAndAnEmptyCallbackUrlWhenNoPublicOneIsSet() {
        KlingTarget target = KlingTarget.fromEnvironment(Map.of("KLING_ACCESS_KEY", "real-ak", "KLING_SECRET_KEY", "real-sk"), 0.05);

        Map<String, String> env = ServiceEnvironment.of(Service.SUBMITTER, endpoints(target));

        assertThat(target).isInstanceOf(KlingTarget.RealKling.class);
        assertThat(env).containsEntry("KLINGRELAY_KLING_BASEURL", "https://api-singapore.klingai.com")
                .containsEntry("KLINGRELAY_KLING_ACCOUNTS_0_ID", "default")
                .containsEntry("KLINGRELAY_KLING_ACCOUNTS_0_CONCURRENCYLIMIT", "5")
                .containsEntry("KLINGRELAY_CALLBACK_BASEURL", "");
    }

    @Test
    void realKlingModeTakesBaseUrlConcurrencyAndPublicCallbackUrlFromTheEnvironment() {
        KlingTarget target = KlingTarget.fromEnvironment(Map.of("KLING_ACCESS_KEY", "real-ak", "KLING_SECRET_KEY", "real-sk",
                "KLING_BASE_URL", "https://api-beijing.klingai.com", "KLING_CONCURRENCY", "9",
                "KLINGRELAY_CALLBACK_BASE_URL", "https://hooks.example.org"), 0.05);

        Map<String, String> env = ServiceEnvironment.of(Service.SUBMITTER, endpoints(target));

        assertThat(env).containsEntry("KLINGRELAY_KLING_BASEURL", "https://api-beijing.klingai.com")
                .containsEntry("KLINGRELAY_KLING_ACCOUNTS_0_CONCURRENCYLIMIT", "9")
                .containsEntry("KLINGRELAY_CALLBACK_BASEURL", "https://hooks.example.org");
    }

    @Test
    void withoutBothKlingKeysTheEmulatorIsUsedWithTwoDemoAccountsAndFreshKeysPerRun() {
        KlingTarget first = KlingTarget.fromEnvironment(Map.of("KLING_ACCESS_KEY", "only-ak"), 0.05);
        KlingTarget second = KlingTarget.fromEnvironment(Map.of(), 0.05);

        assertThat(first).isInstanceOf(KlingTarget.Emulator.class);
        assertThat(first.accounts()).extracting(KlingAccount::id).containsExactly("brand-aurora", "brand-borealis");
        assertThat(first.accounts().getFirst().secretKey()).isNotEqualTo(second.accounts().getFirst().secretKey());
    }

    @Test
    void toStringsKeepSecretsOut() {
        StackEndpoints endpoints = endpoints(emulator());

        assertThat(AURORA.toString()).contains("brand-aurora").doesNotContain("sk-aurora-secret");
        assertThat(endpoints.toString()).doesNotContain("s3-secret", "callback-secret", "sk-aurora-secret");
        assertThat(realKling("https://hooks.example.org").toString()).doesNotContain("sk-aurora-secret");
    }

    @Test
    void anotherSubmitterInstanceGetsItsOwnPortAndExtraPropertiesAsSpringApplicationJson() {
        Map<String, String> env = ServiceEnvironment.of(Service.SUBMITTER, endpoints(emulator()), 9200,
                Map.of("klingrelay.submitter.dispatch-lease", "10s"));

        assertThat(env)
                .containsEntry("SERVER_PORT", "9200")
                .containsEntry("KLINGRELAY_KLING_ACCOUNTS_0_ID", "brand-aurora")
                .containsEntry("SPRING_APPLICATION_JSON", "{\"klingrelay.submitter.dispatch-lease\":\"10s\"}");
    }

    @Test
    void noExtraPropertiesMeansNoSpringApplicationJson() {
        Map<String, String> env = ServiceEnvironment.of(Service.KLING_EMULATOR, endpoints(emulator()), 8101, Map.of());

        assertThat(env).doesNotContainKey("SPRING_APPLICATION_JSON")
                .isEqualTo(ServiceEnvironment.of(Service.KLING_EMULATOR, endpoints(emulator())));
    }

    @Test
    void servicesGetTheClusterNodesInsteadOfARedisUrlWhenRedisRunsAsACluster() {
        StackEndpoints single = endpoints(emulator());
        StackEndpoints cluster = new StackEndpoints(single.bootstrapServers(), "redis://127.0.0.1:30001",
                "127.0.0.1:30001,127.0.0.1:30002,127.0.0.1:30003", single.s3Endpoint(), single.s3AccessKey(),
                single.s3SecretKey(), single.callbackSecret(), single.servicePorts(), single.kling(),
                single.pollerGrace(), single.pollerInterval());

        for (Service service : List.of(Service.SUBMITTER, Service.WEBHOOK_RECEIVER, Service.POLLER, Service.ARCHIVER)) {
            assertThat(ServiceEnvironment.of(service, cluster))
                    .containsEntry("SPRING_DATA_REDIS_CLUSTER_NODES", "127.0.0.1:30001,127.0.0.1:30002,127.0.0.1:30003")
                    .doesNotContainKey("SPRING_DATA_REDIS_URL");
            assertThat(ServiceEnvironment.of(service, single)).doesNotContainKey("SPRING_DATA_REDIS_CLUSTER_NODES");
        }
        assertThat(cluster.toString()).contains("cluster 127.0.0.1:30001");
    }

    private static KlingTarget emulator() {
        return new KlingTarget.Emulator(List.of(AURORA, BOREALIS), 0.05);
    }

    private static KlingTarget realKling(String callbackBaseUrl) {
        return new KlingTarget.RealKling("https://api-singapore.klingai.com",
                new KlingAccount("default", "ak", "sk-aurora-secret", 5), callbackBaseUrl);
    }

    private static StackEndpoints endpoints(KlingTarget kling) {
        Map<Service, Integer> ports = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            ports.put(service, 8101 + service.ordinal());
        }
        return new StackEndpoints("127.0.0.1:9092", "redis://127.0.0.1:6379", null, "http://127.0.0.1:9000", "s3-access",
                "s3-secret", "callback-secret", ports, kling, Duration.ofSeconds(20), Duration.ofSeconds(2));
    }
}
