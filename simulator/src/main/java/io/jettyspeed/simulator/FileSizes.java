package io.jettyspeed.simulator;

import java.util.Random;

/**
 * Sizes of uploaded files: log-normal, as file sizes are, with a median of 24 MiB and σ = 2.2, so
 * that most uploads are a few MB, one in twenty is under a megabyte and about one in twenty is near
 * a gigabyte; clamped to 4 KiB .. 8 GiB.
 */
public final class FileSizes {

    public static final long MIN = 4 * 1024L;
    public static final long MAX = 8L * 1024 * 1024 * 1024;
    static final double MEDIAN = 24 * 1024 * 1024;
    static final double SIGMA = 2.2;

    private FileSizes() {
    }

    public static long next(Random random) {
        double size = MEDIAN * Math.exp(random.nextGaussian() * SIGMA);
        return Math.max(MIN, Math.min(MAX, Math.round(size)));
    }
}
