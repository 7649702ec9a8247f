package io.klingrelay.klingemulator.product;

import tools.jackson.databind.JsonNode;

/** Lists of image objects such as {@code image_list[{image}]} or {@code subject_image_list[{subject_image}]}. */
final class ImageLists {

    private ImageLists() {
    }

    /** Requires {@code min}…{@code max} entries, each an object whose {@code key} passes the §4.3 image rules. */
    static void check(RequestFields fields, String field, String key, int min, int max) {
        JsonNode list = fields.node(field);
        if (!list.isArray() || list.size() < min || list.size() > max) {
            throw RequestFields.invalid(field + ": size must be between " + min + " and " + max);
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode image = list.get(i).path(key);
            if (!image.isString() || image.stringValue().isEmpty()) {
                throw RequestFields.invalid(field + "[" + i + "]." + key + ": must not be blank");
            }
            ImageInputChecker.check(field + "[" + i + "]." + key, image.stringValue(), true);
        }
    }
}
