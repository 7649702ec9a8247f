package io.klingrelay.klingclient.api;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** Field readers of a 2026 task object (kling-api.md §15), for {@link KlingTask#fromNewApi}. */
final class NewApiTask {

    private static final List<String> UNIT_AMOUNT_FIELDS = List.of("amount", "quantity", "value", "units");

    private NewApiTask() {
    }

    /** @return the first of {@code names} that is a non-null scalar, as text */
    static @Nullable String text(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode value = node.get(name);
            if (value != null && !value.isNull() && value.isValueNode()) {
                return value.asString();
            }
        }
        return null;
    }

    /** @return the first of {@code names} that is a number (or a numeric string), epoch milliseconds */
    static @Nullable Long epochMillis(JsonNode node, String... names) {
        String text = text(node, names);
        return decimal(text).map(BigDecimal::longValue).orElse(null);
    }

    /** @return {@code raw} as a decimal, empty when absent or not a plain decimal number */
    static Optional<BigDecimal> decimal(@Nullable String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BigDecimal(raw.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** @return {@code outputs[]}'s videos and images as a legacy {@code task_result}, or null when none */
    static KlingTask.@Nullable TaskResult result(@Nullable JsonNode outputs) {
        if (outputs == null || !outputs.isArray()) {
            return null;
        }
        List<KlingTask.Video> videos = new ArrayList<>();
        List<KlingTask.Image> images = new ArrayList<>();
        for (JsonNode output : outputs) {
            String type = text(output, "type");
            if ("video".equals(type)) {
                videos.add(new KlingTask.Video(text(output, "id"), text(output, "url"), text(output, "duration")));
            } else if ("image".equals(type)) {
                String index = text(output, "index");
                images.add(new KlingTask.Image(decimal(index).map(BigDecimal::intValue).orElse(null), text(output, "url")));
            }
        }
        return new KlingTask.TaskResult(videos, images);
    }

    /** @return the sum of the unit {@code billing[]} entries as a plain decimal string, or null when none */
    static @Nullable String units(@Nullable JsonNode billing) {
        if (billing == null || !billing.isArray()) {
            return null;
        }
        BigDecimal sum = null;
        for (JsonNode charge : billing) {
            if (!"unit".equals(text(charge, "charge_type"))) {
                continue;
            }
            Optional<BigDecimal> amount = decimal(text(charge, UNIT_AMOUNT_FIELDS.toArray(String[]::new)));
            if (amount.isPresent()) {
                sum = sum == null ? amount.get() : sum.add(amount.get());
            }
        }
        return sum == null ? null : sum.toPlainString();
    }
}
