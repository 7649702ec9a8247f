package io.klingrelay.webhookreceiver.callback;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.dao.QueryTimeoutException;

/** {@link DeliveryLog} in a set, for unit tests; can be told to fail like an unreachable Redis. */
final class InMemoryDeliveryLog implements DeliveryLog {

    private final Set<String> handled = ConcurrentHashMap.newKeySet();
    private volatile boolean down;

    @Override
    public boolean wasHandled(String accountId, String webhookId) {
        failIfDown();
        return handled.contains(accountId + "\n" + webhookId);
    }

    @Override
    public void markHandled(String accountId, String webhookId) {
        failIfDown();
        handled.add(accountId + "\n" + webhookId);
    }

    private void failIfDown() {
        if (down) {
            throw new QueryTimeoutException("Redis command timed out");
        }
    }

    /** @param down whether every call fails from now on */
    void setDown(boolean down) {
        this.down = down;
    }

    /** @return how many ids are remembered */
    int size() {
        return handled.size();
    }
}
