package io.klingrelay.deploy.chaos;

import io.klingrelay.common.event.GenerationRequest;
import io.klingrelay.common.event.Priority;
import io.klingrelay.common.event.Product;
import io.klingrelay.common.json.EventJson;
import io.klingrelay.deploy.stack.KlingAccount;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Generates a chaos campaign from a seed: valid requests (image generation with {@code n} 1–2,
 * text-to-video, image-to-video from a URL) spread over the accounts in proportion to their limits, and hostile
 * records (oversized prompts, wrong types, deep JSON, huge Base64 images, ids of 700 KB, records
 * that are not JSON, empty values) shuffled in among them. Every hostile record stays under the
 * broker's default 1 MB record limit, so each one reaches the submitter, which must answer it with
 * exactly one {@code requests.failed} event.
 */
public final class ChaosCampaign {

    /** Size of the request id of an {@code id-700kb} record, in characters. */
    static final int HUGE_ID_CHARS = 700 * 1024;
    private static final int HUGE_IMAGE_BYTES = 600 * 1024;
    private static final int DEEP_NESTING = 5_000;
    /** Every kind of hostile record, in the order they are generated. */
    static final List<String> HOSTILE_KINDS = List.of("oversized-prompt", "wrong-types", "deep-json",
            "huge-base64-image", "huge-data-uri-image", "id-700kb", "not-json", "empty-value", "unknown-account",
            "unsafe-id", "image-n-over-limit");

    private ChaosCampaign() {
    }

    /**
     * @param runId    this run's id, part of every request id ({@code chaos-<run>-<n>})
     * @param accounts the accounts (limits matter: images take {@code n} ≤ 2 permits)
     * @param valid    how many valid requests
     * @param hostile  how many hostile records
     * @param seed     the random seed
     * @return the records in publication order (hostile ones shuffled in)
     */
    public static List<ChaosRecord> generate(String runId, List<KlingAccount> accounts, int valid, int hostile,
            long seed) {
        return generate(runId, accounts, valid, hostile, seed, Set.of());
    }

    /**
     * @param runId    this run's id
     * @param accounts the accounts
     * @param valid    how many valid requests
     * @param hostile  how many hostile records
     * @param seed     the random seed
     * @param skipped  hostile kinds to leave out (the others take their share)
     * @return the records in publication order (hostile ones shuffled in)
     */
    public static List<ChaosRecord> generate(String runId, List<KlingAccount> accounts, int valid, int hostile,
            long seed, Set<String> skipped) {
        List<String> kinds = HOSTILE_KINDS.stream().filter(kind -> !skipped.contains(kind)).toList();
        Random random = new Random(seed);
        List<ChaosRecord> records = new ArrayList<>(valid + hostile);
        // weighted round robin: an account with limit k gets k of every (sum of limits) requests, so all finish together
        List<KlingAccount> slots = new ArrayList<>();
        accounts.forEach(account -> {
            for (int k = 0; k < account.concurrency(); k++) {
                slots.add(account);
            }
        });
        for (int i = 0; i < valid; i++) {
            records.add(validRequest(runId, slots.get(i % slots.size()), i, random));
        }
        for (int i = 0; i < hostile; i++) {
            records.add(hostileRecord(runId, accounts.get(i % accounts.size()), i, kinds.get(i % kinds.size()), random));
        }
        Collections.shuffle(records, random);
        return records;
    }

    private static ChaosRecord validRequest(String runId, KlingAccount account, int index, Random random) {
        String requestId = "chaos-" + runId + "-" + index;
        int roll = random.nextInt(10);
        Map<String, Object> input = new LinkedHashMap<>();
        Product product;
        if (roll < 5) {
            product = Product.IMAGE_GENERATION;
            input.put("model_name", "kling-v1");
            input.put("prompt", "Chaos key visual " + index);
            input.put("n", 1 + random.nextInt(2));
            input.put("aspect_ratio", "1:1");
        } else if (roll < 8) {
            product = Product.TEXT_TO_VIDEO;
            input.put("model_name", "kling-v1-6");
            input.put("prompt", "A paper boat in a storm, take " + index);
            input.put("duration", "5");
            input.put("aspect_ratio", "16:9");
        } else {
            product = Product.IMAGE_TO_VIDEO;
            input.put("model_name", "kling-v1-6");
            input.put("image", "https://example.com/chaos/" + index + ".png");
            input.put("prompt", "The picture comes alive, take " + index);
            input.put("duration", "5");
        }
        GenerationRequest request = new GenerationRequest(1, null, requestId, account.id(), "chaos-" + runId,
                random.nextInt(10) == 0 ? Priority.INTERACTIVE : Priority.CAMPAIGN, product, input, Instant.now());
        return new ChaosRecord(account.id(), json(request), requestId, account.id(), ChaosRecord.VALID);
    }

