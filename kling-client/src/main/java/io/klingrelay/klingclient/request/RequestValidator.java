package io.klingrelay.klingclient.request;

import io.klingrelay.common.event.GenerationRequest;
import io.klingrelay.common.event.Product;
import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.klingclient.config.KlingAccount;
import io.klingrelay.klingclient.config.KlingProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a request before anything is sent to Kling, with the main rules of kling-api.md §4.3,
 * §4.3 (image size), §6–§8 and §19 (items 12, 16–25), so that an invalid request fails here, with a clear reason,
 * instead of reaching Kling. Messages follow Kling's own bean-validation style
 * ({@code input.prompt: must not be longer than 2500 characters}). Thread-safe.
 */
public final class RequestValidator {

    static final int MAX_PROMPT = 2500;
    /** The largest image file Kling takes, bytes: "file ≤ 10 MB" (kling-api.md §4.3), read leniently as 10 MiB. */
    static final long MAX_IMAGE_BYTES = 10L * 1024 * 1024;

    private static final Set<String> T2V_MODELS = Set.of("kling-v1", "kling-v1-6", "kling-v2-master",
            "kling-v2-1-master", "kling-v2-5-turbo", "kling-v2-6", "kling-v3");
    private static final Set<String> I2V_MODELS = Set.of("kling-v1", "kling-v1-5", "kling-v1-6", "kling-v2-master",
            "kling-v2-1", "kling-v2-1-master", "kling-v2-5-turbo", "kling-v2-6", "kling-v3");
    private static final Set<String> IMAGE_MODELS = Set.of("kling-v1", "kling-v1-5", "kling-v2", "kling-v2-new",
            "kling-v2-1", "kling-v3");
    private static final Set<String> VIDEO_ASPECT_RATIOS = Set.of("16:9", "9:16", "1:1");
    private static final Set<String> IMAGE_ASPECT_RATIOS = Set.of("16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3",
            "21:9");
    private static final Set<String> CAMERA_PRESETS = Set.of("down_back", "forward_up", "right_turn_forward",
            "left_turn_forward");
    private static final List<String> CAMERA_AXES = List.of("horizontal", "vertical", "pan", "tilt", "roll", "zoom");
    private static final Set<String> RESERVED = Set.of("callback_url", "external_task_id");

    private final KlingProperties kling;

    /** @param kling the configured accounts */
    public RequestValidator(KlingProperties kling) {
        this.kling = kling;
    }

    /**
     * @param request a request as read from Kafka
     * @return the violations, empty when the request may be dispatched
     */
    public List<String> validate(GenerationRequest request) {
        List<String> violations = new ArrayList<>();
        checkEnvelope(request, violations);
        if (request.product() != null) {
            Map<String, Object> input = request.input();
            RESERVED.stream().filter(input::containsKey)
                    .forEach(key -> violations.add("input." + key + ": is set by Kling Relay, leave it out"));
            switch (request.product()) {
                case TEXT_TO_VIDEO -> checkTextToVideo(input, violations);
                case IMAGE_TO_VIDEO -> checkImageToVideo(input, violations);
                case IMAGE_GENERATION -> checkImages(input, account(request), violations);
            }
        }
        return violations;
    }

    /**
     * @param request a valid request
     * @return permits it needs: {@code n} for images (default 1), else 1 (kling-api.md §13)
     */
    public static int permitsNeeded(GenerationRequest request) {
        if (request.product() != Product.IMAGE_GENERATION) {
            return 1;
        }
        Object n = request.input().get("n");
        return n instanceof Number number ? number.intValue() : 1;
    }

    private void checkEnvelope(GenerationRequest request, List<String> violations) {
        if (request.requestId() == null || !RedisKeys.isSafeId(request.requestId())) {
            violations.add("requestId: must be 1-128 of A-Z a-z 0-9 . _ : -");
        }
        if (request.accountId() == null) {
            violations.add("accountId: must not be null");
        } else if (account(request).isEmpty()) {
            violations.add("accountId: no Kling account '" + Bounded.id(request.accountId()) + "' is configured");
        }
        if (request.product() == null) {
            violations.add("product: allowed values: text-to-video, image-to-video, image-generation");
        }
    }

