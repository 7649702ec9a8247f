package io.klingrelay.archiver.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.common.event.AssetKind;
import io.klingrelay.common.event.TaskAsset;
import org.junit.jupiter.api.Test;

class ObjectKeysTest {

    @Test
    void buildsAccountRequestKindIndexAndExtension() {
        TaskAsset video = new TaskAsset(AssetKind.VIDEO, 0, "828338674655576157",
                "https://v15-kling-fdl.klingai.com/bs2/upload/x-0_raw_video_1.mp4?Expires=1&Signature=s", "5.1");

        assertThat(ObjectKeys.forAsset("brand-a", "spring-sale-0001", video))
                .isEqualTo("brand-a/spring-sale-0001/video-0.mp4");
    }

    @Test
    void takesTheExtensionFromTheUrlPathWhenItNamesAKnownMediaType() {
        TaskAsset image = new TaskAsset(AssetKind.IMAGE, 2, null, "https://cdn.klingai.com/a/b/photo.JPG?x=1", null);

        assertThat(ObjectKeys.forAsset("acct", "req", image)).isEqualTo("acct/req/image-2.jpg");
        assertThat(ObjectKeys.defaultContentType(image)).isEqualTo("image/jpeg");
    }

    @Test
    void fallsBackToTheKindsExtensionWhenTheUrlPathHasNone() {
        TaskAsset image = new TaskAsset(AssetKind.IMAGE, 1, null, "https://cdn.klingai.com/download?id=7.exe", null);
        TaskAsset video = new TaskAsset(AssetKind.VIDEO, 0, null, "https://cdn.klingai.com/v/stream", null);

        assertThat(ObjectKeys.forAsset("acct", "req", image)).isEqualTo("acct/req/image-1.png");
        assertThat(ObjectKeys.forAsset("acct", "req", video)).isEqualTo("acct/req/video-0.mp4");
        assertThat(ObjectKeys.defaultContentType(video)).isEqualTo("video/mp4");
    }

    @Test
    void keepsTheKeyStableForTheSameAsset() {
        TaskAsset asset = new TaskAsset(AssetKind.VIDEO, 0, null, "https://cdn.klingai.com/v.mp4?Signature=1", null);
        TaskAsset sameAssetNewSignature = new TaskAsset(AssetKind.VIDEO, 0, null,
                "https://cdn.klingai.com/v.mp4?Signature=2", null);

        assertThat(ObjectKeys.forAsset("acct", "req", asset))
                .isEqualTo(ObjectKeys.forAsset("acct", "req", sameAssetNewSignature));
    }

    @Test
    void neutralisesIdsThatWouldAddOrClimbKeySegments() {
        TaskAsset asset = new TaskAsset(AssetKind.IMAGE, 0, null, "https://cdn.klingai.com/i.png", null);

        assertThat(ObjectKeys.forAsset("..", "a/../b c", asset)).isEqualTo("_../a_.._b_c/image-0.png");
        assertThat(ObjectKeys.segment("req:1_2-3.x")).isEqualTo("req:1_2-3.x");
        assertThat(ObjectKeys.segment(".")).isEqualTo("_.");
    }
}
