package io.klingrelay.klingemulator.product;

import io.klingrelay.klingemulator.config.EmulatorProperties;
import io.klingrelay.klingemulator.config.EmulatorSettings;
import io.klingrelay.klingemulator.spec.OutputKind;
import io.klingrelay.klingemulator.spec.TaskSpec;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/** {@code /v1/images/generations} (kling-api.md §8): each of the {@code n} images holds one slot. */
@Component
public class ImageGenerationProduct extends CataloguedProduct {

    static final List<String> MODELS = List.of("kling-v1", "kling-v1-5", "kling-v2", "kling-v2-new", "kling-v2-1", "kling-v3");
    static final List<String> ASPECT_RATIOS = List.of("16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3", "21:9");
    static final List<String> RESOLUTIONS = List.of("1k", "2k");
    static final List<String> IMAGE_REFERENCES = List.of("subject", "face");

    /**
     * @param properties phase durations
     * @param settings run-time settings; the unknown-model code is read per request
     */
    public ImageGenerationProduct(EmulatorProperties properties, EmulatorSettings settings) {
        super("/v1/images/generations", OutputKind.IMAGE, properties.phases().imageGenerations(),
                new ModelCatalogue(MODELS, settings::unknownModelCode), settings);
    }

    @Override
    public TaskSpec validate(JsonNode body) {
        RequestFields fields = new RequestFields(body);
        String model = models.resolve(fields);
        String prompt = fields.requiredString("prompt");
        fields.text("prompt", RequestFields.MAX_PROMPT);
        String negative = fields.text("negative_prompt", RequestFields.MAX_PROMPT);
        referenceImage(fields, negative);
        fields.number("image_fidelity", 0, 1, 0.5);
        fields.number("human_fidelity", 0, 1, 0.45);
        fields.oneOf("resolution", RESOLUTIONS, "1k");
        int n = fields.integer("n", 1, 9, 1);
        String aspectRatio = fields.oneOf("aspect_ratio", ASPECT_RATIOS, "16:9");
        CommonFields common = CommonFields.read(fields);
        return new TaskSpec(model, "std", prompt, aspectRatio, null, n, n, common.callbackUrl(), common.externalTaskId());
    }

    private static void referenceImage(RequestFields fields, @Nullable String negative) {
        String image = fields.optionalString("image");
        if (image == null || image.isEmpty()) {
            return;
        }
        if (negative != null && !negative.isEmpty()) {
            throw RequestFields.invalid("negative_prompt: not supported when image is provided");
        }
        fields.oneOf("image_reference", IMAGE_REFERENCES, "subject");
        ImageInputChecker.check("image", image, true);
    }
}
