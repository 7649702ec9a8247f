package io.klingrelay.klingemulator.product;

import io.klingrelay.klingemulator.config.EmulatorProperties.Phase;
import io.klingrelay.klingemulator.config.EmulatorSettings;
import io.klingrelay.klingemulator.spec.OutputKind;
import io.klingrelay.klingemulator.spec.Product;

/**
 * The common part of a product whose create body names a {@code model_name} from a catalogue:
 * its path, output kind, phase durations and model catalogue. Subclasses only validate.
 */
abstract class CataloguedProduct implements Product {

    /** The product's models; resolves {@code model_name} (or the deprecated {@code model}). */
    protected final ModelCatalogue models;
    /** The run-time settings (read per request: validation switches, unknown-model code). */
    protected final EmulatorSettings settings;

    private final String path;
    private final OutputKind output;
    private final Phase phase;

    /**
     * @param path   the base path, e.g. {@code /v1/videos/text2video}
     * @param output what its tasks produce
     * @param phase  phase durations before the global time scale
     * @param models   the models it offers
     * @param settings the run-time settings
     */
    protected CataloguedProduct(String path, OutputKind output, Phase phase, ModelCatalogue models,
            EmulatorSettings settings) {
        this.path = path;
        this.output = output;
        this.phase = phase;
        this.models = models;
        this.settings = settings;
    }

    @Override
    public final String path() {
        return path;
    }

    @Override
    public final OutputKind output() {
        return output;
    }

    @Override
    public final Phase phase() {
        return phase;
    }
}
