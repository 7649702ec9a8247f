package io.klingrelay.klingemulator.product;

import io.klingrelay.klingemulator.wire.KlingApiException;
import io.klingrelay.klingemulator.wire.KlingCode;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * The {@code model_name} values one product accepts (kling-api.md §6.1, §7, §8). No {@code model_name}
 * (or only the deprecated {@code model} field) means {@code kling-v1}; an unknown one is answered with
 * the code the run-time setting holds when the request arrives (1201 by default, 1203 as the alternative
 * reading of §19 item 25; {@code unknown-model-code}, {@code PATCH /admin/settings}).
 */
record ModelCatalogue(List<String> models, IntSupplier unknownModelCode, String defaultModel) {

    static final String DEFAULT_MODEL = "kling-v1";

    ModelCatalogue(List<String> models, IntSupplier unknownModelCode) {
        this(models, unknownModelCode, DEFAULT_MODEL);
    }

    String resolve(RequestFields fields) {
        String model = fields.optionalString("model_name");
        if (model == null || model.isEmpty()) {
            return defaultModel;
        }
        if (!models.contains(model)) {
            throw new KlingApiException(KlingCode.of(unknownModelCode.getAsInt()), "model_name: allowed values: " + String.join(", ", models));
        }
        return model;
    }
}
