package io.klingrelay.klingemulator.product;

import io.klingrelay.klingemulator.config.EmulatorProperties;
import io.klingrelay.klingemulator.config.EmulatorSettings;
import io.klingrelay.klingemulator.spec.OutputKind;
import io.klingrelay.klingemulator.spec.TaskSpec;
import java.util.List;
import java.util.Objects;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * {@code /v1/images/multi-image2image} (kling-api.md §9): {@code subject_image_list} of 1–4
 * {@code {subject_image}}, optional {@code scene_image}/{@code style_image}, {@code n} 1–9 (n slots),
 * models {@code kling-v2} (default) and {@code kling-v2-1}.
 */
@Component
public class MultiImageToImageProduct extends CataloguedProduct {

    static final List<String> MODELS = List.of("kling-v2", "kling-v2-1");

    /**
     * @param properties phase durations
     * @param settings run-time settings; the unknown-model code is read per request
     */
    public MultiImageToImageProduct(EmulatorProperties properties, EmulatorSettings settings) {
        super("/v1/images/multi-image2image", OutputKind.IMAGE, properties.phases().multiImage2image(),
                new ModelCatalogue(MODELS, settings::unknownModelCode, "kling-v2"), settings);
    }

    @Override
    public TaskSpec validate(JsonNode body) {
        RequestFields fields = new RequestFields(body);
        String model = models.resolve(fields);
        ImageLists.check(fields, "subject_image_list", "subject_image", 1, 4);
        optionalImage(fields, "scene_image");
        optionalImage(fields, "style_image");
        String prompt = Objects.requireNonNullElse(fields.text("prompt", RequestFields.MAX_PROMPT), "");
        int n = fields.integer("n", 1, 9, 1);
        String aspectRatio = fields.oneOf("aspect_ratio", ImageGenerationProduct.ASPECT_RATIOS, "16:9");
        CommonFields common = CommonFields.read(fields);
        return new TaskSpec(model, "std", prompt, aspectRatio, null, n, n, common.callbackUrl(), common.externalTaskId());
    }

    private static void optionalImage(RequestFields fields, String field) {
        String value = fields.optionalString(field);
        if (value != null && !value.isEmpty()) {
            ImageInputChecker.check(field, value, true);
        }
    }
}