    private Optional<KlingAccount> account(GenerationRequest request) {
        return request.accountId() == null ? Optional.empty() : kling.findAccount(request.accountId());
    }

    private static void checkTextToVideo(Map<String, Object> input, List<String> violations) {
        requirePrompt(input, violations);
        checkCommonVideo(input, T2V_MODELS, violations);
        checkEnum(input, "aspect_ratio", VIDEO_ASPECT_RATIOS, violations);
    }

    private static void checkImageToVideo(Map<String, Object> input, List<String> violations) {
        checkOptionalText(input, "prompt", violations);
        checkCommonVideo(input, I2V_MODELS, violations);
        if (!input.containsKey("image") && !input.containsKey("image_tail")) {
            violations.add("image can not be null");
        }
        checkImageValue(input, "image", violations);
        checkImageValue(input, "image_tail", violations);
        boolean frames = input.containsKey("image_tail");
        boolean brush = input.containsKey("static_mask") || input.containsKey("dynamic_masks");
        boolean camera = input.containsKey("camera_control");
        if ((frames ? 1 : 0) + (brush ? 1 : 0) + (camera ? 1 : 0) > 1) {
            violations.add("input: image_tail, static_mask/dynamic_masks and camera_control are mutually exclusive");
        }
    }

    private static void checkCommonVideo(Map<String, Object> input, Set<String> models, List<String> violations) {
        String model = checkModel(input, models, violations);
        checkOptionalText(input, "negative_prompt", violations);
        checkEnum(input, "mode", "kling-v3".equals(model) ? Set.of("std", "pro", "4k") : Set.of("std", "pro"),
                violations);
        checkDuration(input, model, violations);
        checkUnitInterval(input, "cfg_scale", violations);
        if (input.containsKey("camera_control")) {
            checkCameraControl(input.get("camera_control"), violations);
        }
    }

    private static void checkImages(Map<String, Object> input, Optional<KlingAccount> account, List<String> violations) {
        requirePrompt(input, violations);
        checkModel(input, IMAGE_MODELS, violations);
        checkOptionalText(input, "negative_prompt", violations);
        checkEnum(input, "aspect_ratio", IMAGE_ASPECT_RATIOS, violations);
        checkEnum(input, "resolution", Set.of("1k", "2k"), violations);
        checkImageValue(input, "image", violations);
        if (input.containsKey("image") && input.containsKey("negative_prompt")) {
            violations.add("input.negative_prompt: not supported together with image");
        }
        Object n = input.get("n");
        if (n != null) {
            if (!(n instanceof Integer || n instanceof Long) || ((Number) n).intValue() < 1 || ((Number) n).intValue() > 9) {
                violations.add("input.n: must be an integer between 1 and 9");
            } else if (account.isPresent() && ((Number) n).intValue() > account.get().concurrencyLimit()) {
                violations.add("input.n: " + n + " images need " + n + " concurrency slots but account '"
                        + account.get().id() + "' has " + account.get().concurrencyLimit());
            }
        }
    }

    private static String checkModel(Map<String, Object> input, Set<String> models, List<String> violations) {
        Object model = input.getOrDefault("model_name", "kling-v1");
        if (!(model instanceof String name) || !models.contains(name)) {
            violations.add("input.model_name: allowed values: " + String.join(", ", models.stream().sorted().toList()));
            return "";
        }
        return name;
    }

    private static void requirePrompt(Map<String, Object> input, List<String> violations) {
        Object prompt = input.get("prompt");
        if (!(prompt instanceof String text) || text.isBlank()) {
            violations.add("input.prompt: must not be blank");
            return;
        }
        checkOptionalText(input, "prompt", violations);
    }

    private static void checkOptionalText(Map<String, Object> input, String field, List<String> violations) {
        Object value = input.get(field);
        if (value == null) {
            return;
        }
        if (!(value instanceof String text)) {
            violations.add("input." + field + ": must be a string");
        } else if (text.length() > MAX_PROMPT) {
            violations.add("input." + field + ": must not be longer than " + MAX_PROMPT + " characters (got "
                    + text.length() + ")");
        }
    }

