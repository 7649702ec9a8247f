package io.klingrelay.poller.polling;

import io.klingrelay.common.event.AssetKind;
import io.klingrelay.common.event.Product;
import io.klingrelay.coordination.task.TaskShape;
import io.klingrelay.poller.config.ScheduleProperties;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Generation times learned from terminal tasks this poller observed (Kling's
 * {@code updated_at − created_at}), per {@link TaskShape#key() shape} and per product: the last
 * {@code samples} of each (older ones drop out, so the figure follows Kling's current speed), read as
 * the configured quantile. In-process: each poller instance learns on its own. Thread-safe.
 */
public final class ExpectedDurations {

    private final ScheduleProperties properties;
    private final Map<String, Deque<Long>> byKey = new ConcurrentHashMap<>();

    /** @param properties defaults, quantile and window sizes */
    public ExpectedDurations(ScheduleProperties properties) {
        this.properties = properties;
    }

    /**
     * Records one terminal task's generation time.
     *
     * @param shape    the task's shape
     * @param duration Kling's {@code updated_at − created_at}; ignored when negative
     */
    public void learn(TaskShape shape, Duration duration) {
        if (duration.isNegative()) {
            return;
        }
        add(shape.key(), duration.toMillis());
        add(productKey(shape.product()), duration.toMillis());
    }

    /**
     * @param shape the task's shape
     * @return the expected generation time: the shape's quantile once it has {@code min-samples}, else the
     *         product's, else the documented default of its asset kind
     */
    public Duration expected(TaskShape shape) {
        return quantile(shape.key())
                .or(() -> quantile(productKey(shape.product())))
                .map(Duration::ofMillis)
                .orElseGet(() -> shape.product().assetKind() == AssetKind.IMAGE ? properties.defaultImage()
                        : properties.defaultVideo());
    }

    private void add(String key, long millis) {
        Deque<Long> window = byKey.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (window) {
            window.addLast(millis);
            while (window.size() > properties.samples()) {
                window.removeFirst();
            }
        }
    }

    private Optional<Long> quantile(String key) {
        Deque<Long> window = byKey.get(key);
        if (window == null) {
            return Optional.empty();
        }
        long[] sorted;
        synchronized (window) {
            if (window.size() < properties.minSamples()) {
                return Optional.empty();
            }
            sorted = window.stream().mapToLong(Long::longValue).toArray();
        }
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(properties.quantile() * sorted.length);
        return Optional.of(sorted[Math.max(0, Math.min(sorted.length, rank) - 1)]);
    }

    private static String productKey(Product product) {
        return product.wireName();
    }
}
