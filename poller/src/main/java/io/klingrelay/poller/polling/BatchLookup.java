package io.klingrelay.poller.polling;

import io.klingrelay.common.error.KlingRelayException;
import io.klingrelay.common.event.Product;
import io.klingrelay.coordination.task.TaskRecord;
import io.klingrelay.klingclient.api.KlingTask;
import io.klingrelay.klingclient.api.KlingTaskQueries;
import io.klingrelay.klingclient.config.KlingAccount;
import io.klingrelay.poller.config.QueryProperties;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers many due tasks of one account and product with the list endpoint (kling-api.md §10.4,
 * {@link KlingTaskQueries#listPage}): reads pages of {@code list-page-size}, newest first, until every
 * wanted task was seen, the list ended (a short page), a page reached tasks created before the oldest
 * wanted one (less a minute for clock skew), {@code list-max-pages} were read, or the query budget ran
 * out. What no page answered is left to single queries. Never throws: a failed page ends the lookup
 * with what it found (logged WARN, no stack trace). Thread-safe.
 */
public final class BatchLookup {

    private static final Logger log = LoggerFactory.getLogger(BatchLookup.class);
    /** Kling's {@code created_at} vs our submission time: tolerance for clock skew. */
    private static final Duration SKEW = Duration.ofMinutes(1);

    private final KlingTaskQueries queries;
    private final QueryProperties properties;
    private final QueryBudget budget;

    /**
     * @param queries    the list endpoint
     * @param properties page size, page cap and the budget's wait
     * @param budget     the per-account query budget (one token per page)
     */
    public BatchLookup(KlingTaskQueries queries, QueryProperties properties, QueryBudget budget) {
        this.queries = queries;
        this.properties = properties;
        this.budget = budget;
    }

    /**
     * @param records the due tasks (of one product)
     * @return whether the list is worth reading for them ({@code list-enabled}, at least {@code list-min-tasks})
     */
    public boolean worthListing(List<TaskRecord> records) {
        return properties.listEnabled() && records.size() >= properties.listMinTasks();
    }

    /**
     * @param account the account
     * @param product the product the tasks were created under
     * @param records the due tasks
     * @return Kling's answer per {@code task_id}, for the tasks a page showed
     */
    public Map<String, KlingTask> answer(KlingAccount account, Product product, List<TaskRecord> records) {
        Set<String> wanted = records.stream().map(TaskRecord::taskId).collect(Collectors.toSet());
        long oldestMs = records.stream().mapToLong(r -> r.submittedAt().toEpochMilli()).min().orElse(0)
                - SKEW.toMillis();
        Map<String, KlingTask> found = new HashMap<>();
        for (int page = 1; page <= properties.listMaxPages(); page++) {
            if (!budget.acquire(account.id(), properties.rateWait())) {
                break;
            }
            List<KlingTask> tasks;
            try {
                tasks = queries.listPage(account, product, page, properties.listPageSize());
            } catch (KlingRelayException e) {
                log.warn("List page {} of {} tasks of account {} failed; single queries instead: {}", page,
                        product.wireName(), account.id(), e.getMessage());
                break;
            }
            tasks.stream().filter(t -> wanted.contains(t.taskId())).forEach(t -> found.put(t.taskId(), t));
            if (found.size() == wanted.size() || tasks.size() < properties.listPageSize() || reachedOlder(tasks,
                    oldestMs)) {
                break;
            }
        }
        log.debug("List of {} tasks of account {} answered {} of {} due tasks", product.wireName(), account.id(),
                found.size(), wanted.size());
        return found;
    }

    /**
     * Answers due 2026 tasks with the batch query ({@link KlingTaskQueries#byTaskIds}, kling-api.md §15),
     * {@value KlingTaskQueries#MAX_BATCH_IDS} ids per call, one budget token per call.
     *
     * @param account the account (with an API key)
     * @param product the product, for the call's metric
     * @param records the due 2026 tasks
     * @return Kling's answer per {@code task_id}, for the tasks it knows
     */
    public Map<String, KlingTask> answerNewApi(KlingAccount account, Product product, List<TaskRecord> records) {
        List<String> ids = records.stream().map(TaskRecord::taskId).toList();
        Map<String, KlingTask> found = new HashMap<>();
        for (int from = 0; from < ids.size(); from += KlingTaskQueries.MAX_BATCH_IDS) {
            if (!budget.acquire(account.id(), properties.rateWait())) {
                break;
            }
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + KlingTaskQueries.MAX_BATCH_IDS));
            try {
                queries.byTaskIds(account, product, chunk).forEach(t -> found.put(t.taskId(), t));
            } catch (KlingRelayException e) {
                log.warn("Batch query of {} 2026 tasks of account {} failed; asked again one by one: {}", chunk.size(),
                        account.id(), e.getMessage());
                break;
            }
        }
        return found;
    }

    /**
     * Queries one 2026 task (the batch query with one id); the caller holds a budget token.
     *
     * @param account the account
     * @param product the product
     * @param taskId  the task
     * @return the task, empty when Kling's answer does not hold it
     * @throws KlingRelayException when Kling failed or refused the query
     */
    public Optional<KlingTask> findNewApi(KlingAccount account, Product product, String taskId) {
        return queries.byTaskIds(account, product, List.of(taskId)).stream().filter(t -> taskId.equals(t.taskId()))
                .findFirst();
    }

    private static boolean reachedOlder(List<KlingTask> page, long oldestMs) {
        Long createdAt = page.getLast().createdAt();
        return createdAt != null && createdAt < oldestMs;
    }
}