    private static void checkEnum(Map<String, Object> input, String field, Set<String> allowed, List<String> violations) {
        Object value = input.get(field);
        if (value != null && !(value instanceof String text && allowed.contains(text))) {
            violations.add("input." + field + ": allowed values: " + String.join(", ", allowed.stream().sorted().toList()));
        }
    }

    private static void checkDuration(Map<String, Object> input, String model, List<String> violations) {
        Object duration = input.get("duration");
        if (duration == null) {
            return;
        }
        Set<String> allowed = "kling-v3".equals(model)
                ? Set.of("3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15")
                : Set.of("5", "10");
        if (!(duration instanceof String text) || !allowed.contains(text)) {
            violations.add("input.duration: must be a string, allowed values: "
                    + ("kling-v3".equals(model) ? "\"3\" to \"15\"" : "\"5\", \"10\""));
        }
    }

    private static void checkUnitInterval(Map<String, Object> input, String field, List<String> violations) {
        Object value = input.get(field);
        if (value != null && !(value instanceof Number number && number.doubleValue() >= 0 && number.doubleValue() <= 1)) {
            violations.add("input." + field + ": must be a number between 0 and 1");
        }
    }

    private static void checkImageValue(Map<String, Object> input, String field, List<String> violations) {
        Object value = input.get(field);
        if (value == null) {
            return;
        }
        if (!(value instanceof String text) || text.isBlank()) {
            violations.add("input." + field + ": must be an image URL or raw Base64");
        } else if (text.startsWith("data:")) {
            violations.add("input." + field + ": File is not in a valid base64 format (send raw Base64 without the data: prefix)");
        } else if (!isUrl(text) && base64Bytes(text) > MAX_IMAGE_BYTES) {
            violations.add("input." + field + ": must be at most 10 MB (" + MAX_IMAGE_BYTES + " bytes); this Base64 image is "
                    + base64Bytes(text) + " bytes");
        }
    }

    private static boolean isUrl(String text) {
        return text.regionMatches(true, 0, "http://", 0, 7) || text.regionMatches(true, 0, "https://", 0, 8);
    }

    /** @return the decoded size of a Base64 text, bytes (4 characters carry 3 bytes; padding carries none) */
    private static long base64Bytes(String text) {
        long padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
        return text.length() / 4L * 3 - padding;
    }

    private static void checkCameraControl(Object value, List<String> violations) {
        if (!(value instanceof Map<?, ?> camera) || !(camera.get("type") instanceof String type)) {
            violations.add("input.camera_control.type: allowed values: simple, down_back, forward_up, "
                    + "right_turn_forward, left_turn_forward");
            return;
        }
        if (CAMERA_PRESETS.contains(type)) {
            if (camera.get("config") != null) {
                violations.add("input.camera_control.config: must be absent for type " + type);
            }
            return;
        }
        if (!"simple".equals(type)) {
            violations.add("input.camera_control.type: allowed values: simple, down_back, forward_up, "
                    + "right_turn_forward, left_turn_forward");
            return;
        }
        checkSimpleCameraConfig(camera.get("config"), violations);
    }

    private static void checkSimpleCameraConfig(Object value, List<String> violations) {
        if (!(value instanceof Map<?, ?> config)) {
            violations.add("input.camera_control.config: must not be null for type simple");
            return;
        }
        int nonZero = 0;
        for (String axis : CAMERA_AXES) {
            Object v = config.get(axis);
            double number = v instanceof Number n ? n.doubleValue() : v == null ? 0 : Double.NaN;
            if (Double.isNaN(number) || number < -10 || number > 10) {
                violations.add("input.camera_control.config." + axis + ": must be a number between -10 and 10");
            } else if (number != 0) {
                nonZero++;
            }
        }
        if (nonZero != 1) {
            violations.add("input.camera_control.config: exactly one of horizontal, vertical, pan, tilt, roll, zoom "
                    + "must be non-zero");
        }
    }
}
