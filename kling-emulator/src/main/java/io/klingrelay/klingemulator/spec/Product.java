package io.klingrelay.klingemulator.spec;

import io.klingrelay.klingemulator.config.EmulatorProperties.Phase;
import tools.jackson.databind.JsonNode;

/**
 * One async Kling product: {@code POST <path>} creates, {@code GET <path>/{id}} queries, {@code GET <path>}
 * lists. Implementations are Spring beans collected by the product package's {@code ProductRegistry};
 * adding a product is adding a bean. Lives below {@code task} so the engine needs no request-validation code.
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
     * @throws io.klingrelay.klingemulator.wire.KlingApiException 1201 (or 1203 for an unknown model)
     */
    TaskSpec validate(JsonNode body);

    /**
     * Validation that may look at the account's earlier tasks (e.g. {@code video_id} inputs).
     *
     * @param accountId the caller
     * @param body the create body
     * @return the validated request
     */
    default TaskSpec validate(String accountId, JsonNode body) {
        return validate(body);
    }

    /**
     * @return true for a product of the 2026 path-per-model API (kling-api.md §15): its tasks are shown with
     *     {@code id}, {@code status} ({@code succeeded}), {@code outputs[]} and {@code billing[]}, also in callbacks
     */
    default boolean newApi() {
        return false;
    }

    /** @return the resource-pack type tasks of this product draw units from: video, image or virtual_try_on */
    default String packType() {
        return output() == OutputKind.VIDEO ? "video" : "image";
    }

    /** @return the 2026 {@code product_type} of its tasks (cursor-listing filter, §15): video, image or try_on */
    default String productType() {
        return "virtual_try_on".equals(packType()) ? "try_on" : packType();
    }
}
