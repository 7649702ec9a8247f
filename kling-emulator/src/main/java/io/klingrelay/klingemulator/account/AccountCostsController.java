package io.klingrelay.klingemulator.account;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.klingrelay.klingemulator.auth.AuthInterceptor;
import io.klingrelay.klingemulator.wire.Envelope;
import io.klingrelay.klingemulator.wire.KlingApiException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /account/costs?start_time=&end_time=[&resource_pack_name=]} (no {@code /v1} prefix; kling-api.md §9):
 * both times (epoch ms) required; {@code data} is double-wrapped {@code {code, msg, resource_pack_subscribe_infos}}.
 */
@RestController
public class AccountCostsController {

    private final ResourcePacks packs;

    public AccountCostsController(ResourcePacks packs) {
        this.packs = packs;
    }

    @GetMapping("/account/costs")
    Envelope costs(@RequestAttribute(AuthInterceptor.ACCOUNT_ATTRIBUTE) String accountId,
            @RequestParam(name = "start_time", required = false) @Nullable String startTime,
            @RequestParam(name = "end_time", required = false) @Nullable String endTime,
            @RequestParam(name = "resource_pack_name", required = false) @Nullable String packName) {
        requireMillis("start_time", startTime);
        requireMillis("end_time", endTime);
        List<PackInfo> infos = packs.infos(accountId).stream()
                .filter(info -> packName == null || packName.isEmpty() || info.resourcePackName().equals(packName))
                .toList();
        return Envelope.success(new Costs(0, "success", infos));
    }

    private static void requireMillis(String name, @Nullable String value) {
        if (value == null || value.isBlank()) {
            throw KlingApiException.invalidParameter(name + ": must not be null");
        }
        try {
            Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw KlingApiException.invalidParameter(name + ": must be a timestamp in milliseconds");
        }
    }

    /** The inner object of the double-wrapped reply. */
    record Costs(int code, String msg,
            @JsonProperty("resource_pack_subscribe_infos") List<PackInfo> resourcePackSubscribeInfos) {
    }
}
