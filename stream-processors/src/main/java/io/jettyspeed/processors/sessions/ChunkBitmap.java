package io.jettyspeed.processors.sessions;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Completed chunks as bits: bit i (least significant first) of byte i/8 is chunk i. Grows as needed. */
public final class ChunkBitmap {

    private ChunkBitmap() {
    }

    public static ByteBuffer set(ByteBuffer bitmap, int index) {
        byte[] bytes = toBytes(bitmap);
        if (index / 8 >= bytes.length) {
            bytes = java.util.Arrays.copyOf(bytes, index / 8 + 1);
        }
        bytes[index / 8] |= (byte) (1 << (index % 8));
        return ByteBuffer.wrap(bytes);
    }

    public static boolean isSet(ByteBuffer bitmap, int index) {
        byte[] bytes = toBytes(bitmap);
        return index / 8 < bytes.length && (bytes[index / 8] & (1 << (index % 8))) != 0;
    }

    public static int count(ByteBuffer bitmap) {
        int count = 0;
        for (byte b : toBytes(bitmap)) {
            count += Integer.bitCount(b & 0xff);
        }
        return count;
    }

    /** Missing chunk ranges [from, to] (inclusive) of a file with {@code totalChunks} chunks, for resume. */
    public static List<int[]> missingRanges(ByteBuffer bitmap, int totalChunks) {
        List<int[]> ranges = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < totalChunks; i++) {
            boolean missing = !isSet(bitmap, i);
            if (missing && start < 0) {
                start = i;
            } else if (!missing && start >= 0) {
                ranges.add(new int[] {start, i - 1});
                start = -1;
            }
        }
        if (start >= 0) {
            ranges.add(new int[] {start, totalChunks - 1});
        }
        return ranges;
    }

    static byte[] toBytes(ByteBuffer bitmap) {
        if (bitmap == null) {
            return new byte[0];
        }
        ByteBuffer copy = bitmap.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
