package io.klingrelay.klingemulator.product;

import io.klingrelay.klingemulator.config.EmulatorProperties;
import io.klingrelay.klingemulator.config.EmulatorSettings;
import io.klingrelay.klingemulator.spec.OutputKind;
import io.klingrelay.klingemulator.spec.TaskSpec;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/** {@code /v1/videos/text2video} (kling-api.md §6). */
@Component
public class TextToVideoProduct extends CataloguedProduct {

    static final List<String> MODELS = List.of("kling-v1", "kling-v1-6", "kling-v2-master", "kling-v2-1-master",
            "kling-v2-5-turbo", "kling-v2-6", "kling-v3");
    static final List<String> ASPECT_RATIOS = List.of("16:9", "9:16", "1:1");

    private final UnitsTable units;

    /**
     * @param properties phase durations and the units table
     * @param settings run-time settings; the unknown-model code and validation switches are read per request
     */
    public TextToVideoProduct(EmulatorProperties properties, EmulatorSettings settings) {
        super("/v1/videos/text2video", OutputKind.VIDEO, properties.phases().text2video(),
                new ModelCatalogue(MODELS, settings::unknownModelCode), settings);
        this.units = UnitsTable.of(properties);
    }

    @Override
    public TaskSpec validate(JsonNode body) {
        RequestFields fields = new RequestFields(body);
        String model = models.resolve(fields);
        VideoRules.unsupported(fields, model, settings.rejectUnsupportedParameters());
        String prompt = fields.requiredString("prompt");
        fields.text("prompt", RequestFields.MAX_PROMPT);
        VideoRules.prompts(fields);
        VideoRules.cfgScale(fields);
        String mode = VideoRules.mode(fields, model);
        String aspectRatio = fields.oneOf("aspect_ratio", ASPECT_RATIOS, "16:9");
        String duration = VideoRules.duration(fields, model);
        VideoRules.cameraControl(fields);
        CommonFields common = CommonFields.read(fields);
        return new TaskSpec(model, mode, prompt, aspectRatio, duration, 1, 1, common.callbackUrl(), common.externalTaskId())
                .withUnits(units.legacy(model, mode, "on".equals(fields.optionalString("sound")), duration));
    }
}
