package io.klingrelay.klingemulator.asset;

/** Parses Kling's {@code aspect_ratio} strings ({@code 16:9}, {@code 9:16}, {@code 1:1}, {@code 21:9}, …). */
final class AspectRatio {

    private static final double DEFAULT = 16.0 / 9;

    private AspectRatio() {
    }

    /** @return width ÷ height of {@code W:H}; 16:9 when it does not parse (Kling's default, §6.1, §8) */
    static double parse(String aspectRatio) {
        String[] parts = aspectRatio.split(":");
        try {
            double ratio = Double.parseDouble(parts[0]) / Double.parseDouble(parts[1]);
            return ratio > 0 && Double.isFinite(ratio) ? ratio : DEFAULT;
        } catch (RuntimeException e) {
            return DEFAULT;
        }
    }
}
