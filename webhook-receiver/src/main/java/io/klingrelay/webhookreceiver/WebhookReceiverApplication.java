package io.klingrelay.webhookreceiver;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the webhook receiver ({@code POST /callbacks/{accountId}/{requestId}/{token}}). */
@SpringBootApplication
public class WebhookReceiverApplication {

    /** @param args command-line arguments (secrets never go here: use environment variables) */
    public static void main(String[] args) {
        SpringApplication.run(WebhookReceiverApplication.class, args);
    }
}
