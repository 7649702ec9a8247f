package io.klingrelay.klingemulator.newapi;

import java.util.List;
import java.util.stream.IntStream;

/**
 * What one path model accepts on one endpoint family (kling-api.md §15; the per-endpoint tables of the 2026 docs,
 * D26b-A "new-standard contracts" §2).
 *
 * @param family {@code text-to-video}, {@code image-to-video}, {@code omni-video} or {@code motion-control}
 * @param model the path model, e.g. {@code kling-3.0}
 * @param maxPrompt longest prompt text, characters
 * @param resolutions {@code settings.resolution} values; the first is the default
 * @param durations {@code settings.duration} values (integers); empty = the field is not offered (motion control:
 *     the output follows the reference video; the emulator makes it 5 s)
 * @param audio {@code settings.audio} values; empty = the field is not offered
 * @param defaultAudio the value when {@code settings.audio} is absent
 * @param multiShot whether {@code settings.multi_shot} may be true
 * @param aspectRatio whether {@code settings.aspect_ratio} is offered (not on image-to-video / motion control)
 * @param contentTypes the {@code contents[].type} values; empty = no {@code contents} (text-to-video: {@code prompt})
 * @param required content types that must be present
 * @param lastFrameNeeds1080p first + last frame only at 1080p (2.6, 2.5 Turbo)
 * @param nativeAudioNeeds1080p native audio only at 1080p (2.6)
 */
public record ModelRules(
        String family,
        String model,
        int maxPrompt,
        List<String> resolutions,
        List<Integer> durations,
        List<String> audio,
        String defaultAudio,
        boolean multiShot,
        boolean aspectRatio,
        List<String> contentTypes,
        List<String> required,
        boolean lastFrameNeeds1080p,
        boolean nativeAudioNeeds1080p) {

    static final List<String> ASPECT_RATIOS = List.of("16:9", "9:16", "1:1");
    static final List<String> HD = List.of("720p", "1080p");
    static final List<String> HD_4K = List.of("720p", "1080p", "4k");
    static final List<Integer> THREE_TO_FIFTEEN = IntStream.rangeClosed(3, 15).boxed().toList();
    static final List<Integer> THREE_TO_TEN = IntStream.rangeClosed(3, 10).boxed().toList();
    static final List<Integer> FIVE_OR_TEN = List.of(5, 10);
    static final List<String> OMNI_TYPES = List.of("prompt", "first_frame", "last_frame", "refer_image",
            "feature_video", "base_video", "element");

    /** Every family × model the emulator serves. */
    public static final List<ModelRules> ALL = List.of(
            // text-to-video: prompt at the top level
            t2v("kling-3.0-turbo", 3072, HD, THREE_TO_FIFTEEN, List.of(), false),
            t2v("kling-3.0", 3072, HD_4K, THREE_TO_FIFTEEN, List.of("native", "off"), true),
            t2v("kling-2.6", 2500, HD, FIVE_OR_TEN, List.of("native", "off"), false),
            t2v("kling-2.5-turbo", 2500, HD, FIVE_OR_TEN, List.of(), false),
            // image-to-video: contents with a first frame
            i2v("kling-3.0-turbo", 2500, HD, THREE_TO_FIFTEEN, List.of(), false,
                    List.of("prompt", "first_frame"), false),
            i2v("kling-3.0", 3072, HD_4K, THREE_TO_FIFTEEN, List.of("native", "off"), true,
                    List.of("prompt", "first_frame", "last_frame", "element"), false),
            i2v("kling-2.6", 2500, HD, FIVE_OR_TEN, List.of("native", "off"), false,
                    List.of("prompt", "first_frame", "last_frame", "voice"), true),
            i2v("kling-2.5-turbo", 2500, HD, FIVE_OR_TEN, List.of(), false,
                    List.of("prompt", "first_frame", "last_frame"), true),
            // omni-video: references of every kind
            new ModelRules("omni-video", "kling-3.0-omni", 3072, HD_4K, THREE_TO_FIFTEEN,
                    List.of("native", "original", "off"), "off", true, true, OMNI_TYPES, List.of(), false, false),
            new ModelRules("omni-video", "kling-o1", 2500, HD, THREE_TO_TEN, List.of("original", "off"), "off", false,
                    true, OMNI_TYPES, List.of(), false, false),
            // motion-control: a character image and a motion video
            new ModelRules("motion-control", "kling-3.0", 2500, HD, List.of(), List.of("original", "off"), "original",
                    false, false, List.of("prompt", "image", "video", "element"), List.of("image", "video"), false,
                    false),
            new ModelRules("motion-control", "kling-2.6", 2500, HD, List.of(), List.of("original", "off"), "original",
                    false, false, List.of("prompt", "image", "video"), List.of("image", "video"), false, false));

    /** @return the product path, e.g. {@code /text-to-video/kling-3.0} */
    public String path() {
        return "/" + family + "/" + model;
    }

    /** @return {@code motion-control} or {@code video}: the kind of row in the units table */
    public String unitKind() {
        return "motion-control".equals(family) ? "motion-control" : "video";
    }

    private static ModelRules t2v(String model, int maxPrompt, List<String> resolutions, List<Integer> durations,
            List<String> audio, boolean multiShot) {
        return new ModelRules("text-to-video", model, maxPrompt, resolutions, durations, audio, "off", multiShot, true,
                List.of(), List.of(), false, "kling-2.6".equals(model));
    }

    private static ModelRules i2v(String model, int maxPrompt, List<String> resolutions, List<Integer> durations,
            List<String> audio, boolean multiShot, List<String> types, boolean lastFrameNeeds1080p) {
        return new ModelRules("image-to-video", model, maxPrompt, resolutions, durations, audio, "off", multiShot,
                false, types, List.of("first_frame"), lastFrameNeeds1080p, "kling-2.6".equals(model));
    }
}
