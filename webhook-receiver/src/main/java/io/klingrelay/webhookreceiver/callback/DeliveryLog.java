package io.klingrelay.webhookreceiver.callback;

import org.springframework.dao.DataAccessException;

/**
 * Remembers the {@code webhook-id} of every signed callback that was fully handled, so a
 * redelivery of the same message (Standard Webhooks, kling-api.md §11.3) is answered 200 without
 * publishing anything again. Ids are remembered per account and for a bounded time; an id is only
 * remembered after its callback was published or found to be a duplicate, so a callback answered
 * 503 can be retried with the same id.
 */
public interface DeliveryLog {

    /**
     * @param accountId the account (already checked by {@code RedisKeys.isSafeId})
     * @param webhookId the {@code webhook-id} header of a callback whose signature verified
     * @return whether that id was already remembered for the account
     * @throws DataAccessException when the store cannot be reached
     */
    boolean wasHandled(String accountId, String webhookId);

    /**
     * Remembers the id; a second call for the same id changes nothing (and does not extend its time).
     *
     * @param accountId the account (already checked by {@code RedisKeys.isSafeId})
     * @param webhookId the {@code webhook-id} header of a callback whose signature verified
     * @throws DataAccessException when the store cannot be reached
     */
    void markHandled(String accountId, String webhookId);
}
