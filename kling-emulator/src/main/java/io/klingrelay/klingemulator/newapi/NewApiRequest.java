package io.klingrelay.klingemulator.newapi;

import io.klingrelay.klingemulator.wire.KlingApiException;
import io.klingrelay.klingemulator.wire.KlingCode;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A validated 2026 create body (kling-api.md §15): {@code prompt} or {@code contents[]}, {@code settings{}} and
 * {@code options{}}. Messages follow Kling's bean-validation style ({@code settings.duration: allowed values: 5, 10});
 * every problem is 400 / 1201 (a body that is not a JSON object: 1200). Unknown fields are ignored, except the
 * legacy-only ones ({@link #LEGACY_ONLY}), which the new API does not have.
 *
 * @param prompt the prompt text ("" when none)
 * @param resolution {@code 720p}, {@code 1080p} or {@code 4k}
 * @param aspectRatio {@code 16:9}, {@code 9:16} or {@code 1:1} (16:9 where the endpoint has no such setting)
 * @param seconds requested output length in seconds (motion control: 5, the emulator's stand-in for "as long as the
 *     reference video")
 * @param audio {@code native}, {@code original} or {@code off}
 * @param callbackUrl {@code options.callback_url} or null
 * @param externalTaskId {@code options.external_task_id} or null
 * @param watermark {@code options.watermark_info.enabled}
 * @param videoInput whether {@code contents} hold a {@code feature_video} or {@code base_video} (priced apart)
 */
public record NewApiRequest(
        String prompt,
        String resolution,
        String aspectRatio,
        int seconds,
        String audio,
        @Nullable String callbackUrl,
        @Nullable String externalTaskId,
        boolean watermark,
        boolean videoInput) {

    /** Legacy body fields with no place in the new API: a client sending them is talking to the wrong surface. */
    static final List<String> LEGACY_ONLY = List.of("negative_prompt", "cfg_scale", "camera_control", "model_name",
            "image_tail", "static_mask", "dynamic_masks");
    static final int MAX_EXTERNAL_ID = 256;
    static final int MOTION_CONTROL_SECONDS = 5;
    private static final List<String> IMAGE_TYPES = List.of("first_frame", "last_frame", "refer_image", "image");
    private static final List<String> VIDEO_TYPES = List.of("feature_video", "base_video", "video");

    /**
     * @throws KlingApiException 1200 when the body is not an object, 1201 for any bad field
     */
    static NewApiRequest parse(ModelRules rules, JsonNode body) {
        if (!body.isObject()) {
            throw new KlingApiException(KlingCode.INVALID_REQUEST, "request body must be a JSON object");
        }
        for (String field : LEGACY_ONLY) {
            if (present(body, field)) {
                throw invalid(field + ": not supported by " + rules.path() + " (legacy API field)");
            }
        }
        String prompt = prompt(rules, body);
        JsonNode settings = object(body, "settings");
        String resolution = oneOf(settings, "settings.resolution", "resolution", rules.resolutions(),
                rules.resolutions().getFirst());
        String aspectRatio = rules.aspectRatio()
                ? oneOf(settings, "settings.aspect_ratio", "aspect_ratio", ModelRules.ASPECT_RATIOS, "16:9") : "16:9";
        int seconds = rules.durations().isEmpty() ? MOTION_CONTROL_SECONDS : duration(rules, settings);
        String audio = audio(rules, settings);
        multiShot(rules, settings);
        characterOrientation(rules, settings);
        combinations(rules, body, resolution, audio);
        JsonNode options = object(body, "options");
        boolean videoInput = hasContent(body, "feature_video") || hasContent(body, "base_video");
        return new NewApiRequest(prompt, resolution, aspectRatio, seconds, audio, callbackUrl(options),
                externalTaskId(options), watermark(options), videoInput);
    }

    private static String prompt(ModelRules rules, JsonNode body) {
        String prompt = optionalString(body, "prompt", "prompt");
        List<String> fromContents = contents(rules, body);
        String text = prompt != null ? prompt : fromContents.isEmpty() ? null : String.join(" ", fromContents);
        boolean promptOnly = rules.contentTypes().isEmpty();
        if (promptOnly && (text == null || text.isBlank())) {
            throw invalid("prompt: must not be blank");
        }
        if (text != null && text.length() > rules.maxPrompt()) {
            throw invalid("prompt: size must be between 1 and " + rules.maxPrompt());
        }
        return text == null ? "" : text;
    }

    /** Checks {@code contents[]}; @return the texts of its prompt items */
    private static List<String> contents(ModelRules rules, JsonNode body) {
        boolean promptOnly = rules.contentTypes().isEmpty();
        List<String> allowed = promptOnly ? List.of("prompt") : rules.contentTypes();
        if (!present(body, "contents")) {
            if (!promptOnly) {
                throw invalid("contents: must not be empty");
            }
            return List.of();
        }
        JsonNode contents = body.get("contents");
        if (!contents.isArray() || (contents.isEmpty() && !promptOnly)) {
            throw invalid("contents: must be a non-empty array");
        }
        List<String> texts = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (int i = 0; i < contents.size(); i++) {
            String type = content(contents.get(i), "contents[" + i + "]", allowed, rules, texts);
            if ((type.equals("first_frame") || type.equals("last_frame")) && types.contains(type)) {
                throw invalid("contents[" + i + "].type: only one " + type + " is allowed");
            }
            types.add(type);
        }
        for (String type : rules.required()) {
            if (!types.contains(type)) {
                throw invalid("contents: a " + type + " item is required");
            }
        }
        if (types.contains("last_frame") && !types.contains("first_frame")) {
            throw invalid("contents: last_frame needs a first_frame (last frame only is not supported)");
        }
        return texts;
    }

    private static String content(JsonNode item, String path, List<String> allowed, ModelRules rules,
            List<String> texts) {
        if (!item.isObject()) {
            throw invalid(path + ": must be an object");
        }
        JsonNode typeNode = item.path("type");
        if (!typeNode.isString() || !allowed.contains(typeNode.stringValue())) {
            throw invalid(path + ".type: allowed values: " + String.join(", ", allowed));
        }
        String type = typeNode.stringValue();
        if (type.equals("prompt")) {
            String text = requiredString(item, path + ".text", "text");
            if (text.length() > rules.maxPrompt()) {
                throw invalid(path + ".text: size must be between 1 and " + rules.maxPrompt());
            }
            texts.add(text);
        } else if (IMAGE_TYPES.contains(type)) {
            String url = requiredString(item, path + ".url", "url");
            if (url.startsWith("data:")) {
                throw invalid("File is not in a valid base64 format");
            }
        } else if (VIDEO_TYPES.contains(type)) {
            requiredString(item, path + ".url", "url");
        } else if (type.equals("element")) {
            requiredString(item, path + ".element_id", "element_id");
        } else if (type.equals("voice")) {
            requiredString(item, path + ".voice_id", "voice_id");
        }
        return type;
    }

    private static int duration(ModelRules rules, JsonNode settings) {
        if (!present(settings, "duration")) {
            return 5;
        }
        JsonNode node = settings.get("duration");
        if (!node.isIntegralNumber()) {
            throw invalid("settings.duration: must be an integer");
        }
        if (!rules.durations().contains(node.intValue())) {
            throw invalid("settings.duration: allowed values: "
                    + String.join(", ", rules.durations().stream().map(String::valueOf).toList()));
        }
        return node.intValue();
    }

    private static String audio(ModelRules rules, JsonNode settings) {
        if (rules.audio().isEmpty()) {
            String sent = optionalString(settings, "settings.audio", "audio");
            if (sent != null && !sent.equals("off")) {
                throw invalid("settings.audio: not supported by " + rules.model());
            }
            return "off";
        }
        return oneOf(settings, "settings.audio", "audio", rules.audio(), rules.defaultAudio());
    }

    private static void multiShot(ModelRules rules, JsonNode settings) {
        if (!present(settings, "multi_shot")) {
            return;
        }
        JsonNode node = settings.get("multi_shot");
        if (!node.isBoolean()) {
            throw invalid("settings.multi_shot: must be a boolean");
        }
        if (node.booleanValue() && !rules.multiShot()) {
            throw invalid("settings.multi_shot: not supported by " + rules.model());
        }
    }

    private static void characterOrientation(ModelRules rules, JsonNode settings) {
        if (!"motion-control".equals(rules.family())) {
            return;
        }
        if (!present(settings, "character_orientation")) {
            throw invalid("settings.character_orientation: must not be null");
        }
        oneOf(settings, "settings.character_orientation", "character_orientation", List.of("image", "video"), "video");
    }

    /**
     * Rules across fields: 2.6 native audio and 2.6 / 2.5 Turbo first + last frame only at 1080p; no native audio
     * with a reference video (omni-video).
     */
    private static void combinations(ModelRules rules, JsonNode body, String resolution, String audio) {
        if (rules.nativeAudioNeeds1080p() && audio.equals("native") && !resolution.equals("1080p")) {
            throw invalid("settings.resolution: native audio is only supported at 1080p");
        }
        boolean referenceVideo = hasContent(body, "feature_video") || hasContent(body, "base_video");
        if (referenceVideo && audio.equals("native")) {
            throw invalid("settings.audio: native audio is not supported with a reference video");
        }
        if (rules.lastFrameNeeds1080p() && !resolution.equals("1080p") && hasContent(body, "last_frame")) {
            throw invalid("settings.resolution: first and last frame are only supported at 1080p");
        }
    }

    private static boolean hasContent(JsonNode body, String type) {
        for (JsonNode item : body.path("contents")) {
            if (type.equals(item.path("type").stringValue(""))) {
                return true;
            }
        }
        return false;
    }

    private static @Nullable String callbackUrl(JsonNode options) {
        String url = optionalString(options, "options.callback_url", "callback_url");
        if (url != null && !url.isBlank() && !url.startsWith("http://") && !url.startsWith("https://")) {
            throw invalid("options.callback_url: must be a valid URL");
        }
        return url == null || url.isBlank() ? null : url;
    }

    private static @Nullable String externalTaskId(JsonNode options) {
        String id = optionalString(options, "options.external_task_id", "external_task_id");
        if (id != null && id.length() > MAX_EXTERNAL_ID) {
            throw invalid("options.external_task_id: size must be between 0 and " + MAX_EXTERNAL_ID);
        }
        return id == null || id.isBlank() ? null : id;
    }

    private static boolean watermark(JsonNode options) {
        JsonNode info = options.path("watermark_info");
        if (info.isMissingNode() || info.isNull()) {
            return false;
        }
        JsonNode enabled = info.path("enabled");
        if (!enabled.isMissingNode() && !enabled.isNull() && !enabled.isBoolean()) {
            throw invalid("options.watermark_info.enabled: must be a boolean");
        }
        return enabled.booleanValue(false);
    }

    /** @return the object at {@code field}, or an empty node when absent */
    private static JsonNode object(JsonNode body, String field) {
        if (!present(body, field)) {
            return body.path("\u0000absent");
        }
        JsonNode node = body.get(field);
        if (!node.isObject()) {
            throw invalid(field + ": must be an object");
        }
        return node;
    }

    private static String oneOf(JsonNode parent, String path, String field, List<String> allowed, String fallback) {
        if (!present(parent, field)) {
            return fallback;
        }
        JsonNode node = parent.get(field);
        if (!node.isString() || !allowed.contains(node.stringValue())) {
            throw invalid(path + ": allowed values: " + String.join(", ", allowed));
        }
        return node.stringValue();
    }

    private static String requiredString(JsonNode parent, String path, String field) {
        String value = optionalString(parent, path, field);
        if (value == null || value.isBlank()) {
            throw invalid(path + ": must not be blank");
        }
        return value;
    }

    private static @Nullable String optionalString(JsonNode parent, String path, String field) {
        if (!present(parent, field)) {
            return null;
        }
        JsonNode node = parent.get(field);
        if (!node.isString()) {
            throw invalid(path + ": must be a string");
        }
        return node.stringValue();
    }

    private static boolean present(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        return node != null && !node.isNull() && !node.isMissingNode();
    }

    private static KlingApiException invalid(String message) {
        return KlingApiException.invalidParameter(message);
    }
}
