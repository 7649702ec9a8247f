package io.klingrelay.klingemulator.product;

import io.klingrelay.klingemulator.config.EmulatorProperties.Phase;
import tools.jackson.databind.JsonNode;

/**
 * One async Kling product: {@code POST <path>} creates, {@code GET <path>/{id}} queries, {@code GET <path>}
 * lists. Implementations are Spring beans collected by {@link ProductRegistry}; adding a product is
 * adding a bean.
 */
public interface Product {

    /** @return the base path, e.g. {@code /v1/videos/text2video} */
    String path();

    OutputKind output();

    /** @return phase durations before the global time scale */
    Phase phase();

    /**
     * @param body the create body (an object; unknown fields are ignored)
     * @return the validated request
     * @throws io.klingrelay.klingemulator.api.KlingApiException 1201 (or 1203 for an unknown model)
     */
    TaskSpec validate(JsonNode body);
}
