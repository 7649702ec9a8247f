package io.klingrelay.examples.archivedconsumer;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stands for your side effect: here it lists every archived request it was given. */
public class AssetCatalogue {

    private static final Logger log = LoggerFactory.getLogger(AssetCatalogue.class);

    private final List<AssetsArchived> entries = new CopyOnWriteArrayList<>();

    /** @param archived a request whose assets are in the bucket */
    public void add(AssetsArchived archived) {
        log.info("request {} of account {}: {} asset(s) archived", archived.requestId(), archived.accountId(),
                archived.assets().size());
        entries.add(archived);
    }

    /** @return what was added, in order */
    public List<AssetsArchived> entries() {
        return List.copyOf(entries);
    }
}
