package io.klingrelay.klingemulator.fault;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The faults injected for one account (or globally): body of {@code PUT /admin/faults} and
 * {@code PUT /admin/accounts/{id}/faults}. Absent parts inject nothing.
 *
 * @param create what a create ({@code POST /v1/...}) answers instead of a normal reply
 * @param accountCode a Kling account code answered to every create: 1100 (account exception), 1101 (arrears),
 *     1102 (balance), 1103 (no permission) or 1304 (IP whitelist); null = none
 * @param tasks how tasks end
 * @param callbacks what happens to callback deliveries
 * @param assets what asset downloads answer
 */
public record FaultPlan(
        @Nullable CreateFault create,
        @Nullable Integer accountCode,
        @Nullable TaskFault tasks,
        @Nullable CallbackFault callbacks,
        @Nullable AssetFault assets) {

    static final List<Integer> ACCOUNT_CODES = List.of(1100, 1101, 1102, 1103, 1304);
    static final List<Integer> CREATE_CODES = List.of(1302, 1303, 5000, 5001, 5002);

    public FaultPlan {
        if (accountCode != null && !ACCOUNT_CODES.contains(accountCode)) {
            throw new IllegalArgumentException("accountCode: allowed values: " + ACCOUNT_CODES);
        }
    }

    public static FaultPlan none() {
        return new FaultPlan(null, null, null, null, null);
    }

    /**
     * A failing, or only slow, create.
     *
     * @param rate probability in [0,1] that a create is hit; default 1
     * @param code 1302, 1303, 5000, 5001 or 5002; null = no error, a slow create: the task is
     *     created at once and the normal reply is held for {@code delay} (then {@code delay} is required)
     * @param taskCreated default false; true = the task IS created (and runs) but the reply is the error: "created but the
     *     answer was lost" (use with 5000/5002); always true for a slow create
     * @param delay how long the reply is held first; longer than the client's timeout = a timed-out create
     */
    public record CreateFault(@Nullable Double rate, @Nullable Integer code, @Nullable Boolean taskCreated,
            @Nullable Duration delay) {

        public CreateFault {
            rate = rate == null ? 1.0 : rate;
            requireRate("create.rate", rate);
            if (code == null) {
                if (delay == null || delay.isNegative() || delay.isZero()) {
                    throw new IllegalArgumentException("create: a slow create (no code) needs a positive delay");
                }
                taskCreated = true;
            } else if (!CREATE_CODES.contains(code)) {
                throw new IllegalArgumentException("create.code: allowed values: " + CREATE_CODES
                        + ", or none for a slow create");
            } else {
                taskCreated = taskCreated != null && taskCreated;
            }
        }

        /** @return whether this is a slow but successful create (no code) */
        public boolean slowOnly() {
            return code == null;
        }
    }

    /**
     * @param failureRate probability in [0,1] that a task ends {@code failed}; default 1
     * @param message its {@code task_status_msg}; null = the configured failure message (content policy)
     */
    public record TaskFault(@Nullable Double failureRate, @Nullable String message) {

        public TaskFault {
            failureRate = failureRate == null ? 1.0 : failureRate;
            requireRate("tasks.failureRate", failureRate);
        }
    }

    /**
     * @param dropRate probability that a delivery is never sent (counted as dropped, not failed)
     * @param duplicateRate probability that a delivery is sent twice
     * @param delay extra wait before each delivery
     * @param reorder true = deliveries of one task are sent independently, each after a random part of
     *     {@code delay}, so they may arrive out of order
     */
    public record CallbackFault(@Nullable Double dropRate, @Nullable Double duplicateRate, @Nullable Duration delay,
            @Nullable Boolean reorder) {

        public CallbackFault {
            dropRate = dropRate == null ? 0.0 : dropRate;
            duplicateRate = duplicateRate == null ? 0.0 : duplicateRate;
            reorder = reorder != null && reorder;
            requireRate("callbacks.dropRate", dropRate);
            requireRate("callbacks.duplicateRate", duplicateRate);
        }
    }

    /**
     * @param rate probability in [0,1] that a download answers {@code status}
     * @param status HTTP status answered when hit (403, 404, 500, 502, 503 …); default 500
     * @param expireAfter URLs stop working (403) this long after the task's {@code updated_at}, long before
     *     their {@code Expires}; null = normal expiry
     * @param bytesPerSecond download throttle; 0 = full speed
     */
    public record AssetFault(@Nullable Double rate, @Nullable Integer status, @Nullable Duration expireAfter,
            @Nullable Long bytesPerSecond) {

        public AssetFault {
            rate = rate == null ? 0.0 : rate;
            status = status == null ? 500 : status;
            bytesPerSecond = bytesPerSecond == null ? 0L : bytesPerSecond;
            requireRate("assets.rate", rate);
            if (rate > 0 && (status < 400 || status > 599)) {
                throw new IllegalArgumentException("assets.status: must be between 400 and 599");
            }
        }
    }

    private static void requireRate(String name, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException(name + ": must be between 0 and 1");
        }
    }
}
