package io.klingrelay.klingemulator.product;

import io.klingrelay.klingemulator.config.EmulatorProperties;
import io.klingrelay.klingemulator.config.EmulatorProperties.UnitRate;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Units per second of output video, per model, kind, resolution and audio: the table behind 2026
 * {@code billing[].amount} and, for the same models under their legacy names, {@code final_unit_deduction}, so both
 * surfaces charge one task alike. Defaults: Kling's video pricing page (2026; D26b family, "Pricing / Video"); rows
 * of {@code klingrelay.emulator.new-api.unit-rates} replace the default row with the same key.
 */
public final class UnitsTable {

    /** Legacy {@code model_name} → the 2026 path model priced the same. */
    static final Map<String, String> LEGACY_NAMES = Map.of("kling-v3", "kling-3.0", "kling-v3-omni", "kling-3.0-omni",
            "kling-video-o1", "kling-o1", "kling-v2-6", "kling-2.6", "kling-v2-5-turbo", "kling-2.5-turbo");
    /** Legacy {@code mode} → resolution (kling-api.md §14: std 720p, pro 1080p, 4k). */
    static final Map<String, String> LEGACY_MODES = Map.of("std", "720p", "pro", "1080p", "4k", "4k");

    private static final List<UnitRate> DEFAULTS = List.of(
            rate("kling-3.0-turbo", "video", "720p", false, "0.8"), rate("kling-3.0-turbo", "video", "1080p", false, "1.0"),
            rate("kling-3.0-turbo", "video", "720p", true, "0.8"), rate("kling-3.0-turbo", "video", "1080p", true, "1.0"),
            rate("kling-3.0", "video", "720p", false, "0.6"), rate("kling-3.0", "video", "1080p", false, "0.8"),
            rate("kling-3.0", "video", "4k", false, "3.0"),
            rate("kling-3.0", "video", "720p", true, "0.9"), rate("kling-3.0", "video", "1080p", true, "1.2"),
            rate("kling-3.0", "video", "4k", true, "3.0"),
            rate("kling-3.0", "motion-control", "720p", false, "0.9"),
            rate("kling-3.0", "motion-control", "1080p", false, "1.2"),
            rate("kling-3.0-omni", "video", "720p", false, "0.6"), rate("kling-3.0-omni", "video", "1080p", false, "0.8"),
            rate("kling-3.0-omni", "video", "4k", false, "3.0"),
            rate("kling-3.0-omni", "video", "720p", true, "0.8"), rate("kling-3.0-omni", "video", "1080p", true, "1.0"),
            rate("kling-3.0-omni", "video", "4k", true, "3.0"),
            rate("kling-3.0-omni", "video-input", "720p", false, "0.9"),
            rate("kling-3.0-omni", "video-input", "1080p", false, "1.2"),
            rate("kling-3.0-omni", "video-input", "4k", false, "3.0"),
            rate("kling-o1", "video", "720p", false, "0.6"), rate("kling-o1", "video", "1080p", false, "0.8"),
            rate("kling-o1", "video-input", "720p", false, "0.9"), rate("kling-o1", "video-input", "1080p", false, "1.2"),
            rate("kling-2.6", "video", "720p", false, "0.3"), rate("kling-2.6", "video", "1080p", false, "0.5"),
            rate("kling-2.6", "video", "1080p", true, "1.0"),
            rate("kling-2.6", "motion-control", "720p", false, "0.5"),
            rate("kling-2.6", "motion-control", "1080p", false, "0.8"),
            rate("kling-2.5-turbo", "video", "720p", false, "0.3"), rate("kling-2.5-turbo", "video", "1080p", false, "0.5"));

    private final Map<Key, BigDecimal> perSecond;

    private UnitsTable(Map<Key, BigDecimal> perSecond) {
        this.perSecond = Map.copyOf(perSecond);
    }

    /** @return the defaults with the configured rows laid over them */
    public static UnitsTable of(EmulatorProperties properties) {
        Map<Key, BigDecimal> rows = new LinkedHashMap<>();
        DEFAULTS.forEach(row -> rows.put(Key.of(row), row.perSecond()));
        properties.newApi().unitRates().forEach(row -> rows.put(Key.of(row), row.perSecond()));
        return new UnitsTable(rows);
    }

    /**
     * @param kind {@code video}, {@code video-input} or {@code motion-control}
     * @param audio native audio generated
     * @return units for {@code seconds} of output; empty when the table has no row for it
     */
    public Optional<BigDecimal> units(String model, String kind, String resolution, boolean audio, int seconds) {
        BigDecimal rate = perSecond.get(new Key(model, kind, resolution, audio));
        return Optional.ofNullable(rate).map(value -> value.multiply(BigDecimal.valueOf(seconds)));
    }

    /**
     * The same figure for a legacy create of a model the table knows under its 2026 name.
     *
     * @param modelName legacy {@code model_name}, e.g. {@code kling-v3}
     * @param mode {@code std}, {@code pro} or {@code 4k}
     * @param duration the request {@code duration} ({@code "5"}); null = 5
     * @return units, or null when the model is not priced by the table (the legacy rule applies)
     */
    public @Nullable BigDecimal legacy(String modelName, String mode, boolean sound, @Nullable String duration) {
        String model = LEGACY_NAMES.get(modelName);
        String resolution = LEGACY_MODES.get(mode);
        if (model == null || resolution == null) {
            return null;
        }
        int seconds = duration == null ? 5 : Integer.parseInt(duration);
        return units(model, "video", resolution, sound, seconds).orElse(null);
    }

    private static UnitRate rate(String model, String kind, String resolution, boolean audio, String perSecond) {
        return new UnitRate(model, kind, resolution, audio, new BigDecimal(perSecond));
    }

    private record Key(String model, String kind, String resolution, boolean audio) {

        static Key of(UnitRate row) {
            return new Key(row.model(), row.kind(), row.resolution(), row.audio());
        }
    }
}
