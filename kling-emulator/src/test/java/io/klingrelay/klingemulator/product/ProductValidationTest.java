package io.klingrelay.klingemulator.product;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.klingrelay.klingemulator.config.EmulatorProperties;
import io.klingrelay.klingemulator.config.EmulatorSettings;
import io.klingrelay.klingemulator.spec.Product;
import io.klingrelay.klingemulator.spec.TaskSpec;
import io.klingrelay.klingemulator.wire.KlingApiException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ProductValidationTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final EmulatorProperties PROPERTIES = new Binder(new MapConfigurationPropertySource())
            .bindOrCreate("klingrelay.emulator", EmulatorProperties.class);

    private final TextToVideoProduct t2v = new TextToVideoProduct(PROPERTIES, new EmulatorSettings(PROPERTIES));
    private final ImageToVideoProduct i2v = new ImageToVideoProduct(PROPERTIES, new EmulatorSettings(PROPERTIES));
    private final ImageGenerationProduct images = new ImageGenerationProduct(PROPERTIES, new EmulatorSettings(PROPERTIES));

    @Test
    void textToVideoDefaultsToKlingV1Std5sAndIgnoresUnknownFields() {
        TaskSpec spec = t2v.validate(json("{\"prompt\":\"a boat\",\"unknown_field\":42,\"external_task_id\":\"x-1\"}"));

        assertThat(spec.modelName()).isEqualTo("kling-v1");
        assertThat(spec.mode()).isEqualTo("std");
        assertThat(spec.duration()).isEqualTo("5");
        assertThat(spec.aspectRatio()).isEqualTo("16:9");
        assertThat(spec.slots()).isEqualTo(1);
        assertThat(spec.externalTaskId()).isEqualTo("x-1");
    }

    @Test
    void textToVideoRequiresAPromptOfAtMost2500Chars() {
        assertInvalid(t2v, "{}", "prompt: must not be blank");
        assertInvalid(t2v, "{\"prompt\":\"" + "a".repeat(2501) + "\"}", "prompt: size must be between 0 and 2500");
        assertInvalid(t2v, "{\"prompt\":\"a\",\"negative_prompt\":\"" + "b".repeat(2501) + "\"}",
                "negative_prompt: size must be between 0 and 2500");
    }

    @Test
    void rejectsValuesOutsideTheEnums() {
        assertInvalid(t2v, "{\"prompt\":\"a\",\"mode\":\"standard\"}", "mode: allowed values: std, pro");
        assertInvalid(t2v, "{\"prompt\":\"a\",\"aspect_ratio\":\"4:3\"}", "aspect_ratio: allowed values: 16:9, 9:16, 1:1");
        assertInvalid(t2v, "{\"prompt\":\"a\",\"duration\":5}", "duration: allowed values: 5, 10");
        assertInvalid(t2v, "{\"prompt\":\"a\",\"duration\":\"7\"}", "duration: allowed values: 5, 10");
        assertInvalid(t2v, "{\"prompt\":\"a\",\"model_name\":\"kling-v1-5\"}", "model_name: allowed values");
        assertInvalid(t2v, "{\"prompt\":\"a\",\"cfg_scale\":1.5}", "cfg_scale: must be between 0 and 1");
    }

    @Test
    void acceptsThreeToFifteenSecondsOnlyForKlingV3() {
        assertThat(t2v.validate(json("{\"prompt\":\"a\",\"model_name\":\"kling-v3\",\"duration\":\"15\"}")).duration())
                .isEqualTo("15");
        assertInvalid(t2v, "{\"prompt\":\"a\",\"model_name\":\"kling-v2-6\",\"duration\":\"15\"}", "duration");
    }

    @Test
    void checksCameraControlRules() {
        String simpleOneAxis = "{\"type\":\"simple\",\"config\":{\"horizontal\":0,\"vertical\":0,\"pan\":0,"
                + "\"tilt\":0,\"roll\":0,\"zoom\":5}}";
        t2v.validate(json("{\"prompt\":\"a\",\"camera_control\":" + simpleOneAxis + "}"));
        t2v.validate(json("{\"prompt\":\"a\",\"camera_control\":{\"type\":\"down_back\"}}"));

        assertInvalid(t2v, "{\"prompt\":\"a\",\"camera_control\":{\"type\":\"orbit\"}}", "camera_control.type");
        assertInvalid(t2v, "{\"prompt\":\"a\",\"camera_control\":{\"type\":\"simple\"}}", "camera_control.config");
        assertInvalid(t2v, "{\"prompt\":\"a\",\"camera_control\":{\"type\":\"simple\",\"config\":{\"zoom\":5,\"pan\":1}}}",
                "exactly one");
        assertInvalid(t2v, "{\"prompt\":\"a\",\"camera_control\":{\"type\":\"simple\",\"config\":{\"zoom\":11}}}",
                "camera_control.config.zoom: must be between -10 and 10");
        assertInvalid(t2v, "{\"prompt\":\"a\",\"camera_control\":{\"type\":\"forward_up\",\"config\":{\"zoom\":1}}}",
                "camera_control.config: must be null");
    }

    @Test
    void imageToVideoNeedsImageOrImageTail() {
        assertInvalid(i2v, "{\"prompt\":\"a\"}", "image can not be null");
        assertThat(i2v.validate(json("{\"image_tail\":\"https://example.org/last.png\"}")).prompt()).isEmpty();
    }

    @Test
    void imageToVideoRejectsADataUriWithKlingsMessage() {
        assertInvalid(i2v, "{\"image\":\"data:image/png;base64,iVBORw0KGgo=\"}", "File is not in a valid base64 format");
        assertInvalid(i2v, "{\"image\":\"%%%not-base64%%%\"}", "File is not in a valid base64 format");
        assertInvalid(i2v, "{\"image\":\"abc-def_ghi\"}", "File is not in a valid base64 format");
    }

    @Test
    void imageToVideoChecksRawBase64Images() throws IOException {
        i2v.validate(json("{\"image\":\"" + png(600, 400) + "\"}"));

        assertInvalid(i2v, "{\"image\":\"" + png(200, 400) + "\"}", "image: width and height must be at least 300px");
        assertInvalid(i2v, "{\"image\":\"" + png(1000, 300) + "\"}", "image: aspect ratio");
        assertInvalid(i2v, "{\"image\":\"" + Base64.getEncoder().encodeToString("GIF89a-not-allowed".getBytes()) + "\"}",
                "allowed formats");
    }

    @Test
    void imageTailIsExemptFromTheAspectRatioRule() throws IOException {
        i2v.validate(json("{\"image_tail\":\"" + png(1000, 300) + "\"}"));
    }

    @Test
    void imageToVideoRejectsMixedGroups() {
        assertInvalid(i2v, "{\"image\":\"https://e.org/a.png\",\"image_tail\":\"https://e.org/b.png\","
                + "\"camera_control\":{\"type\":\"down_back\"}}", "cannot be used together");
    }

    @Test
    void imagesHoldOneSlotPerImage() {
        TaskSpec spec = images.validate(json("{\"prompt\":\"a lighthouse\",\"n\":4,\"aspect_ratio\":\"21:9\"}"));

        assertThat(spec.slots()).isEqualTo(4);
        assertThat(spec.outputs()).isEqualTo(4);
        assertThat(spec.duration()).isNull();
    }

    @Test
    void imagesCheckNAspectRatioResolutionAndNegativePromptWithImage() {
        assertInvalid(images, "{\"prompt\":\"a\",\"n\":10}", "n: must be between 1 and 9");
        assertInvalid(images, "{\"prompt\":\"a\",\"n\":0}", "n: must be between 1 and 9");
        assertInvalid(images, "{\"prompt\":\"a\",\"aspect_ratio\":\"5:4\"}", "aspect_ratio: allowed values");
        assertInvalid(images, "{\"prompt\":\"a\",\"resolution\":\"4k\"}", "resolution: allowed values: 1k, 2k");
        assertInvalid(images, "{\"n\":1}", "prompt: must not be blank");
        assertInvalid(images, "{\"prompt\":\"a\",\"negative_prompt\":\"b\",\"image\":\"https://e.org/a.png\"}",
                "negative_prompt");
    }

    @Test
    void everyValidationErrorIsCode1201() {
        for (String body : List.of("{}", "{\"prompt\":\"a\",\"mode\":\"x\"}")) {
            assertThatThrownBy(() -> t2v.validate(json(body))).isInstanceOfSatisfying(KlingApiException.class,
                    e -> assertThat(e.klingCode().code()).isEqualTo(1201));
        }
    }

    private static void assertInvalid(Product product, String body, String message) {
        assertThatThrownBy(() -> product.validate(json(body))).isInstanceOfSatisfying(KlingApiException.class, e -> {
            assertThat(e.klingCode().code()).isEqualTo(1201);
            assertThat(e.getMessage()).contains(message);
        });
    }

    private static JsonNode json(String body) {
        return MAPPER.readTree(body);
    }

    private static String png(int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "png", out);
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }
}
