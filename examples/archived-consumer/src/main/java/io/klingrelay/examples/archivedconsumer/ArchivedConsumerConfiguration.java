package io.klingrelay.examples.archivedconsumer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The example's beans. */
@Configuration(proxyBeanMethods = false)
public class ArchivedConsumerConfiguration {

    /** @return the de-duplication memory: the last 100,000 event ids */
    @Bean
    public ProcessedEvents processedEvents() {
        return new ProcessedEvents(100_000);
    }

    /** @return the side effect */
    @Bean
    public AssetCatalogue assetCatalogue() {
        return new AssetCatalogue();
    }
}
