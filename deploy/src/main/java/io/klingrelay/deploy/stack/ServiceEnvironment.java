package io.klingrelay.deploy.stack;

import io.klingrelay.common.json.EventJson;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The environment variables each service gets (common.md "Service configuration properties",
 * Spring Boot relaxed binding). Secrets travel only here, never on a command line.
 */
public final class ServiceEnvironment {

    private static final String REDIS_KEY_PREFIX = "klingrelay";

    private ServiceEnvironment() {
    }

    /**
     * @param service   the service
     * @param endpoints the running stack
     * @return its environment variables, in a stable order
     */
    public static Map<String, String> of(Service service, StackEndpoints endpoints) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SERVER_PORT", String.valueOf(endpoints.port(service)));
        processInfo(env);
        switch (service) {
            case KLING_EMULATOR -> emulator(env, endpoints);
            case SUBMITTER -> {
                kafkaAndRedis(env, endpoints);
                klingAccess(env, endpoints);
                callback(env, endpoints);
            }
            case WEBHOOK_RECEIVER -> {
                kafkaAndRedis(env, endpoints);
                callback(env, endpoints);
            }
            case POLLER -> {
                kafkaAndRedis(env, endpoints);
                klingAccess(env, endpoints);
                env.put("KLINGRELAY_POLLER_GRACE", endpoints.pollerGrace().toString());
                env.put("KLINGRELAY_POLLER_INTERVAL", endpoints.pollerInterval().toString());
            }
            case ARCHIVER -> {
                kafkaAndRedis(env, endpoints);
                archiver(env, endpoints);
            }
            case STATUS -> status(env, endpoints);
        }
        return env;
    }

    /**
     * The environment of one process of a service: {@link #of(Service, StackEndpoints)} on another
     * port (a second submitter instance), plus extra Spring properties as {@code SPRING_APPLICATION_JSON}
     * (which outranks the environment variables, so a test can override any generated value).
     *
     * @param service         the service
     * @param endpoints       the running stack
     * @param port            the process's HTTP port
     * @param extraProperties Spring property names and values, e.g. {@code klingrelay.submitter.dispatch-lease=10s}
     * @return its environment variables, in a stable order
     */
    public static Map<String, String> of(Service service, StackEndpoints endpoints, int port,
            Map<String, String> extraProperties) {
        Map<String, String> env = of(service, endpoints);
        env.put("SERVER_PORT", String.valueOf(port));
        if (!extraProperties.isEmpty()) {
            env.put("SPRING_APPLICATION_JSON", EventJson.mapper().writeValueAsString(new LinkedHashMap<>(extraProperties)));
        }
        return env;
    }

    /**
     * The environment of one process whose Kling accounts come from the one accounts file
     * ({@link AccountsFile}): like {@link #of(Service, StackEndpoints, int, Map)}, but the submitter and
     * the poller get {@value AccountsFile#VARIABLE} instead of a copy of every account.
     *
     * @param service         the service
     * @param endpoints       the running stack
     * @param port            the process's HTTP port
     * @param extraProperties Spring property names and values
     * @param accountsFile    the accounts file the launcher wrote, or null for per-account variables
     * @return its environment variables, in a stable order
     */
    public static Map<String, String> of(Service service, StackEndpoints endpoints, int port,
            Map<String, String> extraProperties, @Nullable Path accountsFile) {
        Map<String, String> env = of(service, endpoints, port, extraProperties);
        if (accountsFile != null && env.containsKey("KLINGRELAY_KLING_BASEURL")) {
            env.keySet().removeIf(name -> name.startsWith("KLINGRELAY_KLING_"));
            env.put(AccountsFile.VARIABLE, accountsFile.toAbsolutePath().toString());
        }
        return env;
    }

    private static void kafkaAndRedis(Map<String, String> env, StackEndpoints endpoints) {
        env.put("SPRING_KAFKA_BOOTSTRAPSERVERS", endpoints.bootstrapServers());
        if (endpoints.redisClusterNodes() == null) {
            env.put("SPRING_DATA_REDIS_URL", endpoints.redisUri());
        } else {
            env.put("SPRING_DATA_REDIS_CLUSTER_NODES", endpoints.redisClusterNodes());
        }
        env.put("KLINGRELAY_REDIS_KEYPREFIX", REDIS_KEY_PREFIX);
    }

    private static void klingAccess(Map<String, String> env, StackEndpoints endpoints) {
        env.put("KLINGRELAY_KLING_BASEURL", endpoints.klingBaseUrl());
        List<KlingAccount> accounts = endpoints.kling().accounts();
        for (int i = 0; i < accounts.size(); i++) {
            KlingAccount account = accounts.get(i);
            String prefix = "KLINGRELAY_KLING_ACCOUNTS_" + i + "_";
            env.put(prefix + "ID", account.id());
            if (account.relayGetsAccessKeys()) {
                env.put(prefix + "ACCESSKEY", account.accessKey());
                env.put(prefix + "SECRETKEY", account.secretKey());
            }
            if (account.apiKey() != null) {
                env.put(prefix + "APIKEY", account.apiKey());
            }
            env.put(prefix + "CONCURRENCYLIMIT", String.valueOf(account.concurrency()));
        }
    }

    private static void callback(Map<String, String> env, StackEndpoints endpoints) {
        env.put("KLINGRELAY_CALLBACK_BASEURL", endpoints.callbackBaseUrl());
        env.put("KLINGRELAY_CALLBACK_SECRET", endpoints.callbackSecret());
    }

    private static void archiver(Map<String, String> env, StackEndpoints endpoints) {
        boolean emulator = endpoints.kling() instanceof KlingTarget.Emulator;
        env.put("KLINGRELAY_ARCHIVER_S3_ENDPOINT", endpoints.s3Endpoint());
        env.put("KLINGRELAY_ARCHIVER_S3_ACCESSKEY", endpoints.s3AccessKey());
        env.put("KLINGRELAY_ARCHIVER_S3_SECRETKEY", endpoints.s3SecretKey());
        env.put("KLINGRELAY_ARCHIVER_S3_REGION", "us-east-1");
        env.put("KLINGRELAY_ARCHIVER_BUCKET", StackConfig.BUCKET);
        // the emulator serves assets on loopback; real Kling serves them from its CDN
        env.put("KLINGRELAY_ARCHIVER_ALLOWEDHOSTS", emulator ? "127.0.0.1,localhost" : "*.klingai.com");
        env.put("KLINGRELAY_ARCHIVER_ALLOWPRIVATEADDRESSES", String.valueOf(emulator));
    }

    /** The status service reads Kafka only (no Redis); S3 for presigned URLs of archived assets. */
    private static void status(Map<String, String> env, StackEndpoints endpoints) {
        env.put("SPRING_KAFKA_BOOTSTRAPSERVERS", endpoints.bootstrapServers());
        env.put("KLINGRELAY_STATUS_S3_ENDPOINT", endpoints.s3Endpoint());
        env.put("KLINGRELAY_STATUS_S3_ACCESSKEY", endpoints.s3AccessKey());
        env.put("KLINGRELAY_STATUS_S3_SECRETKEY", endpoints.s3SecretKey());
        env.put("KLINGRELAY_STATUS_S3_REGION", "us-east-1");
    }

    private static void emulator(Map<String, String> env, StackEndpoints endpoints) {
        if (!(endpoints.kling() instanceof KlingTarget.Emulator emulator)) {
            throw new IllegalStateException("the emulator is not part of a real-Kling stack");
        }
        emulator(env, emulator, endpoints.baseUrl(Service.KLING_EMULATOR));
    }

    /**
     * The environment of a further emulator process standing for another region
     * ({@link StackConfig#regions()}): its own accounts, its own port and asset base URL.
     *
     * @param emulator        the region's emulator (accounts, time scale)
     * @param port            its HTTP port
     * @param extraProperties Spring property names and values, as for the stack's own emulator
     * @return its environment variables, in a stable order
     */
    public static Map<String, String> ofEmulator(KlingTarget.Emulator emulator, int port,
            Map<String, String> extraProperties) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SERVER_PORT", String.valueOf(port));
        processInfo(env);
        emulator(env, emulator, "http://127.0.0.1:" + port);
        if (!extraProperties.isEmpty()) {
            env.put("SPRING_APPLICATION_JSON", EventJson.mapper().writeValueAsString(new LinkedHashMap<>(extraProperties)));
        }
        return env;
    }

    /** {@code /actuator/info} names the pid: the stack checks that a port answers from the process it started. */
    private static void processInfo(Map<String, String> env) {
        env.put("MANAGEMENT_INFO_PROCESS_ENABLED", "true");
    }

    private static void emulator(Map<String, String> env, KlingTarget.Emulator emulator, String publicBaseUrl) {
        env.put("KLINGRELAY_EMULATOR_TIMESCALE", String.valueOf(emulator.timeScale()));
        env.put("KLINGRELAY_EMULATOR_PUBLICBASEURL", publicBaseUrl);
        List<KlingAccount> accounts = emulator.accounts();
        for (int i = 0; i < accounts.size(); i++) {
            KlingAccount account = accounts.get(i);
            String prefix = "KLINGRELAY_EMULATOR_ACCOUNTS_" + i + "_";
            env.put(prefix + "ID", account.id());
            env.put(prefix + "ACCESSKEY", account.accessKey());
            env.put(prefix + "SECRETKEY", account.secretKey());
            env.put(prefix + "CONCURRENCY", String.valueOf(account.concurrency()));
            if (account.apiKey() != null) {
                env.put(prefix + "APIKEY", account.apiKey());
            }
        }
    }
}
