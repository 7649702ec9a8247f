package io.klingrelay.status;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The status service: read model of requests and campaigns, HTTP API and campaign page. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class StatusApplication {

    /** @param args Spring Boot command-line arguments */
    public static void main(String[] args) {
        SpringApplication.run(StatusApplication.class, args);
    }
}
