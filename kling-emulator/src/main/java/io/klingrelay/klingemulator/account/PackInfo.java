package io.klingrelay.klingemulator.account;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One entry of {@code resource_pack_subscribe_infos} (kling-api.md §9); times in epoch ms.
 *
 * @param status {@code toBeOnline|online|expired|runOut}
 */
public record PackInfo(
        @JsonProperty("resource_pack_name") String resourcePackName,
        @JsonProperty("resource_pack_id") String resourcePackId,
        @JsonProperty("resource_pack_type") String resourcePackType,
        @JsonProperty("total_quantity") double totalQuantity,
        @JsonProperty("remaining_quantity") double remainingQuantity,
        @JsonProperty("purchase_time") long purchaseTime,
        @JsonProperty("effective_time") long effectiveTime,
        @JsonProperty("invalid_time") long invalidTime,
        @JsonProperty("status") String status) {
}
