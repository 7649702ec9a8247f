package io.klingrelay.campaign.estimate;

import io.klingrelay.common.event.GenerationRequest;
import io.klingrelay.common.event.Product;
import java.util.Map;
import java.util.Objects;

/**
 * What a request asks Kling for, as far as the price goes: Kling's defaults fill what the request
 * leaves out ({@code kling-v1}, {@code std}, {@code "5"} seconds, one image).
 *
 * @param product  the product's wire name
 * @param model    {@code input.model_name}
 * @param mode     {@code input.mode}, or {@code -} for images
 * @param duration {@code input.duration} (seconds, a string as Kling takes it), or {@code -} for images
 * @param images   {@code input.n} for image-generation (default 1), 0 for videos
 */
public record Shape(String product, String model, String mode, String duration, int images) {

    /**
     * @param request a valid request
     * @return its shape
     */
    public static Shape of(GenerationRequest request) {
        Map<String, Object> input = request.input();
        String model = Objects.toString(input.get("model_name"), "kling-v1");
        Product product = Objects.requireNonNull(request.product(), "product");
        if (product == Product.IMAGE_GENERATION) {
            int n = input.get("n") instanceof Number number ? number.intValue() : 1;
            return new Shape(product.wireName(), model, "-", "-", n);
        }
        return new Shape(product.wireName(), model, Objects.toString(input.get("mode"), "std"),
                Objects.toString(input.get("duration"), "5"), 0);
    }

    /** @return {@code text-to-video kling-v1-6 std 5s} or {@code image-generation kling-v2 (images)} */
    public String label() {
        return images > 0 ? product + " " + model + " (per image)" : product + " " + model + " " + mode + " " + duration + "s";
    }
}
