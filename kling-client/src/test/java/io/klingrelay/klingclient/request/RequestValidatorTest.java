package io.klingrelay.klingclient.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.common.event.GenerationRequest;
import io.klingrelay.common.event.Product;
import io.klingrelay.klingclient.config.KlingAccount;
import io.klingrelay.klingclient.config.KlingProperties;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestValidatorTest {

    private final RequestValidator validator = new RequestValidator(new KlingProperties(
            URI.create("http://kling"), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(60),
            List.of(new KlingAccount("brand-a", "ak-aaaaaaaa", "sk-0123456789abcdef0123456789abcdef", 3))));

    private static GenerationRequest request(Product product, Map<String, Object> input) {
        return new GenerationRequest(1, null, "r-1", "brand-a", "camp", null, product, input, null);
    }

    private static Map<String, Object> input(Object... pairs) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @Test
    void acceptsTheDocumentedTextToVideoExample() {
        Map<String, Object> camera = Map.of("type", "simple",
                "config", Map.of("horizontal", 0, "vertical", 0, "pan", 0, "tilt", 0, "roll", 0, "zoom", 5));
        assertThat(validator.validate(request(Product.TEXT_TO_VIDEO, input("model_name", "kling-v1",
                "prompt", "A paper boat", "negative_prompt", "blurry", "cfg_scale", 0.5, "mode", "std",
                "aspect_ratio", "16:9", "duration", "5", "camera_control", camera)))).isEmpty();
    }

    @Test
    void refusesAPromptLongerThan2500Characters() {
        assertThat(validator.validate(request(Product.TEXT_TO_VIDEO, input("prompt", "x".repeat(2501)))))
                .singleElement().asString().contains("input.prompt", "2500");
    }

    @Test
    void refusesANumericOrUnknownDuration() {
        assertThat(validator.validate(request(Product.TEXT_TO_VIDEO, input("prompt", "p", "duration", 5)))).hasSize(1);
        assertThat(validator.validate(request(Product.TEXT_TO_VIDEO, input("prompt", "p", "duration", "7")))).hasSize(1);
        assertThat(validator.validate(request(Product.TEXT_TO_VIDEO,
                input("prompt", "p", "model_name", "kling-v3", "duration", "7")))).isEmpty();
    }

    @Test
    void refusesImageToVideoWithoutAnImageOrWithADataUri() {
        assertThat(validator.validate(request(Product.IMAGE_TO_VIDEO, input("prompt", "p"))))
                .contains("image can not be null");
        assertThat(validator.validate(request(Product.IMAGE_TO_VIDEO, input("image", "data:image/png;base64,AAAA"))))
                .singleElement().asString().contains("File is not in a valid base64 format");
    }

    @Test
    void refusesCameraControlWithTwoMovingAxesOrAPresetWithConfig() {
        Map<String, Object> twoAxes = Map.of("type", "simple", "config", Map.of("zoom", 5, "pan", 2));
        Map<String, Object> presetWithConfig = Map.of("type", "down_back", "config", Map.of("zoom", 5));
        assertThat(validator.validate(request(Product.TEXT_TO_VIDEO, input("prompt", "p", "camera_control", twoAxes))))
                .hasSize(1);
        assertThat(validator.validate(request(Product.TEXT_TO_VIDEO,
                input("prompt", "p", "camera_control", presetWithConfig)))).hasSize(1);
    }

    @Test
    void refusesMoreImagesThanTheAccountHasSlotsAndNegativePromptWithImage() {
        assertThat(validator.validate(request(Product.IMAGE_GENERATION, input("prompt", "p", "n", 4))))
                .singleElement().asString().contains("3");
        assertThat(validator.validate(request(Product.IMAGE_GENERATION,
                input("prompt", "p", "image", "https://x/y.png", "negative_prompt", "n")))).hasSize(1);
        assertThat(RequestValidator.permitsNeeded(request(Product.IMAGE_GENERATION, input("prompt", "p", "n", 3))))
                .isEqualTo(3);
    }

    @Test
    void refusesUnknownAccountsMissingIdsAndReservedFields() {
        GenerationRequest unknownAccount = new GenerationRequest(1, null, "r-1", "nobody", null, null,
                Product.TEXT_TO_VIDEO, input("prompt", "p"), null);
        GenerationRequest noId = new GenerationRequest(1, null, null, "brand-a", null, null, null, Map.of(), null);

        assertThat(validator.validate(unknownAccount)).singleElement().asString().contains("nobody");
        assertThat(validator.validate(noId)).hasSize(2);
        assertThat(validator.validate(request(Product.TEXT_TO_VIDEO,
                input("prompt", "p", "callback_url", "http://evil")))).singleElement().asString().contains("callback_url");
    }

    @Test
    void refusesABase64ImageOver10MbButNotAnImageUrl() {
        String base64 = java.util.Base64.getEncoder().encodeToString(new byte[10 * 1024 * 1024 + 3]);
        String justUnder = java.util.Base64.getEncoder().encodeToString(new byte[10 * 1024 * 1024]);

        assertThat(validator.validate(request(Product.IMAGE_TO_VIDEO, input("image", base64))))
                .singleElement().asString().startsWith("input.image: must be at most 10 MB").contains("10485763 bytes");
        assertThat(validator.validate(request(Product.IMAGE_TO_VIDEO, input("image", justUnder)))).isEmpty();
        assertThat(validator.validate(request(Product.IMAGE_TO_VIDEO,
                input("image", "https://example.org/" + "x".repeat(100))))).isEmpty();
    }

    @Test
    void quotesAnUnknownAccountIdBoundedInItsViolation() {
        GenerationRequest hostile = new GenerationRequest(1, null, "r-1", "a".repeat(100_000), null, null,
                Product.TEXT_TO_VIDEO, input("prompt", "p"), null);

        assertThat(validator.validate(hostile)).singleElement().asString().hasSizeLessThan(200);
    }

    private final RequestValidator withApiKeys = new RequestValidator(new KlingProperties(
            URI.create("http://kling"), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(60),
            List.of(KlingAccount.withApiKey("brand-a", "api-key-0123456789", 3, null))));

    @Test
    void refusesAnUnknownModelListingTheKnownOnesOfTheProduct() {
        assertThat(validator.validate(request(Product.TEXT_TO_VIDEO, input("prompt", "p", "model_name", "kling-v9"))))
                .singleElement().asString()
                .startsWith("input.model_name: unknown model 'kling-v9' for text-to-video; known models: ")
                .contains("kling-v1, kling-v1-6", "kling-3.0");
        assertThat(validator.validate(request(Product.IMAGE_GENERATION, input("prompt", "p", "model_name", "kling-v1-6"))))
                .singleElement().asString().contains("known models: kling-v1, kling-v1-5, kling-v2, kling-v2-1");
    }

    @Test
    void acceptsA2026ModelOnlyForAnAccountWithAnApiKeyAndAProductThe2026ApiServes() {
        GenerationRequest newModel = request(Product.TEXT_TO_VIDEO, input("prompt", "p", "model_name", "kling-3.0",
                "duration", "12", "resolution", "1080p"));

        assertThat(validator.validate(newModel)).singleElement().asString()
                .contains("kling-3.0 uses Kling's 2026 API, which accepts an API key only", "brand-a");
        assertThat(withApiKeys.validate(newModel)).isEmpty();
        assertThat(withApiKeys.validate(request(Product.TEXT_TO_VIDEO, input("prompt", "p", "model_name", "kling-3.0",
                "resolution", "8k")))).singleElement().asString().contains("input.resolution");
        assertThat(withApiKeys.validate(request(Product.OMNI_VIDEO, input("model_name", "kling-3.0-omni",
                "contents", List.of(Map.of("type", "prompt", "text", "p")), "options",
                Map.of("callback_url", "http://evil"))))).singleElement().asString().contains("input.options.callback_url");
    }

    @Test
    void acceptsAModelAddedByConfiguration() {
        KlingModels models = new KlingModels(Map.of(), Map.of("text-to-video",
                List.of(new ModelRules("kling-v4", List.of("std"), List.of("5"), List.of(), List.of())))).overDefaults();
        RequestValidator configured = new RequestValidator(new KlingProperties(URI.create("http://kling"),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(60),
                List.of(new KlingAccount("brand-a", "ak-aaaaaaaa", "sk-0123456789abcdef0123456789abcdef", 3))), models);

        assertThat(configured.validate(request(Product.TEXT_TO_VIDEO, input("prompt", "p", "model_name", "kling-v4",
                "duration", "5")))).isEmpty();
        assertThat(configured.validate(request(Product.TEXT_TO_VIDEO, input("prompt", "p", "model_name", "kling-v4",
                "duration", "10")))).singleElement().asString().contains("allowed values for kling-v4: \"5\"");
    }

    @Test
    void checksMultiImageToVideoVideoExtendAndOmniVideo() {
        assertThat(validator.validate(request(Product.MULTI_IMAGE_TO_VIDEO, input("prompt", "p",
                "image_list", List.of(Map.of("image", "https://x/a.png"), Map.of("image", "https://x/b.png")))))).isEmpty();
        assertThat(validator.validate(request(Product.MULTI_IMAGE_TO_VIDEO, input("prompt", "p",
                "image_list", List.of(Map.of("image", "data:image/png;base64,AAAA")))))).singleElement().asString()
                .startsWith("input.image_list[0].image: File is not in a valid base64 format");
        assertThat(validator.validate(request(Product.MULTI_IMAGE_TO_VIDEO, input("prompt", "p")))).singleElement()
                .asString().contains("1 to 4");
        assertThat(validator.validate(request(Product.VIDEO_EXTEND, input("video_id", "8283386746555")))).isEmpty();
        assertThat(validator.validate(request(Product.VIDEO_EXTEND, input("prompt", "p", "model_name", "kling-v1"))))
                .containsExactlyInAnyOrder("input.model_name: video-extend takes no model_name",
                        "input.video_id: must not be blank");
        assertThat(validator.validate(request(Product.OMNI_VIDEO, input("prompt", "p", "model_name", "kling-video-o1",
                "duration", "7")))).isEmpty();
        assertThat(validator.validate(request(Product.OMNI_VIDEO, input("prompt", "p")))).singleElement().asString()
                .startsWith("input.model_name: must not be null for omni-video; known models: ");
    }

    @Test
    void refusesA2026ModelOnAProductThe2026ApiDoesNotServe() {
        KlingModels models = new KlingModels(Map.of(), Map.of("image-generation",
                List.of(new ModelRules("kling-image-3.0", List.of(), List.of(), List.of(), List.of())))).overDefaults();
        RequestValidator configured = new RequestValidator(new KlingProperties(URI.create("http://kling"),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(60),
                List.of(KlingAccount.withApiKey("brand-a", "api-key-0123456789", 3, null))), models);

        assertThat(configured.validate(request(Product.IMAGE_GENERATION, input("prompt", "p",
                "model_name", "kling-image-3.0")))).singleElement().asString().contains("has no image-generation endpoint");
    }
}
