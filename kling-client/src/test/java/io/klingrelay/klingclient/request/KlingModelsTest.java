package io.klingrelay.klingclient.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.common.event.Product;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class KlingModelsTest {

    @Test
    void theDocumentedDefaultsAreTheModelsTheValidatorUsedToCompileIn() {
        KlingModels defaults = KlingModels.defaults();

        assertThat(defaults.names(Product.TEXT_TO_VIDEO)).contains("kling-v1", "kling-v1-6", "kling-v2-master",
                "kling-v2-1-master", "kling-v2-5-turbo", "kling-v2-6", "kling-v3", "kling-3.0", "kling-3.0-turbo");
        assertThat(defaults.names(Product.IMAGE_TO_VIDEO)).contains("kling-v1", "kling-v1-5", "kling-v1-6",
                "kling-v2-master", "kling-v2-1", "kling-v2-1-master", "kling-v2-5-turbo", "kling-v2-6", "kling-v3");
        assertThat(defaults.names(Product.IMAGE_GENERATION)).containsExactly("kling-v1", "kling-v1-5", "kling-v2",
                "kling-v2-1", "kling-v2-new", "kling-v3");
        assertThat(defaults.names(Product.OMNI_VIDEO)).contains("kling-3.0-omni", "kling-o1");
        assertThat(defaults.find(Product.TEXT_TO_VIDEO, "kling-v3")).hasValueSatisfying(rules -> {
            assertThat(rules.modes()).containsExactly("std", "pro", "4k");
            assertThat(rules.durations()).hasSize(13).startsWith("3").endsWith("15");
        });
        assertThat(defaults.defaultModel(Product.TEXT_TO_VIDEO)).contains("kling-v1");
        assertThat(defaults.takesModel(Product.VIDEO_EXTEND)).isFalse();
    }

    @Test
    void aConfiguredModelIsAddedAndOneOfTheSameNameReplacesTheDefault() {
        KlingModels configured = new Binder(new MapConfigurationPropertySource(Map.of(
                "klingrelay.models.products.text-to-video[0].name", "kling-4.0",
                "klingrelay.models.products.text-to-video[0].durations", "5,10,20",
                "klingrelay.models.products.text-to-video[1].name", "kling-v1",
                "klingrelay.models.products.text-to-video[1].durations", "5")))
                .bind("klingrelay.models", Bindable.of(KlingModels.class)).get();

        KlingModels models = configured.overDefaults();

        assertThat(models.find(Product.TEXT_TO_VIDEO, "kling-4.0")).hasValueSatisfying(
                rules -> assertThat(rules.durations()).containsExactly("5", "10", "20"));
        assertThat(models.find(Product.TEXT_TO_VIDEO, "kling-v1")).hasValueSatisfying(
                rules -> assertThat(rules.durations()).containsExactly("5"));
        assertThat(models.names(Product.TEXT_TO_VIDEO)).contains("kling-v2-6");
        assertThat(models.names(Product.IMAGE_GENERATION)).hasSize(6);
    }
}
