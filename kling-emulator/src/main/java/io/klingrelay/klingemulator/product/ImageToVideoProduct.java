package io.klingrelay.klingemulator.product;

import io.klingrelay.klingemulator.config.EmulatorProperties;
import io.klingrelay.klingemulator.config.EmulatorSettings;
import io.klingrelay.klingemulator.spec.OutputKind;
import io.klingrelay.klingemulator.spec.TaskSpec;
import java.util.ArrayList;
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
public class ImageToVideoProduct extends CataloguedProduct {

    static final List<String> MODELS = List.of("kling-v1", "kling-v1-5", "kling-v1-6", "kling-v2-master", "kling-v2-1",
            "kling-v2-1-master", "kling-v2-5-turbo", "kling-v2-6", "kling-v3");
    static final String IMAGE_REQUIRED = "image can not be null";
    static final String MASK_MISMATCH = "The mask does not match the size of the image";
    static final int MAX_DYNAMIC_MASKS = 6;
    static final int MAX_TRAJECTORY_POINTS = 77;

    private final UnitsTable units;

    /**
     * @param properties phase durations and the units table
     * @param settings run-time settings; the unknown-model code and validation switches are read per request
     */
    public ImageToVideoProduct(EmulatorProperties properties, EmulatorSettings settings) {
        super("/v1/videos/image2video", OutputKind.VIDEO, properties.phases().image2video(),
                new ModelCatalogue(MODELS, settings::unknownModelCode), settings);
        this.units = UnitsTable.of(properties);
    }

    @Override
    public TaskSpec validate(JsonNode body) {
        RequestFields fields = new RequestFields(body);
        String model = models.resolve(fields);
        VideoRules.unsupported(fields, model, settings.rejectUnsupportedParameters());
        frames(fields);
        exclusiveGroups(fields);
        String maskProblem = motionBrush(fields);
        String prompt = Objects.requireNonNullElse(fields.text("prompt", RequestFields.MAX_PROMPT), "");
        VideoRules.prompts(fields);
        VideoRules.cfgScale(fields);
        String mode = VideoRules.mode(fields, model);
        String duration = VideoRules.duration(fields, model);
        VideoRules.cameraControl(fields);
        CommonFields common = CommonFields.read(fields);
        return new TaskSpec(model, mode, prompt, "16:9", duration, 1, 1, common.callbackUrl(), common.externalTaskId())
                .withFailureReason(maskProblem)
                .withUnits(units.legacy(model, mode, "on".equals(fields.optionalString("sound")), duration));
    }

    /**
     * {@code dynamic_masks}: at most 6, each with a {@code mask} and 2–77 {@code trajectories} points {x, y}
     * (else 1201). A mask whose size differs from the image is accepted and the task later ends {@code failed}.
     *
     * @return the failure reason for a size mismatch, or null
     */
    private static @Nullable String motionBrush(RequestFields fields) {
        List<String> masks = new ArrayList<>();
        String staticMask = fields.optionalString("static_mask");
        if (staticMask != null && !staticMask.isEmpty()) {
            masks.add(staticMask);
        }
        if (fields.present("dynamic_masks")) {
            masks.addAll(dynamicMasks(fields.node("dynamic_masks")));
        }
        int[] image = ImageInputChecker.dimensionsOf(fields.optionalString("image"));
        for (String mask : masks) {
            int[] size = ImageInputChecker.dimensionsOf(mask);
            if (image != null && size != null && (size[0] != image[0] || size[1] != image[1])) {
                return MASK_MISMATCH;
            }
        }
        return null;
    }

    private static List<String> dynamicMasks(JsonNode masks) {
        if (!masks.isArray() || masks.isEmpty() || masks.size() > MAX_DYNAMIC_MASKS) {
            throw RequestFields.invalid("dynamic_masks: size must be between 1 and " + MAX_DYNAMIC_MASKS);
        }
        List<String> result = new ArrayList<>();
        for (int i = 0; i < masks.size(); i++) {
            JsonNode mask = masks.get(i).path("mask");
            if (!mask.isString() || mask.stringValue().isEmpty()) {
                throw RequestFields.invalid("dynamic_masks[" + i + "].mask: must not be blank");
            }
            JsonNode points = masks.get(i).path("trajectories");
            if (!points.isArray() || points.size() < 2 || points.size() > MAX_TRAJECTORY_POINTS) {
                throw RequestFields.invalid("dynamic_masks[" + i + "].trajectories: size must be between 2 and "
                        + MAX_TRAJECTORY_POINTS);
            }
            for (JsonNode point : points) {
                if (!point.path("x").isIntegralNumber() || !point.path("y").isIntegralNumber()) {
                    throw RequestFields.invalid("dynamic_masks[" + i + "].trajectories: x and y must be integers");
                }
            }
            result.add(mask.stringValue());
        }
        return result;
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
