package io.klingrelay.klingemulator.task;

import io.klingrelay.klingemulator.product.OutputKind;
import io.klingrelay.klingemulator.product.Product;
import io.klingrelay.klingemulator.product.TaskSpec;

/**
 * Units a successful task is charged ({@code final_unit_deduction}) [I]: images 8 per image (R5: a 1k image
 * cost 8 units), try-on 1 per image, video 1 per started 5 s in {@code std} and 2 in {@code pro}/{@code 4k}.
 */
public final class Units {

    private static final int IMAGE_UNITS = 8;

    private Units() {
    }

    public static int of(Product product, TaskSpec spec) {
        if (product.output() == OutputKind.IMAGE) {
            return ("virtual_try_on".equals(product.packType()) ? 1 : IMAGE_UNITS) * spec.outputs();
        }
        int seconds = spec.duration() == null ? 5 : Integer.parseInt(spec.duration());
        int perFive = "std".equals(spec.mode()) ? 1 : 2;
        return Math.max(1, (seconds + 4) / 5) * perFive;
    }
}
