package io.klingrelay.klingemulator.product;

import io.klingrelay.klingemulator.spec.Product;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** All products the emulator serves, by base path. */
@Component
public class ProductRegistry {

    private final Map<String, Product> byPath;

    public ProductRegistry(List<Product> products) {
        this.byPath = products.stream().collect(Collectors.toUnmodifiableMap(Product::path, Function.identity()));
    }

    public Optional<Product> byPath(String path) {
        return Optional.ofNullable(byPath.get(path));
    }
}
