package io.klingrelay.coordination.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The readiness probe's Kafka part answers DOWN within its timeout when no broker listens (UP
 * against a real broker is covered by the services' ITs, e.g. {@code WebhookReceiverIT}).
 */
class KafkaHealthIndicatorIT {

    @Test
    void isDownWithinTheTimeoutWhenNoBrokerListens() throws IOException {
        // GIVEN
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("kafkaAdmin", new KafkaAdmin(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + closedPort)));
        KafkaHealthIndicator indicator = new KafkaHealthIndicator(beans.getBeanProvider(KafkaAdmin.class),
                Duration.ofSeconds(1));

        // WHEN
        long start = System.nanoTime();
        Health health = indicator.health();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        indicator.destroy();

        // THEN
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(took).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void isUnknownWithoutKafkaSettings() {
        KafkaHealthIndicator indicator = new KafkaHealthIndicator(
                new StaticListableBeanFactory().getBeanProvider(KafkaAdmin.class), Duration.ofSeconds(1));

        assertThat(indicator.health().getStatus()).isEqualTo(Status.UNKNOWN);
    }
}
