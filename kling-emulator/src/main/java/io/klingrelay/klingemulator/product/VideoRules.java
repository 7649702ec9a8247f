package io.klingrelay.klingemulator.product;

import java.util.List;
import java.util.stream.IntStream;
import tools.jackson.databind.JsonNode;

/** Rules shared by the video products: mode, duration, cfg_scale, camera_control (kling-api.md §6.1–§6.2). */
final class VideoRules {

    static final List<String> CLASSIC_DURATIONS = List.of("5", "10");
    static final List<String> V3_DURATIONS = IntStream.rangeClosed(3, 15).mapToObj(String::valueOf).toList();
    static final List<String> CAMERA_TYPES =
            List.of("simple", "down_back", "forward_up", "right_turn_forward", "left_turn_forward");
    static final List<String> CAMERA_AXES = List.of("horizontal", "vertical", "pan", "tilt", "roll", "zoom");
    private static final String V3 = "kling-v3";

    private VideoRules() {
    }

    /** 1201 for {@code cfg_scale} on v2.x models and {@code mode} on kling-v2-master, when rejecting is on. */
    static void unsupported(RequestFields fields, String model, boolean reject) {
        if (!reject) {
            return;
        }
        if (model.startsWith("kling-v2") && fields.present("cfg_scale")) {
            throw RequestFields.invalid("cfg_scale: not supported by " + model);
        }
        if ("kling-v2-master".equals(model) && fields.present("mode")) {
            throw RequestFields.invalid("mode: not supported by " + model);
        }
    }

    static String mode(RequestFields fields, String model) {
        List<String> modes = V3.equals(model) ? List.of("std", "pro", "4k") : List.of("std", "pro");
        return fields.oneOf("mode", modes, "std");
    }

    static String duration(RequestFields fields, String model) {
        return fields.oneOf("duration", V3.equals(model) ? V3_DURATIONS : CLASSIC_DURATIONS, "5");
    }

    static void cfgScale(RequestFields fields) {
        fields.number("cfg_scale", 0, 1, 0.5);
    }

    static void prompts(RequestFields fields) {
        fields.text("negative_prompt", RequestFields.MAX_PROMPT);
    }

    /** {@code type} in the five values; {@code simple} needs six numbers in [-10,10], exactly one non-zero. */
    static void cameraControl(RequestFields fields) {
        if (!fields.present("camera_control")) {
            return;
        }
        JsonNode camera = fields.node("camera_control");
        if (!camera.isObject()) {
            throw RequestFields.invalid("camera_control: must be an object");
        }
        JsonNode type = camera.path("type");
        if (!type.isString() || !CAMERA_TYPES.contains(type.stringValue())) {
            throw RequestFields.invalid("camera_control.type: allowed values: " + String.join(", ", CAMERA_TYPES));
        }
        JsonNode config = camera.path("config");
        boolean hasConfig = !config.isMissingNode() && !config.isNull();
        if ("simple".equals(type.stringValue())) {
            simpleConfig(config, hasConfig);
        } else if (hasConfig) {
            throw RequestFields.invalid("camera_control.config: must be null when type is " + type.stringValue());
        }
    }

    private static void simpleConfig(JsonNode config, boolean hasConfig) {
        if (!hasConfig || !config.isObject()) {
            throw RequestFields.invalid("camera_control.config: must not be null when type is simple");
        }
        int nonZero = 0;
        for (String axis : CAMERA_AXES) {
            JsonNode value = config.path(axis);
            if (value.isMissingNode() || value.isNull()) {
                continue;
            }
            if (!value.isNumber() || value.doubleValue() < -10 || value.doubleValue() > 10) {
                throw RequestFields.invalid("camera_control.config." + axis + ": must be between -10 and 10");
            }
            nonZero += value.doubleValue() != 0 ? 1 : 0;
        }
        if (nonZero != 1) {
            throw RequestFields.invalid("camera_control.config: exactly one of "
                    + String.join(", ", CAMERA_AXES) + " must be non-zero");
        }
    }
}
