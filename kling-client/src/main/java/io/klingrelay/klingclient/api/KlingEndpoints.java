package io.klingrelay.klingclient.api;

import io.klingrelay.common.event.Product;

/** The legacy /v1 base path of each product (kling-api.md §5). */
public final class KlingEndpoints {

    private KlingEndpoints() {
    }

    /**
     * @param product a product
     * @return its base path: create is {@code POST <path>}, query {@code GET <path>/{id}}
     */
    public static String path(Product product) {
        return switch (product) {
            case TEXT_TO_VIDEO -> "/v1/videos/text2video";
            case IMAGE_TO_VIDEO -> "/v1/videos/image2video";
            case IMAGE_GENERATION -> "/v1/images/generations";
        };
    }
}
