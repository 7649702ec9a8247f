package io.klingrelay.klingemulator.account;

import io.klingrelay.klingemulator.config.EmulatorProperties;
import io.klingrelay.klingemulator.config.EmulatorProperties.Pack;
import io.klingrelay.klingemulator.wire.KlingApiException;
import io.klingrelay.klingemulator.wire.KlingCode;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Prepaid resource packs per account. A create draws its expected {@code final_unit_deduction} from the
 * first {@code online} pack of its type with enough units; none → 429 / 1102 {@code Account balance not
 * enough}. A task that ends {@code failed} gets its units back (Kling does not charge failures [I]). An
 * account without configured packs has unlimited units.
 */
@Component
public class ResourcePacks {

    private static final AtomicInteger PACK_IDS = new AtomicInteger(1000);

    private final Clock clock;
    private final Map<String, List<PackState>> packs = new ConcurrentHashMap<>();

    public ResourcePacks(EmulatorProperties properties, Clock clock) {
        this.clock = clock;
        properties.accounts().forEach(account -> replace(account.id(), account.packs()));
    }

    /** Replaces an account's packs (admin API); an empty list means unlimited units. */
    public void replace(String accountId, List<Pack> configured) {
        long now = clock.millis();
        packs.put(accountId, configured.stream().map(pack -> new PackState(pack, "emu-" + PACK_IDS.incrementAndGet(),
                now, now + pack.validity().toMillis())).toList());
    }

    /**
     * Takes {@code units} from the account's packs of {@code type}.
     *
     * @throws KlingApiException 1102 when no online pack of that type has enough units left
     */
    public void consume(String accountId, String type, double units) {
        List<PackState> account = packs.getOrDefault(accountId, List.of());
        if (account.isEmpty()) {
            return;
        }
        long now = clock.millis();
        for (PackState pack : account) {
            if (pack.type().equals(type) && pack.online(now) && pack.tryTake(units)) {
                return;
            }
        }
        throw new KlingApiException(KlingCode.ACCOUNT_NO_BALANCE, "Account balance not enough");
    }

    /** @return the highest concurrency among the account's online packs of {@code type}, if any has one */
    public OptionalInt concurrency(String accountId, String type) {
        long now = clock.millis();
        return packs.getOrDefault(accountId, List.of()).stream()
                .filter(pack -> pack.type().equals(type) && pack.online(now) && pack.concurrency() != null)
                .mapToInt(PackState::concurrency).max();
    }

    /** Gives units back to the first pack of the type that has room (a failed task). */
    public void refund(String accountId, String type, double units) {
        for (PackState pack : packs.getOrDefault(accountId, List.of())) {
            if (pack.type().equals(type) && pack.giveBack(units)) {
                return;
            }
        }
    }

    /** @return the {@code resource_pack_subscribe_infos} entries of the account */
    public List<PackInfo> infos(String accountId) {
        long now = clock.millis();
        List<PackState> account = packs.getOrDefault(accountId, List.of());
        if (account.isEmpty()) {
            return List.of(unlimited("video", now), unlimited("image", now));
        }
        return account.stream().map(pack -> pack.info(now)).toList();
    }

    private static PackInfo unlimited(String type, long now) {
        return new PackInfo("Emulator-" + type + "-unlimited", "emu-unlimited-" + type, "decreasing_total",
                1_000_000_000, 1_000_000_000, now, now, now + 365L * 24 * 3600 * 1000, "online");
    }

}
