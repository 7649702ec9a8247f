package io.klingrelay.klingclient.request;

import io.klingrelay.common.event.GenerationRequest;
import io.klingrelay.common.event.Product;
import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.klingclient.api.KlingEndpoints;
import io.klingrelay.klingclient.api.KlingSurface;
import io.klingrelay.klingclient.config.KlingAccount;
import io.klingrelay.klingclient.config.KlingProperties;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a request before anything is sent to Kling, with the main rules of kling-api.md §4.3,
 * §4.3 (image size), §6–§9, §15 and §19 (items 12, 16–25), so that an invalid request fails here, with a clear reason,
 * instead of reaching Kling. Models and their modes, durations, aspect ratios and resolutions come
 * from {@link KlingModels} (configuration over documented defaults); an unknown model is refused with
 * the list of the product's known ones, and a 2026 model ({@link KlingSurface#NEW_API}) needs an
 * account with an API key and a product the 2026 API serves. Messages follow Kling's own bean-validation style
 * ({@code input.prompt: must not be longer than 2500 characters}). Thread-safe.
 */
public final class RequestValidator {

    static final int MAX_PROMPT = 2500;
    /** The largest image file Kling takes, bytes: "file ≤ 10 MB" (kling-api.md §4.3), read leniently as 10 MiB. */
    static final long MAX_IMAGE_BYTES = 10L * 1024 * 1024;

    /** Most subject images of a multi-image-to-video request (kling-api.md §9). */
    static final int MAX_MULTI_IMAGES = 4;
    private static final Set<String> CAMERA_PRESETS = Set.of("down_back", "forward_up", "right_turn_forward",
            "left_turn_forward");
    private static final List<String> CAMERA_AXES = List.of("horizontal", "vertical", "pan", "tilt", "roll", "zoom");
    private static final Set<String> RESERVED = Set.of("callback_url", "external_task_id");

    private final KlingProperties kling;
    private final KlingModels models;

    /** @param kling the configured accounts; models are the documented defaults ({@link KlingModels#defaults()}) */
    public RequestValidator(KlingProperties kling) {
        this(kling, KlingModels.defaults());
    }

    /**
     * @param kling  the configured accounts
     * @param models the models and their rules (normally {@link KlingModels#overDefaults()} of the
     *               bound configuration)
     */
    public RequestValidator(KlingProperties kling, KlingModels models) {
        this.kling = kling;
        this.models = models;
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
            if (input.get("options") instanceof Map<?, ?> options) {
                RESERVED.stream().filter(options::containsKey).forEach(key -> violations.add("input.options." + key
                        + ": is set by Kling Relay, leave it out"));
            }
            Optional<ModelRules> rules = checkModel(request.product(), input, account(request), violations);
            switch (request.product()) {
                case TEXT_TO_VIDEO -> checkTextToVideo(input, rules, violations);
                case IMAGE_TO_VIDEO -> checkImageToVideo(input, rules, violations);
                case IMAGE_GENERATION -> checkImages(input, rules, account(request), violations);
                case MULTI_IMAGE_TO_VIDEO -> checkMultiImageToVideo(input, rules, violations);
                case VIDEO_EXTEND -> checkVideoExtend(input, violations);
                case OMNI_VIDEO -> checkOmniVideo(input, rules, violations);
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
            violations.add("product: allowed values: " + String.join(", ",
                    Arrays.stream(Product.values()).map(Product::wireName).toList()));
        }
    }

    private Optional<KlingAccount> account(GenerationRequest request) {
        return request.accountId() == null ? Optional.empty() : kling.findAccount(request.accountId());
    }

    /**
     * The model named by {@code model_name} (or the product's default): known for the product, and
     * on the 2026 surface only for an API-key account and a product the 2026 API serves.
     */
    private Optional<ModelRules> checkModel(Product product, Map<String, Object> input, Optional<KlingAccount> account,
            List<String> violations) {
        if (!models.takesModel(product)) {
            if (input.containsKey("model_name")) {
                violations.add("input.model_name: " + product.wireName() + " takes no model_name");
            }
            return Optional.empty();
        }
        Object model = input.containsKey("model_name") ? input.get("model_name")
                : models.defaultModel(product).orElse(null);
        Optional<ModelRules> rules = model instanceof String name ? models.find(product, name) : Optional.empty();
        if (rules.isEmpty()) {
            violations.add("input.model_name: " + (model == null ? "must not be null" : "unknown model '"
                    + Bounded.text(String.valueOf(model), 64) + "'") + " for " + product.wireName() + "; known models: "
                    + String.join(", ", models.names(product)));
            return rules;
        }
        checkSurface(product, rules.get().name(), account, violations);
        return rules;
    }

    private static void checkSurface(Product product, String model, Optional<KlingAccount> account,
            List<String> violations) {
        if (KlingSurface.ofModel(model) != KlingSurface.NEW_API) {
            return;
        }
        if (KlingEndpoints.newApiPath(product).isEmpty()) {
            violations.add("input.model_name: " + model + " is a 2026 API model, which has no " + product.wireName()
                    + " endpoint");
        }
        if (account.isPresent() && !account.get().hasApiKey()) {
            violations.add("input.model_name: " + model + " uses Kling's 2026 API, which accepts an API key only;"
                    + " account '" + account.get().id() + "' has none (kling-api.md §3.3)");
        }
    }

    private static void checkTextToVideo(Map<String, Object> input, Optional<ModelRules> rules, List<String> violations) {
        if (!isNewApiForm(input)) {
            requirePrompt(input, violations);
        }
        checkCommonVideo(input, rules, violations);
        checkAspectRatio(input, rules, violations);
    }

