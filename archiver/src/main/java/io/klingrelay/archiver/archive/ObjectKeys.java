package io.klingrelay.archiver.archive;

import io.klingrelay.common.event.TaskAsset;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * Builds the stable object key of an asset: {@code <accountId>/<requestId>/<kind>-<index>.<ext>}.
 *
 * <p>The key must be known before the download starts (a replay finds an archived asset by it
 * without downloading again), so the extension comes from the URL path when it names a known
 * media type ({@code .mp4}, {@code .png}, {@code .jpg} …), else from the asset kind ({@code mp4}
 * for videos, {@code png} for images). Ids are reduced to {@code [A-Za-z0-9._:-]} and may not be
 * {@code .} or {@code ..}, so no id can add or climb a key segment.
 */
public final class ObjectKeys {

    private static final Set<String> KNOWN_EXTENSIONS = Set.of("mp4", "mov", "webm", "png", "jpg", "jpeg", "webp",
            "gif");
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "mp4", "video/mp4", "mov", "video/quicktime", "webm", "video/webm", "png", "image/png",
            "jpg", "image/jpeg", "jpeg", "image/jpeg", "webp", "image/webp", "gif", "image/gif");

    private ObjectKeys() {
    }

    /**
     * @param accountId the account
     * @param requestId the request id
     * @param asset     the asset
     * @return the object key
     */
    public static String forAsset(String accountId, String requestId, TaskAsset asset) {
        return segment(accountId) + "/" + segment(requestId) + "/" + asset.kind().wireName() + "-" + asset.index()
                + "." + extensionOf(asset);
    }

    /**
     * @param asset the asset
     * @return the extension from the URL path when known, else the kind's default; lower case, no dot
     */
    public static String extensionOf(TaskAsset asset) {
        HttpUrl url = HttpUrl.parse(asset.url());
        String path = url == null ? "" : url.encodedPath().toLowerCase(Locale.ROOT);
        int dot = path.lastIndexOf('.');
        String extension = dot < 0 ? "" : path.substring(dot + 1);
        return KNOWN_EXTENSIONS.contains(extension) ? extension : asset.kind().defaultExtension();
    }

    /**
     * @param asset the asset
     * @return the content type its extension implies, used when the download declares none
     */
    public static String defaultContentType(TaskAsset asset) {
        return CONTENT_TYPES.getOrDefault(extensionOf(asset), asset.kind().defaultContentType());
    }

    /**
     * @param id an account or request id
     * @return the id with characters outside {@code [A-Za-z0-9._:-]} replaced by {@code _}
     */
    static String segment(String id) {
        String safe = id.replaceAll("[^A-Za-z0-9._:-]", "_");
        return safe.isEmpty() || safe.equals(".") || safe.equals("..") ? "_" + safe : safe;
    }
}
