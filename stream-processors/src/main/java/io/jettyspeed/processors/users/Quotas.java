package io.jettyspeed.processors.users;

import io.jettyspeed.schemas.Plan;

/** Storage quota per plan, in decimal gigabytes (10^9 bytes) as plans are sold. */
public final class Quotas {

    public static final long GB = 1_000_000_000L;

    private Quotas() {
    }

    public static long quotaBytes(Plan plan) {
        return switch (plan) {
            case STARTER -> 2 * GB;
            case PRO -> 20 * GB;
            case BUSINESS -> 100 * GB;
        };
    }
}
