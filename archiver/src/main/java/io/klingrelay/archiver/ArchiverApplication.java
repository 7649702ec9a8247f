package io.klingrelay.archiver;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Consumes {@code klingrelay.tasks.completed}, streams each asset into the bucket and publishes
 * {@code klingrelay.assets.archived} or {@code klingrelay.requests.failed}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ArchiverApplication {

    /** @param args Spring Boot command-line arguments */
    public static void main(String[] args) {
        SpringApplication.run(ArchiverApplication.class, args);
    }
}
