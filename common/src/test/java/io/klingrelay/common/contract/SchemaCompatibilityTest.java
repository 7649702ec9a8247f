package io.klingrelay.common.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.common.json.EventJson;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SchemaCompatibilityTest {

    private static final String RELEASED = """
            {"type":"object",
             "properties":{
               "eventId":{"type":"string"},
               "stage":{"type":"string","enum":["validation","generation"]},
               "failedAt":{"type":"string","format":"date-time"},
               "assets":{"type":"array","items":{"type":"object",
                  "properties":{"bucket":{"type":"string"},"size":{"type":"integer"}},"required":["bucket"]}}},
             "required":["eventId","failedAt"]}""";

    @Test
    void anUnchangedSchemaIsCompatible() {
        assertThat(SchemaCompatibility.incompatibilities(json(RELEASED), json(RELEASED))).isEmpty();
    }

    @Test
    void addingAnOptionalPropertyOrAnEnumValueOrADescriptionIsCompatible() {
        String current = RELEASED.replace("\"eventId\":{\"type\":\"string\"}",
                "\"eventId\":{\"type\":\"string\",\"description\":\"unique\"},\"klingCode\":{\"type\":\"integer\"}")
                .replace("\"generation\"]", "\"generation\",\"archive\"]");

        assertThat(SchemaCompatibility.incompatibilities(json(RELEASED), json(current))).isEmpty();
    }

    @Test
    void removingOrRenamingAPropertyIsIncompatible() {
        String current = RELEASED.replace("\"eventId\":", "\"id\":");

        assertThat(SchemaCompatibility.incompatibilities(json(RELEASED), json(current)))
                .contains("/properties/eventId: removed");
    }

    @Test
    void changingATypeOrFormatIsIncompatible() {
        String current = RELEASED.replace("\"size\":{\"type\":\"integer\"}", "\"size\":{\"type\":\"string\"}")
                .replace("\"format\":\"date-time\"", "\"format\":\"date\"");

        assertThat(SchemaCompatibility.incompatibilities(json(RELEASED), json(current))).containsExactlyInAnyOrder(
                "/properties/assets/items/properties/size: type changed from \"integer\" to \"string\"",
                "/properties/failedAt: format changed from \"date-time\" to \"date\"");
    }

    @Test
    void makingAFieldRequiredOrNoLongerRequiredIsIncompatible() {
        String current = RELEASED.replace("\"required\":[\"eventId\",\"failedAt\"]", "\"required\":[\"eventId\",\"stage\"]");

        assertThat(SchemaCompatibility.incompatibilities(json(RELEASED), json(current))).containsExactlyInAnyOrder(
                "/properties/stage: made required", "/properties/failedAt: no longer required");
    }

    @Test
    void removingAnEnumValueIsIncompatible() {
        String current = RELEASED.replace("[\"validation\",\"generation\"]", "[\"validation\"]");

        assertThat(SchemaCompatibility.incompatibilities(json(RELEASED), json(current)))
                .containsExactly("/properties/stage: enum value(s) removed: [generation]");
    }

    @Test
    void forbiddingAdditionalPropertiesIsIncompatible() {
        String current = RELEASED.replaceFirst("\\{\"type\":\"object\",", "{\"type\":\"object\",\"additionalProperties\":false,");

        assertThat(SchemaCompatibility.incompatibilities(json(RELEASED), json(current)))
                .containsExactly("/: additional properties forbidden");
    }

    private static JsonNode json(String text) {
        return EventJson.mapper().readTree(text);
    }
}
