package io.klingrelay.klingemulator.asset;

import io.klingrelay.klingemulator.config.EmulatorProperties;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Generated asset bytes, bounded by total size (least recently used goes first). Generation is
 * deterministic, so a dropped entry is regenerated identically. Entries of a task are removed with it.
 */
@Component
public class AssetCache {

    private final long maxBytes;
    private final LinkedHashMap<AssetKey, byte[]> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long totalBytes;

    public AssetCache(EmulatorProperties properties) {
        this.maxBytes = properties.assetCacheSize().toBytes();
    }

    /** @return the cached bytes of one asset, generating them outside the lock on a miss */
    public byte[] get(String taskId, int index, Supplier<byte[]> generator) {
        AssetKey key = new AssetKey(taskId, index);
        synchronized (this) {
            byte[] cached = entries.get(key);
            if (cached != null) {
                return cached;
            }
        }
        byte[] generated = generator.get();
        put(key, generated);
        return generated;
    }

    public synchronized void evict(String taskId) {
        Iterator<Map.Entry<AssetKey, byte[]>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<AssetKey, byte[]> entry = it.next();
            if (entry.getKey().taskId().equals(taskId)) {
                totalBytes -= entry.getValue().length;
                it.remove();
            }
        }
    }

    public synchronized void clear() {
        entries.clear();
        totalBytes = 0;
    }

    private synchronized void put(AssetKey key, byte[] bytes) {
        byte[] previous = entries.put(key, bytes);
        totalBytes += bytes.length - (previous == null ? 0 : previous.length);
        Iterator<byte[]> eldest = entries.values().iterator();
        while (totalBytes > maxBytes && eldest.hasNext()) {
            totalBytes -= eldest.next().length;
            eldest.remove();
        }
    }

    private record AssetKey(String taskId, int index) {
    }
}
