package io.klingrelay.status.stream;

import java.time.Instant;

/**
 * Keys of the campaign-side stores, all prefixed by the campaign id and a NUL separator so one
 * campaign's entries are a contiguous range (ids never contain NUL: {@code RedisKeys.isSafeId}).
 */
public final class StoreKeys {

    /** Separates the parts of a key. */
    public static final char SEPARATOR = '\u0000';

    private StoreKeys() {
    }

    /**
     * @param campaignId a campaign
     * @param requestId  a request id
     * @param accountId  its account
     * @return the {@link StatusTopology#CAMPAIGN_REQUESTS} key: ordered by request id, then account
     */
    public static String campaignRequest(String campaignId, String requestId, String accountId) {
        return campaignId + SEPARATOR + requestId + SEPARATOR + accountId;
    }

    /**
     * @param campaignId a campaign
     * @param since      when the request was requested
     * @param requestId  a request id
     * @param accountId  its account
     * @return the {@link StatusTopology#CAMPAIGN_WAITING} key: ordered by request time
     */
    public static String waiting(String campaignId, Instant since, String requestId, String accountId) {
        return campaignId + SEPARATOR + String.format("%016d", Math.max(0, since.toEpochMilli())) + SEPARATOR
                + requestId + SEPARATOR + accountId;
    }

    /**
     * @param campaignId a campaign
     * @return the smallest key of the campaign's range
     */
    public static String first(String campaignId) {
        return campaignId + SEPARATOR;
    }

    /**
     * @param campaignId a campaign
     * @return a key above every key of the campaign's range (inclusive range end)
     */
    public static String last(String campaignId) {
        return campaignId + '\u0001';
    }

    /**
     * @param key a key built here
     * @return its parts after the campaign id
     */
    public static String[] parts(String key) {
        return key.split(String.valueOf(SEPARATOR), -1);
    }
}
