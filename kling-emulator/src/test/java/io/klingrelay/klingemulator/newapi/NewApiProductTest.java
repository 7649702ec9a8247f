package io.klingrelay.klingemulator.newapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.klingrelay.klingemulator.config.EmulatorProperties;
import io.klingrelay.klingemulator.product.UnitsTable;
import io.klingrelay.klingemulator.spec.TaskSpec;
import io.klingrelay.klingemulator.wire.KlingApiException;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class NewApiProductTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final EmulatorProperties properties = new Binder(new MapConfigurationPropertySource(Map.of(
            "klingrelay.emulator.new-api.unit-rates[0].model", "kling-o1",
            "klingrelay.emulator.new-api.unit-rates[0].resolution", "1080p",
            "klingrelay.emulator.new-api.unit-rates[0].per-second", "2.5")))
            .bindOrCreate("klingrelay.emulator", EmulatorProperties.class);
    private final NewApiProducts products = new NewApiProducts(properties);

    @Test
    void turnsSettingsAndOptionsIntoATaskSpecChargedFromTheUnitsTable() {
        TaskSpec spec = products.find("text-to-video", "kling-3.0").validate(json("{\"prompt\":\"p\",\"settings\":"
                + "{\"resolution\":\"1080p\",\"duration\":10,\"audio\":\"native\",\"aspect_ratio\":\"9:16\"},"
                + "\"options\":{\"callback_url\":\"https://h/cb\",\"external_task_id\":\"e-1\","
                + "\"watermark_info\":{\"enabled\":true}}}"));
        assertThat(spec.modelName()).isEqualTo("kling-3.0");
        assertThat(spec.mode()).isEqualTo("pro");
        assertThat(spec.duration()).isEqualTo("10");
        assertThat(spec.aspectRatio()).isEqualTo("9:16");
        assertThat(spec.callbackUrl()).isEqualTo("https://h/cb");
        assertThat(spec.externalTaskId()).isEqualTo("e-1");
        assertThat(spec.watermark()).isTrue();
        assertThat(spec.units()).isEqualByComparingTo("12"); // 1.2 units/s × 10 s
    }

    @Test
    void omniVideoWithAReferenceVideoIsPricedAsVideoInputAndTakesNoNativeAudio() {
        NewApiProduct o1 = products.find("omni-video", "kling-o1");
        TaskSpec spec = o1.validate(json("{\"contents\":[{\"type\":\"prompt\",\"text\":\"p\"},"
                + "{\"type\":\"feature_video\",\"url\":\"https://h/v.mp4\"}],\"settings\":{\"resolution\":\"1080p\"}}"));
        assertThat(spec.units()).isEqualByComparingTo("6"); // 1.2 units/s × 5 s, not the configured 2.5/s
        NewApiProduct omni = products.find("omni-video", "kling-3.0-omni");
        assertThatThrownBy(() -> omni.validate(json("{\"contents\":[{\"type\":\"base_video\",\"url\":"
                + "\"https://h/v.mp4\"}],\"settings\":{\"audio\":\"native\"}}")))
                .hasMessageContaining("settings.audio");
    }

    @Test
    void configuredUnitRatesReplaceTheDefaultRowOnly() {
        UnitsTable table = UnitsTable.of(properties);
        assertThat(table.units("kling-o1", "video", "1080p", false, 4)).contains(new BigDecimal("10.0"));
        assertThat(table.units("kling-o1", "video", "720p", false, 5)).contains(new BigDecimal("3.0"));
        assertThat(table.units("kling-o1", "video", "4k", false, 5)).isEmpty();
    }

    @Test
    void legacyNamesOfTheSameModelsArePricedFromTheSameRows() {
        UnitsTable table = UnitsTable.of(properties);
        assertThat(table.legacy("kling-v3", "pro", false, "5")).isEqualByComparingTo("4");
        assertThat(table.legacy("kling-v2-6", "pro", true, "10")).isEqualByComparingTo("10");
        assertThat(table.legacy("kling-v1", "std", false, "5")).isNull();
    }

    @Test
    void rejectsLegacyOnlyFieldsAndAStringDuration() {
        NewApiProduct t2v = products.find("text-to-video", "kling-3.0-turbo");
        assertThatThrownBy(() -> t2v.validate(json("{\"prompt\":\"p\",\"negative_prompt\":\"n\"}")))
                .isInstanceOfSatisfying(KlingApiException.class, e -> {
                    assertThat(e.klingCode().code()).isEqualTo(1201);
                    assertThat(e.getMessage()).startsWith("negative_prompt:");
                });
        assertThatThrownBy(() -> t2v.validate(json("{\"prompt\":\"p\",\"settings\":{\"duration\":\"5\"}}")))
                .hasMessage("settings.duration: must be an integer");
    }

    @Test
    void anUnknownModelIs1203NamingTheFamilysModels() {
        assertThatThrownBy(() -> products.find("omni-video", "kling-2.6"))
                .isInstanceOfSatisfying(KlingApiException.class, e -> {
                    assertThat(e.klingCode().code()).isEqualTo(1203);
                    assertThat(e.getMessage()).contains("kling-3.0-omni, kling-o1");
                });
    }

    private static JsonNode json(String body) {
        return MAPPER.readTree(body);
    }
}
