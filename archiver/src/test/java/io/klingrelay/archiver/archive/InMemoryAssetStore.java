package io.klingrelay.archiver.archive;

import io.klingrelay.archiver.download.AssetReadException;
import io.klingrelay.common.error.TransientException;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** An in-memory {@link AssetStore} fake that passes {@link AssetStoreContract}. */
final class InMemoryAssetStore implements AssetStore {

    private final Map<String, StoredObject> objects = new ConcurrentHashMap<>();

    @Override
    public String bucket() {
        return "in-memory";
    }

    @Override
    public void ensureBucket() {
        // nothing to create
    }

    @Override
    public Optional<StoredObject> find(String objectKey) {
        return Optional.ofNullable(objects.get(objectKey));
    }

    @Override
    public StoredObject put(String objectKey, InputStream body, String contentType, String requestId) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long size = new DigestInputStream(body, digest).transferTo(java.io.OutputStream.nullOutputStream());
            StoredObject stored = new StoredObject(objectKey, size, HexFormat.of().formatHex(digest.digest()),
                    contentType);
            objects.put(objectKey, stored);
            return stored;
        } catch (AssetReadException e) {
            throw e.failure();
        } catch (IOException e) {
            throw new TransientException("in-memory store: body failed", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String presignedGetUrl(String objectKey, Duration expiry) {
        return "memory://" + bucket() + "/" + objectKey + "?expires=" + expiry.toSeconds();
    }
}
