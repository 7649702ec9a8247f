package io.klingrelay.examples.archivedconsumer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The example consumer: {@code java -jar ... --spring.kafka.bootstrap-servers=host:9092}. */
@SpringBootApplication
public class ArchivedConsumerApplication {

    public static void main(String[] args) {
        SpringApplication.run(ArchivedConsumerApplication.class, args);
    }
}
