package io.klingrelay.coordination.health;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Kafka health for the readiness group (contributor {@code kafka}): UP when the cluster answers a
 * {@code DescribeCluster} within {@code timeout} with at least one broker, DOWN otherwise. Spring
 * Boot has no Kafka health indicator of its own. One {@link Admin} client, created on the first
 * check from Boot's {@link KafkaAdmin} settings ({@code spring.kafka.*}), is reused and closed with
 * the context. Details: the cluster id and the broker count, never addresses or credentials.
 */
public final class KafkaHealthIndicator extends AbstractHealthIndicator implements DisposableBean {

    private final ObjectProvider<KafkaAdmin> kafkaAdmin;
    private final Duration timeout;
    private volatile @Nullable Admin admin;

    /**
     * @param kafkaAdmin Boot's admin settings (bootstrap servers, security); when there is none the
     *                   health is UNKNOWN (a context without Kafka, as in some tests)
     * @param timeout    how long one check may wait for the cluster, e.g. 2 s (a probe's timeout is longer)
     */
    public KafkaHealthIndicator(ObjectProvider<KafkaAdmin> kafkaAdmin, Duration timeout) {
        super("Kafka health check failed");
        this.kafkaAdmin = kafkaAdmin;
        this.timeout = timeout;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder)
            throws InterruptedException, ExecutionException, TimeoutException {
        KafkaAdmin settings = kafkaAdmin.getIfAvailable();
        if (settings == null) {
            builder.unknown().withDetail("reason", "no KafkaAdmin in the context");
            return;
        }
        DescribeClusterResult cluster = admin(settings).describeCluster(
                new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()));
        String clusterId = cluster.clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Collection<Node> nodes = cluster.nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Health.Builder status = nodes.isEmpty() ? builder.down() : builder.up();
        status.withDetail("clusterId", clusterId).withDetail("brokers", nodes.size());
    }

    private Admin admin(KafkaAdmin settings) {
        Admin current = admin;
        if (current == null) {
            synchronized (this) {
                current = admin;
                if (current == null) {
                    current = Admin.create(settings.getConfigurationProperties());
                    admin = current;
                }
            }
        }
        return current;
    }

    @Override
    public void destroy() {
        Admin current = admin;
        if (current != null) {
            current.close(Duration.ofSeconds(1));
        }
    }
}
