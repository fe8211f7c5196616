package io.jettyspeed.gateway.state;

import java.util.ArrayList;
import java.util.List;

/** Turns a completed-chunk bitmap into the ranges of chunks still missing, for resume. */
public final class ChunkRanges {

    /** An inclusive range of chunk indexes. */
    public record Range(int from, int to) {
    }

    private ChunkRanges() {
    }

    /** Bit {@code i} of the bitmap (byte {@code i / 8}, bit {@code i % 8}, least significant first) means chunk i is done. */
    public static List<Range> missing(java.nio.ByteBuffer bitmap, int totalChunks) {
        java.nio.ByteBuffer copy = bitmap.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return missing(bytes, totalChunks);
    }

    public static List<Range> missing(byte[] bitmap, int totalChunks) {
        List<Range> ranges = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < totalChunks; i++) {
            boolean done = i / 8 < bitmap.length && (bitmap[i / 8] & (1 << (i % 8))) != 0;
            if (!done && start < 0) {
                start = i;
            } else if (done && start >= 0) {
                ranges.add(new Range(start, i - 1));
                start = -1;
            }
        }
        if (start >= 0) {
            ranges.add(new Range(start, totalChunks - 1));
        }
        return ranges;
    }
}
