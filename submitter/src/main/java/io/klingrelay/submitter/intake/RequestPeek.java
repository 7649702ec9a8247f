package io.klingrelay.submitter.intake;

import io.klingrelay.common.event.GenerationRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who a record is about: the request, account and campaign ids it names, each as sent (unbounded,
 * unchecked) or null. For a record that is too large to parse or does not map onto a
 * {@link GenerationRequest}, {@link #of(JsonMapper, byte[])} still finds the ids by streaming over
 * the top-level object, skipping every other value without building it, so that its failure event
 * carries the caller's request id whenever the record names one.
 *
 * @param requestId  the {@code requestId} string, or null
 * @param accountId  the {@code accountId} string, or null
 * @param campaignId the {@code campaignId} string, or null
 */
record RequestPeek(@Nullable String requestId, @Nullable String accountId, @Nullable String campaignId) {

    private static final Set<String> NAMES = Set.of("requestId", "accountId", "campaignId");
    private static final RequestPeek NOBODY = new RequestPeek(null, null, null);

    /** @param request a parsed request @return its ids */
    static RequestPeek of(GenerationRequest request) {
        return new RequestPeek(request.requestId(), request.accountId(), request.campaignId());
    }

    /**
     * @param jsonMapper the mapper (its stream constraints apply: a value nested too deeply ends the peek)
     * @param value      the record value
     * @return the top-level string ids found before the end of the object or the first syntax error
     */
    static RequestPeek of(JsonMapper jsonMapper, byte @Nullable [] value) {
        if (value == null || value.length == 0) {
            return NOBODY;
        }
        Map<String, String> found = new HashMap<>();
        try (JsonParser parser = jsonMapper.createParser(value)) {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                collect(parser, found);
            }
        } catch (JacksonException e) {
            // not JSON from here on: keep what was found before
        }
        return new RequestPeek(found.get("requestId"), found.get("accountId"), found.get("campaignId"));
    }

    private static void collect(JsonParser parser, Map<String, String> found) {
        while (found.size() < NAMES.size() && parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            if (token == JsonToken.VALUE_STRING && NAMES.contains(name)) {
                found.putIfAbsent(name, parser.getString());
            } else {
                parser.skipChildren();
            }
        }
    }
}
