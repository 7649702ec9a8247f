package io.klingrelay.common.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/**
 * The Kling products a request can ask for (kling-api.md §5). The JSON value is the kebab-case
 * name; the Kling path lives in {@code kling-client}.
 */
public enum Product {
    /** {@code POST /v1/videos/text2video} (kling-api.md §6). */
    TEXT_TO_VIDEO("text-to-video", AssetKind.VIDEO),
    /** {@code POST /v1/videos/image2video} (kling-api.md §7). */
    IMAGE_TO_VIDEO("image-to-video", AssetKind.VIDEO),
    /** {@code POST /v1/images/generations}, text-to-image and image-to-image (kling-api.md §8). */
    IMAGE_GENERATION("image-generation", AssetKind.IMAGE),
    /** {@code POST /v1/videos/multi-image2video}: 1–4 subject images and a prompt (kling-api.md §9). */
    MULTI_IMAGE_TO_VIDEO("multi-image-to-video", AssetKind.VIDEO),
    /** {@code POST /v1/videos/video-extend}: extends a generated video by 4–5 s (kling-api.md §9). */
    VIDEO_EXTEND("video-extend", AssetKind.VIDEO),
    /**
     * Omni video: reference images, elements and videos; {@code POST /omni-video/{model}} on the
     * 2026 API (kling-api.md §15), {@code POST /v1/videos/omni-video} for legacy model names (§9).
     */
    OMNI_VIDEO("omni-video", AssetKind.VIDEO);

    private final String wireName;
    private final AssetKind assetKind;

    Product(String wireName, AssetKind assetKind) {
        this.wireName = wireName;
        this.assetKind = assetKind;
    }

    /** @return the JSON value, e.g. {@code text-to-video} */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** @return the kind of asset a task of this product produces */
    public AssetKind assetKind() {
        return assetKind;
    }

    /**
     * @param value a JSON value such as {@code text-to-video}; the enum name is accepted too
     * @return the product, or {@code null} when the value names none (the validator reports it)
     */
    @JsonCreator
    public static @Nullable Product fromWire(@Nullable String value) {
        for (Product product : values()) {
            if (product.wireName.equals(value) || product.name().equals(value)) {
                return product;
            }
        }
        return null;
    }
}
