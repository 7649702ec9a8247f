package io.klingrelay.klingemulator.product;

import io.klingrelay.klingemulator.wire.KlingApiException;
import io.klingrelay.klingemulator.wire.KlingCode;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads create-body fields with Java bean-validation style messages (kling-api.md §12.3), e.g.
 * {@code mode: allowed values: std, pro}. A field that is absent or JSON {@code null} counts as absent.
 */
final class RequestFields {

    static final int MAX_PROMPT = 2500;

    private final JsonNode body;

    RequestFields(JsonNode body) {
        if (!body.isObject()) {
            throw new KlingApiException(KlingCode.INVALID_REQUEST, "request body must be a JSON object");
        }
        this.body = body;
    }

    boolean present(String field) {
        JsonNode node = body.get(field);
        return node != null && !node.isNull();
    }

    @Nullable String optionalString(String field) {
        if (!present(field)) {
            return null;
        }
        JsonNode node = body.get(field);
        if (!node.isString()) {
            throw invalid(field + ": must be a string");
        }
        return node.stringValue();
    }

    String requiredString(String field) {
        String value = optionalString(field);
        if (value == null || value.isBlank()) {
            throw invalid(field + ": must not be blank");
        }
        return value;
    }

    @Nullable String text(String field, int maxLength) {
        String value = optionalString(field);
        if (value != null && value.length() > maxLength) {
            throw invalid(field + ": size must be between 0 and " + maxLength);
        }
        return value;
    }

    String oneOf(String field, List<String> allowed, String defaultValue) {
        if (!present(field)) {
            return defaultValue;
        }
        JsonNode node = body.get(field);
        if (!node.isString() || !allowed.contains(node.stringValue())) {
            throw invalid(field + ": allowed values: " + String.join(", ", allowed));
        }
        return node.stringValue();
    }

    double number(String field, double min, double max, double defaultValue) {
        if (!present(field)) {
            return defaultValue;
        }
        JsonNode node = body.get(field);
        if (!node.isNumber() || node.doubleValue() < min || node.doubleValue() > max) {
            throw invalid(field + ": must be between " + format(min) + " and " + format(max));
        }
        return node.doubleValue();
    }

    int integer(String field, int min, int max, int defaultValue) {
        if (!present(field)) {
            return defaultValue;
        }
        JsonNode node = body.get(field);
        if (!node.isIntegralNumber() || node.asLong() < min || node.asLong() > max) {
            throw invalid(field + ": must be between " + min + " and " + max);
        }
        return node.intValue();
    }

    JsonNode node(String field) {
        return body.path(field);
    }

    static KlingApiException invalid(String message) {
        return KlingApiException.invalidParameter(message);
    }

    private static String format(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
