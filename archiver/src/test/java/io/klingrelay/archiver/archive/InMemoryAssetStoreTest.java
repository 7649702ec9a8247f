package io.klingrelay.archiver.archive;

/** The fake passes the same contract as the MinIO store. */
class InMemoryAssetStoreTest extends AssetStoreContract {

    private final InMemoryAssetStore store = new InMemoryAssetStore();

    @Override
    protected AssetStore store() {
        return store;
    }
}
