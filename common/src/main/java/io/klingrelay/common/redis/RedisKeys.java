package io.klingrelay.common.redis;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The Redis key layout, built from one prefix (default {@value #DEFAULT_PREFIX}; tests use a
 * random one to isolate themselves). Every per-account key carries the account id as a Redis
 * Cluster hash tag ({@code {account}}), so the Lua scripts that touch a request, its task and its
 * account's permits in one atomic step stay on one slot; every script declares each key it touches
 * in {@code KEYS}. The global {@link #accounts()} set is only written outside scripts.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>type</th><th>content</th></tr>
 *   <tr><td>{@link #accounts()}</td><td>SET</td><td>ids of every account that has state</td></tr>
 *   <tr><td>{@link #dispatchChannel()}</td><td>pub/sub</td><td>account ids whose permits were released</td></tr>
 *   <tr><td>{@link #queue}</td><td>ZSET</td><td>request id → priority rank × 10^13 + arrival (epoch ms)</td></tr>
 *   <tr><td>{@link #parked}</td><td>HASH</td><td>the account's parked requests, fields {@code <request id>/<attribute>}: {@code payload} (JSON),
 *       {@code weight}, {@code score}, {@code attempts}, {@code recovered}, {@code campaign}, {@code fence} (the dispatch
 *       fencing token), {@code last_error}</td></tr>
 *   <tr><td>{@link #permits}</td><td>ZSET</td><td>permit holder (request id) → lease expiry, epoch ms</td></tr>
 *   <tr><td>{@link #permitWeights}</td><td>HASH</td><td>permit holder → permits held (1, or {@code n} for images)</td></tr>
 *   <tr><td>{@link #limit}</td><td>HASH</td><td>{@code configured} and {@code effective} concurrency, AIMD
 *       times ({@code changed_at}, {@code decreased_at}), pauses ({@code operator_paused}, {@code paused_until},
 *       {@code pause_reason}, {@code pause_backoff}, {@code probe})</td></tr>
 *   <tr><td>{@link #delayed}</td><td>ZSET</td><td>request id → when it may return to the queue (retry backoff), epoch ms</td></tr>
 *   <tr><td>{@link #held}</td><td>ZSET</td><td>requests of paused campaigns, with their queue scores</td></tr>
 *   <tr><td>{@link #pausedCampaigns}</td><td>SET</td><td>campaign ids paused on the account</td></tr>
 *   <tr><td>{@link #dispatching}</td><td>ZSET</td><td>request id → dispatch lease expiry, epoch ms</td></tr>
 *   <tr><td>{@link #task}</td><td>HASH</td><td>the task record: {@code task_id}, product, status, terminal claim</td></tr>
 *   <tr><td>{@link #pending}</td><td>ZSET</td><td>request id → when the poller next checks it, epoch ms</td></tr>
 *   <tr><td>{@link #seen}</td><td>STRING + TTL</td><td>marks a request id as known, for skipping replayed records</td></tr>
 *   <tr><td>{@link #outcome}</td><td>HASH</td><td>the request's one outcome: {@code topic}, {@code event_type}, {@code event}
 *       (JSON, until published), {@code event_id}, {@code claimed_at}, {@code claimant}, {@code published}</td></tr>
 *   <tr><td>{@link #outbox}</td><td>ZSET</td><td>claimed outcomes not yet acknowledged by Kafka → claim time</td></tr>
 *   <tr><td>{@link #orphans}</td><td>HASH</td><td>tasks created by a fenced-off dispatch, reported to operators</td></tr>
 *   <tr><td>{@link #archiveReady()}</td><td>ZSET</td><td>archiver: completed tasks ready to archive → earliest asset URL expiry, epoch ms</td></tr>
 *   <tr><td>{@link #archiveDelayed()}</td><td>ZSET</td><td>archiver: tasks waiting for a retry → when it is due, epoch ms</td></tr>
 *   <tr><td>{@link #archiveInFlight()}</td><td>ZSET</td><td>archiver: tasks being archived → lease expiry, epoch ms</td></tr>
 *   <tr><td>{@link #archiveTasks()}</td><td>HASH</td><td>archiver: request id → queued task (JSON); fields {@code <request id>/expiry},
 *       {@code /deferrals}, {@code /first_deferred} in {@link #archiveMeta()}</td></tr>
 * </table>
 *
 * @param prefix the first segment of every key, without a trailing colon
 */
public record RedisKeys(String prefix) {

    /** The production prefix. */
    public static final String DEFAULT_PREFIX = "klingrelay";

    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

    public RedisKeys {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isBlank() || prefix.endsWith(":")) {
            throw new IllegalArgumentException("Redis key prefix must be non-blank without a trailing ':', got '" + prefix + "'");
        }
    }

    /** @return the layout under {@value #DEFAULT_PREFIX} */
    public static RedisKeys defaults() {
        return new RedisKeys(DEFAULT_PREFIX);
    }

    /**
     * @param id an account or request id
     * @return whether the id may appear in a key: 1–128 of {@code A-Z a-z 0-9 . _ : -}
     */
    public static boolean isSafeId(String id) {
        return id != null && SAFE_ID.matcher(id).matches();
    }

    /** @return SET of account ids that have state */
    public String accounts() {
        return prefix + ":accounts";
    }

    /** @return the pub/sub channel on which released permits announce their account id */
    public String dispatchChannel() {
        return prefix + ":dispatch-wakeup";
    }

    /** @param accountId account id @return the hash-tagged key stem of the account */
    public String account(String accountId) {
        return prefix + ":{" + requireSafe(accountId) + "}";
    }

    /**
     * @param accountId account id
     * @return STRING counter of the account's Kling queries in the current one-second window, shared by
     *         every poller instance (the per-account query rate limit, issue 9); expires with its window
     */
    public String queryRate(String accountId) {
        return account(accountId) + ":query-rate";
    }

    /** @param accountId account id @return ZSET waiting queue of the account */
    public String queue(String accountId) {
        return account(accountId) + ":queue";
    }

    /**
     * @param accountId account id
     * @return HASH of the account's parked requests, one field per request attribute:
     *         {@code <request id>/<attribute>} (a {@code /} never occurs in an id). Keeping them in
     *         one key per account lets every Lua script declare all the keys it touches (Redis
     *         Cluster) while it reads the request at the head of a queue it did not know beforehand.
     */
    public String parked(String accountId) {
        return account(accountId) + ":parked";
    }

    /**
     * @param accountId account id
     * @param requestId request id
     * @return HASH the request's single outcome: the event claimed for it, until and after it is published
     */
    public String outcome(String accountId, String requestId) {
        return account(accountId) + ":outcome:" + requireSafe(requestId);
    }

    /** @param accountId account id @return ZSET request ids whose claimed outcome is not yet published → claim time, epoch ms */
    public String outbox(String accountId) {
        return account(accountId) + ":outbox";
    }

    /**
     * @param accountId account id
     * @return HASH tasks created by a dispatch that had lost its lease while another task was already
     *         recorded for the request (or the request had ended): {@code task_id} → {@code <request id> <product> <epoch ms>}
     */
    public String orphans(String accountId) {
        return account(accountId) + ":orphans";
    }

    /** @param accountId account id @return ZSET requests waiting out a retry delay */
    public String delayed(String accountId) {
        return account(accountId) + ":delayed";
    }

    /** @param accountId account id @return ZSET requests of paused campaigns, held aside with their queue scores */
    public String held(String accountId) {
        return account(accountId) + ":held";
    }

    /** @param accountId account id @return SET campaign ids paused on this account */
    public String pausedCampaigns(String accountId) {
        return account(accountId) + ":paused-campaigns";
    }

    /** @param accountId account id @return ZSET permit leases of the account */
    public String permits(String accountId) {
        return account(accountId) + ":permits";
    }

    /** @param accountId account id @return HASH permit weights of the account */
    public String permitWeights(String accountId) {
        return account(accountId) + ":permit-weights";
    }

    /** @param accountId account id @return HASH configured and effective limit of the account */
    public String limit(String accountId) {
        return account(accountId) + ":limit";
    }

    /** @param accountId account id @return ZSET dispatch leases of the account */
    public String dispatching(String accountId) {
        return account(accountId) + ":dispatching";
    }

    /** @param accountId account id @param requestId request id @return HASH task record */
    public String task(String accountId, String requestId) {
        return account(accountId) + ":task:" + requireSafe(requestId);
    }

    /** @param accountId account id @return ZSET tasks awaiting a terminal status, by next check time */
    public String pending(String accountId) {
        return account(accountId) + ":pending";
    }

    /** @param accountId account id @param requestId request id @return STRING marker of a known request */
    public String seen(String accountId, String requestId) {
        return account(accountId) + ":seen:" + requireSafe(requestId);
    }

    private static String requireSafe(String id) {
        if (!isSafeId(id)) {
            throw new IllegalArgumentException("id not usable in a Redis key (1-128 of A-Z a-z 0-9 . _ : -)");
        }
        return id;
    }

    /** @return the hash-tagged key stem of the archiver's queue (one slot, so its scripts declare all keys) */
    private String archive() {
        return prefix + ":{archive}";
    }

    /** @return ZSET archiver: request id of a completed task ready to archive → earliest asset URL expiry, epoch ms */
    public String archiveReady() {
        return archive() + ":ready";
    }

    /** @return ZSET archiver: request id of a task waiting for a retry → when it is due, epoch ms */
    public String archiveDelayed() {
        return archive() + ":delayed";
    }

    /** @return ZSET archiver: request id of a task being archived → its lease expiry, epoch ms */
    public String archiveInFlight() {
        return archive() + ":in-flight";
    }

    /** @return HASH archiver: request id → the queued task (JSON) */
    public String archiveTasks() {
        return archive() + ":tasks";
    }

    /** @return HASH archiver: {@code <request id>/expiry}, {@code /deferrals}, {@code /first_deferred} (epoch ms) */
    public String archiveMeta() {
        return archive() + ":meta";
    }
}
