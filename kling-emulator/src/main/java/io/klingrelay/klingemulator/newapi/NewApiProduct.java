package io.klingrelay.klingemulator.newapi;

import io.klingrelay.klingemulator.config.EmulatorProperties.Phase;
import io.klingrelay.klingemulator.product.UnitsTable;
import io.klingrelay.klingemulator.spec.OutputKind;
import io.klingrelay.klingemulator.spec.Product;
import io.klingrelay.klingemulator.spec.TaskSpec;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One model of one 2026 endpoint family, e.g. {@code POST /text-to-video/kling-3.0} (kling-api.md §15), as a
 * {@link Product} of the shared task engine: its tasks take the same slots, packs, fault plans, clock and callbacks
 * as legacy tasks and differ only in how they are shown ({@link #newApi()}).
 */
public final class NewApiProduct implements Product {

    /** Resolution → the legacy {@code mode} it corresponds to (asset generation and the slot scope read the mode). */
    static final Map<String, String> MODES = Map.of("720p", "std", "1080p", "pro", "4k", "4k");

    private final ModelRules rules;
    private final Phase phase;
    private final UnitsTable units;

    /**
     * @param rules what the model accepts on this family
     * @param phase its phase durations (the legacy text-to-video or image-to-video phases)
     * @param units the units table its tasks are charged from
     */
    public NewApiProduct(ModelRules rules, Phase phase, UnitsTable units) {
        this.rules = rules;
        this.phase = phase;
        this.units = units;
    }

    @Override
    public String path() {
        return rules.path();
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
    public boolean newApi() {
        return true;
    }

    /** @return the rules it validates with */
    public ModelRules rules() {
        return rules;
    }

    /**
     * @throws io.klingrelay.klingemulator.wire.KlingApiException 1200 / 1201 as {@link NewApiRequest} says
     */
    @Override
    public TaskSpec validate(JsonNode body) {
        NewApiRequest request = NewApiRequest.parse(rules, body);
        boolean nativeAudio = "native".equals(request.audio());
        return new TaskSpec(rules.model(), MODES.get(request.resolution()), request.prompt(), request.aspectRatio(),
                String.valueOf(request.seconds()), 1, 1, request.callbackUrl(), request.externalTaskId())
                .withWatermark(request.watermark())
                .withUnits(units.units(rules.model(), request.videoInput() ? "video-input" : rules.unitKind(),
                        request.resolution(), nativeAudio, request.seconds()).orElse(null));
    }

    @Override
    public String toString() {
        return "NewApiProduct[" + path() + "]";
    }
}
