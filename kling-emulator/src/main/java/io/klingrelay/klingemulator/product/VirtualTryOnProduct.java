package io.klingrelay.klingemulator.product;

import io.klingrelay.klingemulator.config.EmulatorProperties;
import io.klingrelay.klingemulator.config.EmulatorSettings;
import io.klingrelay.klingemulator.spec.OutputKind;
import io.klingrelay.klingemulator.spec.TaskSpec;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * {@code /v1/images/kolors-virtual-try-on} (kling-api.md §9): {@code human_image} required, {@code cloth_image}
 * optional; one result image, one slot, units from the {@code virtual_try_on} pack type.
 */
@Component
public class VirtualTryOnProduct extends CataloguedProduct {

    static final List<String> MODELS = List.of("kolors-virtual-try-on-v1", "kolors-virtual-try-on-v1-5");

    /**
     * @param properties phase durations
     * @param settings run-time settings; the unknown-model code is read per request
     */
    public VirtualTryOnProduct(EmulatorProperties properties, EmulatorSettings settings) {
        super("/v1/images/kolors-virtual-try-on", OutputKind.IMAGE, properties.phases().virtualTryOn(),
                new ModelCatalogue(MODELS, settings::unknownModelCode, MODELS.get(0)), settings);
    }

    @Override
    public String packType() {
        return "virtual_try_on";
    }

    @Override
    public TaskSpec validate(JsonNode body) {
        RequestFields fields = new RequestFields(body);
        String model = models.resolve(fields);
        String human = fields.requiredString("human_image");
        ImageInputChecker.check("human_image", human, true);
        String cloth = fields.optionalString("cloth_image");
        if (cloth != null && !cloth.isEmpty()) {
            ImageInputChecker.check("cloth_image", cloth, true);
        }
        CommonFields common = CommonFields.read(fields);
        return new TaskSpec(model, "std", "virtual try-on", "3:4", null, 1, 1, common.callbackUrl(),
                common.externalTaskId());
    }
}
