package io.klingrelay.klingclient.api;

import io.klingrelay.common.event.Product;
import java.util.Optional;

/**
 * The paths of each product: the legacy /v1 base path (kling-api.md §5, §9) and the 2026
 * path-per-model create path (§15).
 */
public final class KlingEndpoints {

    /** The 2026 single and batch task query: {@code GET /tasks?task_ids=a,b} (kling-api.md §15). */
    public static final String NEW_API_TASKS = "/tasks";

    private KlingEndpoints() {
    }

    /**
     * @param product a product
     * @return its legacy base path: create is {@code POST <path>}, query {@code GET <path>/{id}}
     */
    public static String path(Product product) {
        return switch (product) {
            case TEXT_TO_VIDEO -> "/v1/videos/text2video";
            case IMAGE_TO_VIDEO -> "/v1/videos/image2video";
            case IMAGE_GENERATION -> "/v1/images/generations";
            case MULTI_IMAGE_TO_VIDEO -> "/v1/videos/multi-image2video";
            case VIDEO_EXTEND -> "/v1/videos/video-extend";
            case OMNI_VIDEO -> "/v1/videos/omni-video";
        };
    }

    /**
     * @param product a product
     * @return its 2026 create path prefix ({@code /text-to-video}, {@code /image-to-video},
     *         {@code /omni-video}; the model name follows), empty for products the 2026 API does not
     *         serve
     */
    public static Optional<String> newApiPath(Product product) {
        return switch (product) {
            case TEXT_TO_VIDEO -> Optional.of("/text-to-video");
            case IMAGE_TO_VIDEO -> Optional.of("/image-to-video");
            case OMNI_VIDEO -> Optional.of("/omni-video");
            case IMAGE_GENERATION, MULTI_IMAGE_TO_VIDEO, VIDEO_EXTEND -> Optional.empty();
        };
    }
}
