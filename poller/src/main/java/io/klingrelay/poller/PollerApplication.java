package io.klingrelay.poller;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the poller. */
@SpringBootApplication
public class PollerApplication {

    /** @param args command-line arguments (secrets never go here: use environment variables) */
    public static void main(String[] args) {
        SpringApplication.run(PollerApplication.class, args);
    }
}
