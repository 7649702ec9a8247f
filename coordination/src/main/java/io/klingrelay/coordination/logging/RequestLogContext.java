package io.klingrelay.coordination.logging;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Puts the ids of the request being worked on into SLF4J's MDC ({@value #REQUEST_ID},
 * {@value #ACCOUNT_ID}, {@value #TASK_ID}) for the duration of a try-with-resources block, so every
 * log line written meanwhile on this thread carries them (the JSON console format writes MDC entries
 * as fields). Closing restores what the keys held before, so nested contexts (a dispatch inside a
 * sweep) and pooled threads never keep a stale id. Ids only: never a key, token, signature or URL.
 *
 * <pre>{@code
 * try (RequestLogContext ignored = RequestLogContext.open(requestId, accountId, taskId)) {
 *     handle(request);
 * }
 * }</pre>
 */
public final class RequestLogContext implements AutoCloseable {

    /** MDC key of our request id (Kling's {@code external_task_id}). */
    public static final String REQUEST_ID = "requestId";
    /** MDC key of the configured account id. */
    public static final String ACCOUNT_ID = "accountId";
    /** MDC key of Kling's {@code task_id}. */
    public static final String TASK_ID = "taskId";

    private final Map<String, @Nullable String> previous;

    private RequestLogContext(Map<String, @Nullable String> previous) {
        this.previous = previous;
    }

    /**
     * @param requestId our request id, null when not known yet
     * @param accountId the account id, null when not known
     * @param taskId    Kling's task id, null before the create call answered
     * @return the context; close it when the work on this request ends
     */
    public static RequestLogContext open(@Nullable String requestId, @Nullable String accountId,
            @Nullable String taskId) {
        Map<String, @Nullable String> previous = new LinkedHashMap<>();
        put(previous, REQUEST_ID, requestId);
        put(previous, ACCOUNT_ID, accountId);
        put(previous, TASK_ID, taskId);
        return new RequestLogContext(previous);
    }

    private static void put(Map<String, @Nullable String> previous, String key, @Nullable String value) {
        if (value == null) {
            return;
        }
        previous.put(key, MDC.get(key));
        MDC.put(key, value);
    }

    /** Restores the keys this context set to what they held before it was opened. */
    @Override
    public void close() {
        previous.forEach((key, value) -> {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        });
    }
}
