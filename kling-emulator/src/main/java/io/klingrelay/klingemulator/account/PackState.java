package io.klingrelay.klingemulator.account;

import io.klingrelay.klingemulator.config.EmulatorProperties.Pack;
import org.jspecify.annotations.Nullable;

/** One pack's live balance; units are kept in hundredths so {@code "0.04"}-style charges add up exactly. */
final class PackState {

    private final Pack pack;
    private final String id;
    private final long effectiveAt;
    private final long invalidAt;
    private long remainingCents;

    PackState(Pack pack, String id, long effectiveAt, long invalidAt) {
        this.pack = pack;
        this.id = id;
        this.effectiveAt = effectiveAt;
        this.invalidAt = invalidAt;
        this.remainingCents = cents(pack.units());
    }

    String type() {
        return pack.type();
    }

    @Nullable Integer concurrency() {
        return pack.concurrency();
    }

    boolean online(long now) {
        return now >= effectiveAt && now < invalidAt;
    }

    synchronized boolean tryTake(double units) {
        long wanted = cents(units);
        if (remainingCents < wanted || remainingCents == 0) {
            return false;
        }
        remainingCents -= wanted;
        return true;
    }

    synchronized boolean giveBack(double units) {
        long total = cents(pack.units());
        if (remainingCents >= total) {
            return false;
        }
        remainingCents = Math.min(total, remainingCents + cents(units));
        return true;
    }

    synchronized PackInfo info(long now) {
        return new PackInfo(pack.name(), id, "decreasing_total", pack.units(), remainingCents / 100.0, effectiveAt,
                effectiveAt, invalidAt, status(now));
    }

    private String status(long now) {
        if (now < effectiveAt) {
            return "toBeOnline";
        }
        if (now >= invalidAt) {
            return "expired";
        }
        return remainingCents == 0 ? "runOut" : "online";
    }

    private static long cents(double units) {
        return Math.round(units * 100);
    }
}