    private static ChaosRecord hostileRecord(String runId, KlingAccount account, int index, String kind,
            Random random) {
        String id = "hostile-" + runId + "-" + index;
        String key = account.id();
        return switch (kind) {
            case "oversized-prompt" -> hostile(key, request(id, account.id(), Product.TEXT_TO_VIDEO, Map.of(
                    "model_name", "kling-v1-6", "prompt", "x".repeat(200_000), "duration", "5")), id, kind);
            case "wrong-types" -> hostile(key, wrongTypes(id, account.id(), random), id, kind);
            case "deep-json" -> hostile(key, deepJson(id, account.id()), id, kind);
            case "huge-base64-image" -> hostile(key, request(id, account.id(), Product.IMAGE_TO_VIDEO, Map.of(
                    "model_name", "kling-v1-6", "image", randomBase64(random, HUGE_IMAGE_BYTES), "duration", "5")),
                    id, kind);
            case "huge-data-uri-image" -> hostile(key, request(id, account.id(), Product.IMAGE_GENERATION, Map.of(
                    "model_name", "kling-v1", "prompt", "p", "image",
                    "data:image/png;base64," + randomBase64(random, HUGE_IMAGE_BYTES))), id, kind);
            case "id-700kb" -> {
                String hugeId = id + "-" + "a".repeat(HUGE_ID_CHARS);
                yield hostile(key, request(hugeId, account.id(), Product.TEXT_TO_VIDEO, Map.of(
                        "model_name", "kling-v1-6", "prompt", "p", "duration", "5")), hugeId, kind);
            }
            case "not-json" -> {
                byte[] garbage = new byte[1 + random.nextInt(4096)];
                random.nextBytes(garbage);
                garbage[0] = (byte) 0xff;
                yield new ChaosRecord(random.nextBoolean() ? key : null, garbage, null, null, kind);
            }
            case "empty-value" -> new ChaosRecord(key, new byte[0], null, null, kind);
            case "unknown-account" -> hostile("nobody-" + index, request(id, "nobody-" + index, Product.TEXT_TO_VIDEO,
                    Map.of("model_name", "kling-v1-6", "prompt", "p", "duration", "5")), id, kind);
            case "unsafe-id" -> {
                String unsafeId = id + "/../{x}\u0000é";
                yield hostile(key, request(unsafeId, account.id(), Product.TEXT_TO_VIDEO, Map.of(
                        "model_name", "kling-v1-6", "prompt", "p", "duration", "5")), unsafeId, kind);
            }
            default -> hostile(key, request(id, account.id(), Product.IMAGE_GENERATION, Map.of(
                    "model_name", "kling-v1", "prompt", "p", "n", 9)), id, kind);
        };
    }

    private static ChaosRecord hostile(String key, byte[] value, String requestId, String kind) {
        return new ChaosRecord(key, value, requestId, null, kind);
    }

    private static byte[] request(String requestId, String accountId, Product product, Map<String, Object> input) {
        return json(new GenerationRequest(1, null, requestId, accountId, "hostile", Priority.CAMPAIGN, product,
                new LinkedHashMap<>(input), Instant.now()));
    }

    /** A request whose fields have the wrong JSON types (an object id, a numeric product, an array input, …). */
    private static byte[] wrongTypes(String requestId, String accountId, Random random) {
        String[] variants = {
            "{\"schemaVersion\":\"one\",\"requestId\":{\"id\":\"%s\"},\"accountId\":\"%s\",\"product\":7,\"input\":[1,2]}",
            "{\"schemaVersion\":1,\"requestId\":\"%s\",\"accountId\":[\"%s\"],\"product\":\"text-to-video\",\"input\":\"prompt\"}",
            "{\"schemaVersion\":1,\"requestId\":\"%s\",\"accountId\":\"%s\",\"product\":\"text-to-video\","
                + "\"input\":{\"model_name\":42,\"prompt\":[\"a\"],\"duration\":{\"s\":5}}}",
            "[\"%s\",\"%s\"]",
            "\"%s %s\"",
        };
        return variants[random.nextInt(variants.length)].formatted(requestId, accountId).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] deepJson(String requestId, String accountId) {
        StringBuilder json = new StringBuilder("{\"schemaVersion\":1,\"requestId\":\"").append(requestId)
                .append("\",\"accountId\":\"").append(accountId)
                .append("\",\"product\":\"text-to-video\",\"input\":{\"model_name\":\"kling-v1-6\",\"prompt\":\"p\",\"x\":");
        json.append("{\"a\":".repeat(DEEP_NESTING)).append("1").append("}".repeat(DEEP_NESTING)).append("}}");
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String randomBase64(Random random, int bytes) {
        byte[] data = new byte[bytes];
        random.nextBytes(data);
        return Base64.getEncoder().encodeToString(data);
    }

    private static byte[] json(GenerationRequest request) {
        return EventJson.mapper().writeValueAsString(request).getBytes(StandardCharsets.UTF_8);
    }
}
