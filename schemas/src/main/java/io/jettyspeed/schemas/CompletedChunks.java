package io.jettyspeed.schemas;

import java.util.ArrayList;
import java.util.List;

/**
 * The completed chunks of an upload session as sorted, disjoint, non-adjacent inclusive ranges
 * ({@link UploadSession#getCompletedChunkRanges()}).
 *
 * <p>Why ranges and not a bitmap: a session's state is rewritten (store, changelog, output topic)
 * on every chunk event, so its size is the per-event cost. A bitmap grows with the number of
 * chunks, which makes an upload quadratic in its chunk count; ranges stay one or a few entries for
 * the way clients upload (in order, a few in parallel). A hostile client could still fragment them
 * (every other chunk), so their number is capped at {@link #MAX_RANGES}: a chunk that would open
 * one more range is refused (the processors dead-letter it), which bounds every session record.
 */
public final class CompletedChunks {

    /** Most chunks one file may have; with {@link #MAX_RANGES} it bounds every session record to a few KB. */
    public static final int MAX_CHUNKS_PER_FILE = 100_000;

    /** Most separate completed ranges one session may have. */
    public static final int MAX_RANGES = 1_000;

    private CompletedChunks() {
    }

    /** The outcome of adding one completed chunk. */
    public enum Added {
        /** The chunk is now part of the ranges. */
        ADDED,
        /** It was already completed; nothing changed. */
        ALREADY_COMPLETED,
        /** It would open range number {@link #MAX_RANGES} + 1; nothing changed. */
        TOO_FRAGMENTED
    }

    /** Whether {@code index} can be added to {@code ranges} without exceeding {@link #MAX_RANGES}. */
    public static Added check(List<ChunkRange> ranges, int index) {
        int at = search(ranges, index);
        if (at >= 0) {
            return Added.ALREADY_COMPLETED;
        }
        int insert = -at - 1;
        boolean joinsPrevious = insert > 0 && ranges.get(insert - 1).getTo() == index - 1;
        boolean joinsNext = insert < ranges.size() && ranges.get(insert).getFrom() == index + 1;
        if (!joinsPrevious && !joinsNext && ranges.size() >= MAX_RANGES) {
            return Added.TOO_FRAGMENTED;
        }
        return Added.ADDED;
    }

    /**
     * The ranges with {@code index} added (a new list; the argument is not changed). Returns the
     * argument itself when the chunk was already completed or the ranges are too fragmented
     * ({@link #check} tells which).
     */
    public static List<ChunkRange> add(List<ChunkRange> ranges, int index) {
        if (index < 0) {
            throw new IllegalArgumentException("chunk index must not be negative: " + index);
        }
        if (check(ranges, index) != Added.ADDED) {
            return ranges;
        }
        int insert = -search(ranges, index) - 1;
        boolean joinsPrevious = insert > 0 && ranges.get(insert - 1).getTo() == index - 1;
        boolean joinsNext = insert < ranges.size() && ranges.get(insert).getFrom() == index + 1;
        List<ChunkRange> next = new ArrayList<>(ranges.size() + 1);
        next.addAll(ranges.subList(0, joinsPrevious ? insert - 1 : insert));
        int from = joinsPrevious ? ranges.get(insert - 1).getFrom() : index;
        int to = joinsNext ? ranges.get(insert).getTo() : index;
        next.add(new ChunkRange(from, to));
        next.addAll(ranges.subList(joinsNext ? insert + 1 : insert, ranges.size()));
        return next;
    }

    public static boolean contains(List<ChunkRange> ranges, int index) {
        return search(ranges, index) >= 0;
    }

    /** How many chunks the ranges hold. */
    public static int count(List<ChunkRange> ranges) {
        int count = 0;
        for (ChunkRange range : ranges) {
            count += range.getTo() - range.getFrom() + 1;
        }
        return count;
    }

    /** The chunks of a file of {@code totalChunks} chunks that are not completed, as ranges. */
    public static List<ChunkRange> missing(List<ChunkRange> ranges, int totalChunks) {
        List<ChunkRange> missing = new ArrayList<>();
        int next = 0;
        for (ChunkRange range : ranges) {
            if (range.getFrom() >= totalChunks) {
                break;
            }
            if (range.getFrom() > next) {
                missing.add(new ChunkRange(next, range.getFrom() - 1));
            }
            next = Math.max(next, range.getTo() + 1);
        }
        if (next < totalChunks) {
            missing.add(new ChunkRange(next, totalChunks - 1));
        }
        return missing;
    }

    /** Index of the range holding {@code index}, or {@code -(insertion point) - 1} when none does. */
    private static int search(List<ChunkRange> ranges, int index) {
        int low = 0;
        int high = ranges.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            ChunkRange range = ranges.get(mid);
            if (range.getTo() < index) {
                low = mid + 1;
            } else if (range.getFrom() > index) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -(low + 1);
    }
}
