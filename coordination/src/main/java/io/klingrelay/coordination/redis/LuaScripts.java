package io.klingrelay.coordination.redis;

import java.util.List;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Lua scripts under {@code io/klingrelay/coordination/}: each one atomic step of the design.
 * Spring Data Redis runs them with EVALSHA and falls back to EVAL once per connection.
 */
public final class LuaScripts {

    /** Park a request unless its id is known. */
    public static final RedisScript<Long> PARK = script("park.lua", Long.class);
    /** Take the head of a queue together with its permits. */
    @SuppressWarnings("rawtypes")
    public static final RedisScript<List> TAKE = script("take.lua", List.class);
    /** Record the created task and end the dispatch. */
    public static final RedisScript<Long> RECORD_TASK = script("record-task.lua", Long.class);
    /** End a dispatch that produced no task; release its permits. */
    public static final RedisScript<Long> END_DISPATCH = script("end-dispatch.lua", Long.class);
    /** Give permits back and schedule a return to the queue. */
    public static final RedisScript<Long> RETRY_LATER = script("retry-later.lua", Long.class);
    /** Return a resumed campaign's held requests to the queue. */
    public static final RedisScript<Long> RESUME_CAMPAIGN = script("resume-campaign.lua", Long.class);
    /** Remove waiting requests of an account or campaign. */
    @SuppressWarnings("rawtypes")
    public static final RedisScript<List> CANCEL = script("cancel.lua", List.class);
    /** Promote due retries and recover expired dispatch leases. */
    @SuppressWarnings("rawtypes")
    public static final RedisScript<List> SWEEP = script("sweep.lua", List.class);
    /** Propose an observed status; decide the terminal winner. */
    public static final RedisScript<String> PROPOSE_STATUS = script("propose-status.lua", String.class);
    /** Mark the terminal event published and release the task's permits. */
    public static final RedisScript<Long> MARK_PUBLISHED = script("mark-published.lua", Long.class);
    /** Clear a non-terminal status claim once published, or release any status claim after a failed publish. */
    public static final RedisScript<Long> SETTLE_STATUS = script("settle-status.lua", Long.class);

    /** Every script, for loading them into Redis at start-up. */
    public static final List<RedisScript<?>> ALL = List.of(PARK, TAKE, RECORD_TASK, END_DISPATCH, RETRY_LATER,
            RESUME_CAMPAIGN, CANCEL, SWEEP, PROPOSE_STATUS, MARK_PUBLISHED, SETTLE_STATUS);

    private LuaScripts() {
    }

    private static <T> RedisScript<T> script(String name, Class<T> resultType) {
        return RedisScript.of(new ClassPathResource("io/klingrelay/coordination/" + name), resultType);
    }
}
