package io.klingrelay.klingemulator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** A faithful local stand-in for the legacy {@code /v1} Kling API (see kling-api.md §19). */
@SpringBootApplication
@ConfigurationPropertiesScan
public class KlingEmulatorApplication {

    public static void main(String[] args) {
        SpringApplication.run(KlingEmulatorApplication.class, args);
    }
}
