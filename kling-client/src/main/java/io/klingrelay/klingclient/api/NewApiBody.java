package io.klingrelay.klingclient.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns a request's create body into the 2026 {@code contents}/{@code settings}/{@code options}
 * body (kling-api.md §15). A body already in the 2026 form (it has {@code contents} or
 * {@code settings}) is kept as is; otherwise the legacy fields are mapped:
 * <ul>
 *   <li>{@code contents[]}: {@code prompt} → {@code {type: prompt, text}}; {@code image} →
 *       {@code {type: first_frame, url}}; {@code image_tail} → {@code {type: last_frame, url}};
 *       omni {@code image_list[{image_url, type}]} → {@code first_frame}/{@code last_frame}/{@code image};
 *       {@code element_list[{element_id}]} → {@code {type: element, element_id}};
 *       {@code video_list[{video_url, refer_type, keep_original_sound}]} → {@code {type: video, url, …}}</li>
 *   <li>{@code settings}: {@code duration} (string → integer seconds), {@code aspect_ratio},
 *       {@code resolution} (or from {@code mode}: {@code std} → {@code 720p}, {@code pro} →
 *       {@code 1080p}, {@code 4k} → {@code 4k}), {@code sound} {@code on|off} → {@code audio}
 *       {@code native|off}, {@code multi_shot}</li>
 *   <li>{@code options}: {@code callback_url}, {@code external_task_id}, {@code watermark_info}
 *       (always moved here, also in a body already in the 2026 form)</li>
 * </ul>
 * {@code model_name} is dropped (the model is in the path). Pure function; thread-safe.
 */
public final class NewApiBody {

    /** Keys that go to {@code options}. */
    static final Set<String> OPTION_KEYS = Set.of("callback_url", "external_task_id", "watermark_info");

    private static final Map<String, String> RESOLUTION_OF_MODE = Map.of("std", "720p", "pro", "1080p", "4k", "4k");

    private NewApiBody() {
    }

    /**
     * @param body a create body (legacy or 2026 form) with {@code external_task_id} and
     *             {@code callback_url} at the top level
     * @return the 2026 body; the input is not changed
     */
    public static Map<String, Object> of(Map<String, Object> body) {
        Map<String, Object> mapped = new LinkedHashMap<>();
        if (body.containsKey("contents") || body.containsKey("settings")) {
            body.forEach((key, value) -> {
                if (!OPTION_KEYS.contains(key) && !"options".equals(key) && !"model_name".equals(key)) {
                    mapped.put(key, value);
                }
            });
        } else {
            mapped.put("contents", contents(body));
            mapped.put("settings", settings(body));
        }
        mapped.put("options", options(body));
        return mapped;
    }

    private static List<Map<String, Object>> contents(Map<String, Object> body) {
        List<Map<String, Object>> contents = new ArrayList<>();
        addText(contents, "prompt", body.get("prompt"));
        addUrl(contents, "first_frame", body.get("image"));
        addUrl(contents, "last_frame", body.get("image_tail"));
        for (Map<?, ?> image : maps(body.get("image_list"))) {
            String type = image.get("type") instanceof String t ? t : null;
            String kind = "first_frame".equals(type) ? "first_frame" : "end_frame".equals(type) ? "last_frame" : "image";
            addUrl(contents, kind, image.get("image_url") != null ? image.get("image_url") : image.get("image"));
        }
        for (Map<?, ?> element : maps(body.get("element_list"))) {
            contents.add(Map.of("type", "element", "element_id", String.valueOf(element.get("element_id"))));
        }
        for (Map<?, ?> video : maps(body.get("video_list"))) {
            Map<String, Object> content = new LinkedHashMap<>();
            content.put("type", "video");
            content.put("url", video.get("video_url"));
            copy(video, "refer_type", content);
            copy(video, "keep_original_sound", content);
            contents.add(content);
        }
        return contents;
    }

    private static Map<String, Object> settings(Map<String, Object> body) {
        Map<String, Object> settings = new LinkedHashMap<>();
        Object duration = body.get("duration");
        if (duration != null) {
            settings.put("duration", duration instanceof String text && text.matches("\\d{1,3}") ? Integer.valueOf(text)
                    : duration);
        }
        copy(body, "aspect_ratio", settings);
        Object resolution = body.get("resolution") != null ? body.get("resolution")
                : body.get("mode") instanceof String mode ? RESOLUTION_OF_MODE.get(mode) : null;
        if (resolution != null) {
            settings.put("resolution", resolution);
        }
        if (body.get("audio") != null) {
            settings.put("audio", body.get("audio"));
        } else if (body.get("sound") instanceof String sound) {
            settings.put("audio", "on".equals(sound) ? "native" : "off");
        }
        copy(body, "multi_shot", settings);
        return settings;
    }

    private static Map<String, Object> options(Map<String, Object> body) {
        Map<String, Object> options = new LinkedHashMap<>();
        if (body.get("options") instanceof Map<?, ?> given) {
            given.forEach((key, value) -> options.put(String.valueOf(key), value));
        }
        OPTION_KEYS.stream().sorted().forEach(key -> copy(body, key, options));
        return options;
    }

    private static void addText(List<Map<String, Object>> contents, String type, @Nullable Object text) {
        if (text instanceof String value && !value.isBlank()) {
            contents.add(Map.of("type", type, "text", value));
        }
    }

    private static void addUrl(List<Map<String, Object>> contents, String type, @Nullable Object url) {
        if (url instanceof String value && !value.isBlank()) {
            contents.add(Map.of("type", type, "url", value));
        }
    }

    private static List<Map<?, ?>> maps(@Nullable Object list) {
        if (!(list instanceof List<?> items)) {
            return List.of();
        }
        return items.stream().filter(Map.class::isInstance).<Map<?, ?>>map(Map.class::cast).toList();
    }

    private static void copy(Map<?, ?> from, String key, Map<String, Object> to) {
        Object value = from.get(key);
        if (value != null) {
            to.put(key, value);
        }
    }
}