    private static void checkImageToVideo(Map<String, Object> input, Optional<ModelRules> rules,
            List<String> violations) {
        checkOptionalText(input, "prompt", violations);
        checkCommonVideo(input, rules, violations);
        if (isNewApiForm(input)) {
            return;
        }
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

    /** {@code /v1/videos/multi-image2video} (kling-api.md §9): 1–4 {@code image_list[].image}, a prompt. */
    private static void checkMultiImageToVideo(Map<String, Object> input, Optional<ModelRules> rules,
            List<String> violations) {
        requirePrompt(input, violations);
        checkCommonVideo(input, rules, violations);
        checkAspectRatio(input, rules, violations);
        if (!(input.get("image_list") instanceof List<?> images) || images.isEmpty()
                || images.size() > MAX_MULTI_IMAGES) {
            violations.add("input.image_list: must hold 1 to " + MAX_MULTI_IMAGES + " {image} entries");
            return;
        }
        for (int i = 0; i < images.size(); i++) {
            if (!(images.get(i) instanceof Map<?, ?> entry) || !(entry.get("image") instanceof String)) {
                violations.add("input.image_list[" + i + "].image: must be an image URL or raw Base64");
            } else {
                checkImageValue(Map.of("image_list[" + i + "].image", entry.get("image")), "image_list[" + i + "].image",
                        violations);
            }
        }
    }

    /** {@code /v1/videos/video-extend} (kling-api.md §9): {@code video_id} of a generated video. */
    private static void checkVideoExtend(Map<String, Object> input, List<String> violations) {
        if (!(input.get("video_id") instanceof String id) || id.isBlank()) {
            violations.add("input.video_id: must not be blank");
        }
        checkOptionalText(input, "prompt", violations);
        checkOptionalText(input, "negative_prompt", violations);
        checkUnitInterval(input, "cfg_scale", violations);
    }

    /**
     * Omni video (kling-api.md §9 legacy fields, §15 2026 body): a prompt or 2026 {@code contents},
     * optional {@code image_list[{image_url, type}]}, mode, duration and aspect ratio of the model.
     */
    private static void checkOmniVideo(Map<String, Object> input, Optional<ModelRules> rules, List<String> violations) {
        if (!isNewApiForm(input)) {
            requirePrompt(input, violations);
        }
        checkCommonVideo(input, rules, violations);
        checkAspectRatio(input, rules, violations);
        if (input.get("image_list") instanceof List<?> images) {
            for (int i = 0; i < images.size(); i++) {
                if (!(images.get(i) instanceof Map<?, ?> entry) || !(entry.get("image_url") instanceof String)) {
                    violations.add("input.image_list[" + i + "].image_url: must be an image URL or raw Base64");
                }
            }
        }
    }

    /** A request already written in the 2026 body form ({@code contents} / {@code settings}, §15). */
    private static boolean isNewApiForm(Map<String, Object> input) {
        return input.containsKey("contents") || input.containsKey("settings");
    }

    private static void checkCommonVideo(Map<String, Object> input, Optional<ModelRules> rules, List<String> violations) {
        checkOptionalText(input, "negative_prompt", violations);
        rules.ifPresent(model -> {
            checkEnum(input, "mode", model.modes(), violations);
            checkDuration(input, model, violations);
            checkEnum(input, "resolution", model.resolutions(), violations);
        });
        checkUnitInterval(input, "cfg_scale", violations);
        if (input.containsKey("camera_control")) {
            checkCameraControl(input.get("camera_control"), violations);
        }
    }

    private static void checkAspectRatio(Map<String, Object> input, Optional<ModelRules> rules, List<String> violations) {
        rules.ifPresent(model -> checkEnum(input, "aspect_ratio", model.aspectRatios(), violations));
    }

    private static void checkImages(Map<String, Object> input, Optional<ModelRules> rules,
            Optional<KlingAccount> account, List<String> violations) {
        requirePrompt(input, violations);
        checkOptionalText(input, "negative_prompt", violations);
        checkAspectRatio(input, rules, violations);
        rules.ifPresent(model -> checkEnum(input, "resolution", model.resolutions(), violations));
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

    /** An empty {@code allowed} list is not checked (a model whose rules do not name the field). */
    private static void checkEnum(Map<String, Object> input, String field, List<String> allowed,
            List<String> violations) {
        Object value = input.get(field);
        if (value != null && !allowed.isEmpty() && !(value instanceof String text && allowed.contains(text))) {
            violations.add("input." + field + ": allowed values: " + String.join(", ", allowed.stream().sorted().toList()));
        }
    }

    private static void checkDuration(Map<String, Object> input, ModelRules model, List<String> violations) {
        Object duration = input.get("duration");
        List<String> allowed = model.durations();
        if (duration == null || allowed.isEmpty()) {
            return;
        }
        if (!(duration instanceof String text) || !allowed.contains(text)) {
            violations.add("input.duration: must be a string, allowed values for " + model.name() + ": "
                    + describe(allowed));
        }
    }

    /** {@code "3" to "15"} for a run of consecutive seconds, else the quoted list. */
    private static String describe(List<String> durations) {
        boolean consecutive = durations.size() > 2 && durations.stream().allMatch(d -> d.matches("\\d{1,3}"))
                && Integer.parseInt(durations.getLast()) - Integer.parseInt(durations.getFirst()) == durations.size() - 1;
        return consecutive ? "\"" + durations.getFirst() + "\" to \"" + durations.getLast() + "\""
                : String.join(", ", durations.stream().map(d -> "\"" + d + "\"").toList());
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
