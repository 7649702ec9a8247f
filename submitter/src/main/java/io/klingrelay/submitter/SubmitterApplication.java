package io.klingrelay.submitter;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The submitter service: consumes {@code klingrelay.requests}, validates, parks requests in
 * per-account Redis queues, and dispatches them to Kling under per-account permits
 * (ARCHITECTURE.md "The flow", "The hard parts").
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SubmitterApplication {

    /** @param args Spring Boot arguments */
    public static void main(String[] args) {
        SpringApplication.run(SubmitterApplication.class, args);
    }
}
