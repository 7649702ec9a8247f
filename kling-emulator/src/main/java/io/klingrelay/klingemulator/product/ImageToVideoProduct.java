package io.klingrelay.klingemulator.product;

import io.klingrelay.klingemulator.api.KlingCode;
import io.klingrelay.klingemulator.config.EmulatorProperties;
import io.klingrelay.klingemulator.config.EmulatorProperties.Phase;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * {@code /v1/videos/image2video} (kling-api.md §7): {@code image} or {@code image_tail} required; the
 * groups frames / motion brush / camera control are mutually exclusive; {@code aspect_ratio} is not in
 * the schema and ignored.
 */
@Component
public class ImageToVideoProduct implements Product {

    static final List<String> MODELS = List.of("kling-v1", "kling-v1-5", "kling-v1-6", "kling-v2-master", "kling-v2-1",
            "kling-v2-1-master", "kling-v2-5-turbo", "kling-v2-6", "kling-v3");
    static final String IMAGE_REQUIRED = "image can not be null";

    private final ModelCatalogue models;
    private final Phase phase;

    public ImageToVideoProduct(EmulatorProperties properties) {
        this.models = new ModelCatalogue(MODELS, KlingCode.of(properties.unknownModelCode()));
        this.phase = properties.phases().image2video();
    }

    @Override
    public String path() {
        return "/v1/videos/image2video";
    }

    @Override
    public OutputKind output() {
        return OutputKind.VIDEO;
    }

    @Override
    public Phase phase() {
        return phase;
    }

    @Override
    public TaskSpec validate(JsonNode body) {
        RequestFields fields = new RequestFields(body);
        String model = models.resolve(fields);
        frames(fields);
        exclusiveGroups(fields);
        String prompt = Objects.requireNonNullElse(fields.text("prompt", RequestFields.MAX_PROMPT), "");
        VideoRules.prompts(fields);
        VideoRules.cfgScale(fields);
        String mode = VideoRules.mode(fields, model);
        String duration = VideoRules.duration(fields, model);
        VideoRules.cameraControl(fields);
        CommonFields common = CommonFields.read(fields);
        return new TaskSpec(model, mode, prompt, "16:9", duration, 1, 1, common.callbackUrl(), common.externalTaskId());
    }

    private static void frames(RequestFields fields) {
        String image = fields.optionalString("image");
        String imageTail = fields.optionalString("image_tail");
        if (isEmpty(image) && isEmpty(imageTail)) {
            throw RequestFields.invalid(IMAGE_REQUIRED);
        }
        if (!isEmpty(image)) {
            ImageInputChecker.check("image", image, true);
        }
        if (!isEmpty(imageTail)) {
            ImageInputChecker.check("image_tail", imageTail, false);
        }
    }

    private static void exclusiveGroups(RequestFields fields) {
        boolean tail = fields.present("image_tail");
        boolean brush = fields.present("static_mask") || fields.present("dynamic_masks");
        boolean camera = fields.present("camera_control");
        int groups = (tail ? 1 : 0) + (brush ? 1 : 0) + (camera ? 1 : 0);
        if (groups > 1) {
            throw RequestFields.invalid("image_tail, static_mask/dynamic_masks and camera_control cannot be used together");
        }
    }

    private static boolean isEmpty(@Nullable String value) {
        return value == null || value.isEmpty();
    }
}
