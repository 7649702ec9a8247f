package io.klingrelay.deploy.stack;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where everything in a running stack listens, plus the per-run secrets the services share.
 *
 * @param bootstrapServers Kafka {@code host:port}
 * @param redisUri         {@code redis://127.0.0.1:<port>} of the single redis-server, or of the first node of a cluster
 * @param redisClusterNodes {@code 127.0.0.1:<p1>,127.0.0.1:<p2>,...} when Redis runs as a cluster, else null
 * @param s3Endpoint       s3proxy's {@code http://127.0.0.1:<port>}
 * @param s3AccessKey      the S3 access key
 * @param s3SecretKey      the S3 secret key; never logged
 * @param callbackSecret   HMAC key of the per-task callback token; random per run, never logged
 * @param servicePorts     the HTTP port of each service
 * @param kling            the Kling target
 * @param pollerGrace      the poller grace
 * @param pollerInterval   the poller interval
 */
public record StackEndpoints(String bootstrapServers, String redisUri, @Nullable String redisClusterNodes, String s3Endpoint, String s3AccessKey,
        String s3SecretKey, String callbackSecret, Map<Service, Integer> servicePorts, KlingTarget kling,
        Duration pollerGrace, Duration pollerInterval) {

    public StackEndpoints {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        servicePorts = Map.copyOf(new EnumMap<>(servicePorts));
    }

    /**
     * @param service a service
     * @return its HTTP port
     */
    public int port(Service service) {
        return Objects.requireNonNull(servicePorts.get(service), service::moduleName);
    }

    /**
     * @param service a service
     * @return {@code http://127.0.0.1:<port>}
     */
    public String baseUrl(Service service) {
        return "http://127.0.0.1:" + port(service);
    }

    /** @return the base URL the submitter and poller call: the emulator's, or the real Kling API's */
    public String klingBaseUrl() {
        return switch (kling) {
            case KlingTarget.Emulator emulator -> baseUrl(Service.KLING_EMULATOR);
            case KlingTarget.RealKling real -> real.baseUrl();
        };
    }

    /** @return the callback base URL for the submitter: the local receiver, the public URL, or empty (callbacks off) */
    public String callbackBaseUrl() {
        return switch (kling) {
            case KlingTarget.Emulator emulator -> baseUrl(Service.WEBHOOK_RECEIVER);
            case KlingTarget.RealKling real -> Objects.requireNonNullElse(real.callbackBaseUrl(), "");
        };
    }

    /** Keeps the S3 secret key and the callback secret out of logs. */
    @Override
    public String toString() {
        return "StackEndpoints[kafka=" + bootstrapServers + ", redis=" + (redisClusterNodes == null ? redisUri : "cluster " + redisClusterNodes) + ", s3=" + s3Endpoint
                + ", ports=" + servicePorts + ", kling=" + kling.getClass().getSimpleName() + "]";
    }
}
