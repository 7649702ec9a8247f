package io.klingrelay.common.event;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a generated asset is: a video ({@code task_result.videos}) or an image ({@code task_result.images}). */
public enum AssetKind {
    VIDEO("video", "video/mp4", "mp4"),
    IMAGE("image", "image/png", "png");

    private final String wireName;
    private final String defaultContentType;
    private final String defaultExtension;

    AssetKind(String wireName, String defaultContentType, String defaultExtension) {
        this.wireName = wireName;
        this.defaultContentType = defaultContentType;
        this.defaultExtension = defaultExtension;
    }

    /** @return the JSON value, {@code video} or {@code image} */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** @return the content type assumed when the download does not declare one */
    public String defaultContentType() {
        return defaultContentType;
    }

    /** @return the file extension used in object keys, without the dot */
    public String defaultExtension() {
        return defaultExtension;
    }
}
