package io.klingrelay.klingemulator.fault;

import io.klingrelay.klingemulator.fault.FaultPlan.AssetFault;
import io.klingrelay.klingemulator.fault.FaultPlan.CallbackFault;
import io.klingrelay.klingemulator.fault.FaultPlan.CreateFault;
import io.klingrelay.klingemulator.fault.FaultPlan.TaskFault;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Holds the fault plans (one global, one per account; an account plan replaces the global one for that
 * account) and rolls the dice for each request, task, delivery and download.
 */
@Component
public class FaultInjector {

    private volatile FaultPlan global = FaultPlan.none();
    private final Map<String, FaultPlan> perAccount = new ConcurrentHashMap<>();

    public void setGlobal(FaultPlan plan) {
        global = plan;
    }

    public void setAccount(String accountId, FaultPlan plan) {
        perAccount.put(accountId, plan);
    }

    /** Removes every plan. */
    public void clear() {
        global = FaultPlan.none();
        perAccount.clear();
    }

    public void clearAccount(String accountId) {
        perAccount.remove(accountId);
    }

    /** @return the plan in force for {@code accountId} */
    public FaultPlan planFor(@Nullable String accountId) {
        FaultPlan plan = accountId == null ? null : perAccount.get(accountId);
        return plan == null ? global : plan;
    }

    /** @return {@code {"global": plan, "accounts": {id: plan}}} */
    public Map<String, Object> view() {
        return Map.of("global", global, "accounts", new TreeMap<>(perAccount));
    }

    /** @return the create fault when this create is hit */
    public Optional<CreateFault> rollCreate(String accountId) {
        CreateFault fault = planFor(accountId).create();
        return fault != null && hit(fault.rate()) ? Optional.of(fault) : Optional.empty();
    }

    /** @return the account code every create of this account answers, if any */
    public Optional<Integer> accountCode(String accountId) {
        return Optional.ofNullable(planFor(accountId).accountCode());
    }

    /** @return the failure message when a new task of this account is chosen to fail */
    public Optional<String> rollTaskFailure(String accountId, String defaultMessage) {
        TaskFault fault = planFor(accountId).tasks();
        if (fault == null || !hit(fault.failureRate())) {
            return Optional.empty();
        }
        return Optional.of(fault.message() == null ? defaultMessage : fault.message());
    }

    public @Nullable CallbackFault callbacks(String accountId) {
        return planFor(accountId).callbacks();
    }

    public @Nullable AssetFault assets(String accountId) {
        return planFor(accountId).assets();
    }

    /** @return true with probability {@code rate} */
    public static boolean hit(double rate) {
        return rate > 0 && (rate >= 1 || ThreadLocalRandom.current().nextDouble() < rate);
    }
}
