package io.klingrelay.klingemulator.newapi;

import io.klingrelay.klingemulator.config.EmulatorProperties;
import io.klingrelay.klingemulator.config.EmulatorProperties.Phase;
import io.klingrelay.klingemulator.product.UnitsTable;
import io.klingrelay.klingemulator.wire.KlingApiException;
import io.klingrelay.klingemulator.wire.KlingCode;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * The 2026 products by path ({@code /<family>/<model>}, kling-api.md §15). Text-to-video, omni-video and motion
 * control take the {@code text2video} phase durations, image-to-video the {@code image2video} ones.
 */
@Component
public class NewApiProducts {

    private final Map<String, NewApiProduct> byPath;

    public NewApiProducts(EmulatorProperties properties) {
        UnitsTable units = UnitsTable.of(properties);
        this.byPath = ModelRules.ALL.stream().map(rules -> new NewApiProduct(rules, phase(properties, rules), units))
                .collect(Collectors.toUnmodifiableMap(NewApiProduct::path, Function.identity()));
    }

    /**
     * @param family e.g. {@code text-to-video}
     * @param model e.g. {@code kling-3.0}
     * @return the product
     * @throws KlingApiException 404 / 1203 for an unknown family, or a model the family does not offer (the message
     *     lists the family's models)
     */
    public NewApiProduct find(String family, String model) {
        NewApiProduct product = byPath.get("/" + family + "/" + model);
        if (product != null) {
            return product;
        }
        List<String> models = models(family);
        if (models.isEmpty()) {
            throw new KlingApiException(KlingCode.NOT_FOUND, "resource does not exist");
        }
        throw new KlingApiException(KlingCode.NOT_FOUND,
                "model " + model + " does not exist for " + family + "; allowed values: " + String.join(", ", models));
    }

    /** @return the models of {@code family}, in the order of {@link ModelRules#ALL}; empty for an unknown family */
    public List<String> models(String family) {
        return ModelRules.ALL.stream().filter(rules -> rules.family().equals(family)).map(ModelRules::model).toList();
    }

    private static Phase phase(EmulatorProperties properties, ModelRules rules) {
        return "image-to-video".equals(rules.family()) ? properties.phases().image2video() : properties.phases().text2video();
    }
}
