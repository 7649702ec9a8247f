package io.klingrelay.klingemulator.product;

import io.klingrelay.klingemulator.config.EmulatorProperties;
import io.klingrelay.klingemulator.config.EmulatorSettings;
import io.klingrelay.klingemulator.spec.OutputKind;
import io.klingrelay.klingemulator.spec.TaskSpec;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * {@code /v1/videos/multi-image2video} (kling-api.md §9): {@code image_list} of 1–4 {@code {image}} (URL or raw
 * Base64, §4.3 rules), {@code prompt} required, {@code kling-v1-6} only.
 */
@Component
public class MultiImageToVideoProduct extends CataloguedProduct {

    static final List<String> MODELS = List.of("kling-v1-6");
    static final List<String> ASPECT_RATIOS = List.of("16:9", "9:16", "1:1");

    /**
     * @param properties phase durations
     * @param settings run-time settings; the unknown-model code is read per request
     */
    public MultiImageToVideoProduct(EmulatorProperties properties, EmulatorSettings settings) {
        super("/v1/videos/multi-image2video", OutputKind.VIDEO, properties.phases().multiImage2video(),
                new ModelCatalogue(MODELS, settings::unknownModelCode, "kling-v1-6"), settings);
    }

    @Override
    public TaskSpec validate(JsonNode body) {
        RequestFields fields = new RequestFields(body);
        String model = models.resolve(fields);
        ImageLists.check(fields, "image_list", "image", 1, 4);
        String prompt = fields.requiredString("prompt");
        fields.text("prompt", RequestFields.MAX_PROMPT);
        VideoRules.prompts(fields);
        String mode = VideoRules.mode(fields, model);
        String aspectRatio = fields.oneOf("aspect_ratio", ASPECT_RATIOS, "16:9");
        String duration = VideoRules.duration(fields, model);
        CommonFields common = CommonFields.read(fields);
        return new TaskSpec(model, mode, prompt, aspectRatio, duration, 1, 1, common.callbackUrl(), common.externalTaskId());
    }
}
