package io.klingrelay.klingclient.request;

import io.klingrelay.common.event.Product;
import jakarta.validation.Valid;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.validation.annotation.Validated;

/**
 * The models each product accepts and their rules: {@code klingrelay.models.*} (kling-api.md §14,
 * §15). The documented defaults are {@value #DEFAULTS_RESOURCE} in kling-client; a service's own
 * configuration is laid over them ({@link #overDefaults()}): an entry adds a model, or replaces the
 * default entry of the same name, so a new model is a configuration change, not a release.
 *
 * @param defaultModels the model assumed when a request has no {@code model_name}, per product
 *                      wire name ({@code text-to-video: kling-v1}); a product without one requires
 *                      {@code model_name}
 * @param products      per product wire name ({@code text-to-video}, {@code omni-video}, …), its
 *                      models; a product without an entry takes no {@code model_name} (video-extend)
 */
@Validated
@ConfigurationProperties("klingrelay.models")
public record KlingModels(
        @DefaultValue Map<String, String> defaultModels,
        @Valid @DefaultValue Map<String, List<ModelRules>> products) {

    /** The classpath resource with the documented defaults. */
    public static final String DEFAULTS_RESOURCE = "klingrelay-models.yml";

    public KlingModels {
        defaultModels = defaultModels == null ? Map.of() : Map.copyOf(defaultModels);
        products = products == null ? Map.of() : Map.copyOf(products);
    }

    /**
     * @return the documented defaults of {@value #DEFAULTS_RESOURCE}, read and bound once per class
     *         loader (binding the YAML costs milliseconds; the campaign CLI validates 100,000 lines)
     * @throws UncheckedIOException when the resource cannot be read (a broken build)
     */
    public static KlingModels defaults() {
        return Defaults.MODELS;
    }

    private static KlingModels readDefaults() {
        try {
            List<PropertySource<?>> sources = new YamlPropertySourceLoader().load(DEFAULTS_RESOURCE,
                    new ClassPathResource(DEFAULTS_RESOURCE, KlingModels.class.getClassLoader()));
            return new Binder(ConfigurationPropertySources.from(sources))
                    .bind("klingrelay.models", Bindable.of(KlingModels.class))
                    .orElseGet(() -> new KlingModels(Map.of(), Map.of()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DEFAULTS_RESOURCE, e);
        }
    }

    /** Holder of the defaults, initialised on first use. */
    private static final class Defaults {
        static final KlingModels MODELS = readDefaults();
    }

    /** @return the defaults with this configuration laid over them, model by model */
    public KlingModels overDefaults() {
        return defaults().overlaidBy(this);
    }

    /**
     * @param override entries that add models or replace the ones of the same name
     * @return this catalogue with {@code override} laid over it
     */
    public KlingModels overlaidBy(KlingModels override) {
        Map<String, String> defaults = new LinkedHashMap<>(defaultModels);
        defaults.putAll(override.defaultModels());
        Map<String, List<ModelRules>> merged = new LinkedHashMap<>(products);
        override.products().forEach((product, models) -> merged.put(product, merge(merged.get(product), models)));
        return new KlingModels(defaults, merged);
    }

    private static List<ModelRules> merge(@Nullable List<ModelRules> base, List<ModelRules> override) {
        Map<String, ModelRules> byName = new LinkedHashMap<>();
        (base == null ? List.<ModelRules>of() : base).forEach(rules -> byName.put(rules.name(), rules));
        override.forEach(rules -> byName.put(rules.name(), rules));
        return new ArrayList<>(byName.values());
    }

    /**
     * @param product a product
     * @return its models, empty when it takes no {@code model_name}
     */
    public List<ModelRules> models(Product product) {
        return products.getOrDefault(product.wireName(), List.of());
    }

    /**
     * @param product a product
     * @return whether requests of this product name a model
     */
    public boolean takesModel(Product product) {
        return !models(product).isEmpty();
    }

    /**
     * @param product a product
     * @param model   a model name
     * @return its rules, if the model is known for the product
     */
    public Optional<ModelRules> find(Product product, String model) {
        return models(product).stream().filter(rules -> rules.name().equals(model)).findFirst();
    }

    /**
     * @param product a product
     * @return the model of a request without {@code model_name}, if the product has a default
     */
    public Optional<String> defaultModel(Product product) {
        return Optional.ofNullable(defaultModels.get(product.wireName()));
    }

    /**
     * @param product a product
     * @return the known model names of the product, sorted
     */
    public List<String> names(Product product) {
        return models(product).stream().map(ModelRules::name).sorted().toList();
    }
}
