package io.klingrelay.klingemulator.task;

import io.klingrelay.klingemulator.spec.OutputKind;
import io.klingrelay.klingemulator.spec.Product;
import io.klingrelay.klingemulator.spec.TaskSpec;
import java.math.BigDecimal;

/**
 * Units a successful task is charged ({@code final_unit_deduction}, 2026 {@code billing[].amount}). A task whose
 * model is in the units table (the 2026 models, and their legacy names {@code kling-v3}, {@code kling-v2-6} …)
 * carries its figure in {@link TaskSpec#units()}, so both surfaces agree. Otherwise [I]: images 8 per image (R5: a
 * 1k image cost 8 units), try-on 1 per image, video 1 per started 5 s in {@code std} and 2 in {@code pro}/{@code 4k}.
 */
public final class Units {

    private static final int IMAGE_UNITS = 8;

    private Units() {
    }

    public static BigDecimal of(Product product, TaskSpec spec) {
        if (spec.units() != null) {
            return spec.units();
        }
        if (product.output() == OutputKind.IMAGE) {
            return BigDecimal.valueOf(("virtual_try_on".equals(product.packType()) ? 1 : IMAGE_UNITS) * spec.outputs());
        }
        int seconds = spec.duration() == null ? 5 : Integer.parseInt(spec.duration());
        int perFive = "std".equals(spec.mode()) ? 1 : 2;
        return BigDecimal.valueOf(Math.max(1, (seconds + 4) / 5) * perFive);
    }

    /** @return {@code units} as Kling writes it: a plain decimal string without trailing zeros ({@code "4"}, {@code "1.8"}) */
    public static String format(BigDecimal units) {
        return units.signum() == 0 ? "0" : units.stripTrailingZeros().toPlainString();
    }
}
