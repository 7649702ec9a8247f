package io.klingrelay.status.config;

import io.klingrelay.status.stream.StatusTopology;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;
import org.springframework.kafka.config.KafkaStreamsInfrastructureCustomizer;

/**
 * Kafka Streams through spring-kafka's {@link StreamsBuilderFactoryBean} (Boot builds its
 * configuration from {@code spring.kafka.streams.*}): the {@link StatusTopology}, this instance's
 * {@code application.server} for interactive queries, a replaced thread on an uncaught exception,
 * and a {@code streams} health indicator that is up only while Kafka Streams runs (so readiness
 * waits for the stores to be restored).
 */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
public class StatusStreamsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StatusStreamsConfiguration.class);

    /**
     * @param properties  the status settings
     * @param environment for {@code server.port}
     * @return this instance's {@code application.server}
     */
    @Bean
    public HostInfo statusHostInfo(StatusProperties properties, Environment environment) {
        Integer port = properties.advertisedPort() != null ? properties.advertisedPort()
                : environment.getProperty("server.port", Integer.class, 8085);
        if (port == null || port == 0) {
            throw new IllegalArgumentException("klingrelay.status.advertised-port must be set when server.port is 0: "
                    + "other instances forward queries to it");
        }
        return new HostInfo(properties.advertisedHost(), port);
    }

    /**
     * @param self this instance's {@code application.server}
     * @return the configurer that adds the topology, {@code application.server} and the exception handler
     */
    @Bean
    public StreamsBuilderFactoryBeanConfigurer statusStreamsConfigurer(HostInfo self) {
        return factoryBean -> {
            // getStreamsConfiguration() answers a copy: set the changed copy back
            Properties configuration = Objects.requireNonNull(factoryBean.getStreamsConfiguration());
            configuration.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
            factoryBean.setStreamsConfiguration(configuration);
            factoryBean.setInfrastructureCustomizer(new KafkaStreamsInfrastructureCustomizer() {
                @Override
                public void configureBuilder(StreamsBuilder builder) {
                    StatusTopology.build(builder);
                }
            });
            factoryBean.setStreamsUncaughtExceptionHandler(exception -> {
                log.error("Kafka Streams thread failed; replacing it", exception);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            });
        };
    }

    /**
     * @param factoryBean the Kafka Streams factory bean
     * @return {@code streams} health: up while RUNNING (stores restored), down otherwise, with the state
     */
    @Bean
    public HealthIndicator streamsHealthIndicator(StreamsBuilderFactoryBean factoryBean) {
        return () -> {
            KafkaStreams streams = factoryBean.getKafkaStreams();
            KafkaStreams.State state = streams == null ? KafkaStreams.State.CREATED : streams.state();
            return (state == KafkaStreams.State.RUNNING ? Health.up() : Health.down()).withDetail("state", state.name())
                    .build();
        };
    }
}
