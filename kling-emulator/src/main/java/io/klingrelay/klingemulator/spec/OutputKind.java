package io.klingrelay.klingemulator.spec;

/** What a product's task produces; decides the result shape and the asset file type. */
public enum OutputKind {
    /** {@code task_result.videos[{id, url, duration}]}, served as {@code .mp4}. */
    VIDEO("mp4", "video/mp4"),
    /** {@code task_result.images[{index, url}]}, served as {@code .png}. */
    IMAGE("png", "image/png");

    private final String extension;
    private final String contentType;

    OutputKind(String extension, String contentType) {
        this.extension = extension;
        this.contentType = contentType;
    }

    public String extension() {
        return extension;
    }

    public String contentType() {
        return contentType;
    }
}
