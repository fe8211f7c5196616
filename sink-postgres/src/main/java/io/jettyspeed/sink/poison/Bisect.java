package io.jettyspeed.sink.poison;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes a batch whose one-statement write was refused, finding the records that are refused on
 * their own: the batch is written in halves, each under a savepoint, and a half that fails is split
 * again until a single record fails alone. Halves are written in order, each against the state the
 * earlier ones left, so the result is the one the whole batch would have given without its refused
 * records (latest-state upserts still end on the last good version; a sum that overflows only
 * together with earlier rows is found too). With {@code k} refused records among {@code n} it takes
 * about {@code 2k·log2(n)} statements; the common path (nothing refused) never comes here.
 *
 * <p>An outage met on the way is not a refusal: it is thrown, and the caller rolls the whole
 * transaction back and retries.
 */
public final class Bisect {

    /** Savepoints of the current transaction. */
    public interface Savepoints {

        Object create();

        void rollbackTo(Object savepoint);

        void release(Object savepoint);
    }

    /** A record that failed on its own, and why. */
    public record Rejected<T>(T item, Failures.Failure failure) {
    }

    private Bisect() {
    }

    /**
     * Writes {@code items} with {@code write}, each part under a savepoint, and returns the records
     * refused on their own, in order.
     *
     * @throws RuntimeException the first failure that is an outage ({@link Failures#classify})
     */
    public static <T> List<Rejected<T>> write(List<T> items, Consumer<List<T>> write, Savepoints savepoints) {
        List<Rejected<T>> rejected = new ArrayList<>();
        write(items, write, savepoints, rejected);
        return rejected;
    }

    private static <T> void write(List<T> items, Consumer<List<T>> write, Savepoints savepoints,
            List<Rejected<T>> rejected) {
        if (items.isEmpty()) {
            return;
        }
        Object savepoint = savepoints.create();
        try {
            write.accept(items);
            savepoints.release(savepoint);
            return;
        } catch (RuntimeException e) {
            Failures.Failure failure = Failures.classify(e);
            if (!failure.rejected()) {
                throw e;
            }
            savepoints.rollbackTo(savepoint);
            savepoints.release(savepoint);
            if (items.size() == 1) {
                rejected.add(new Rejected<>(items.get(0), failure));
                return;
            }
        }
        int middle = items.size() / 2;
        write(items.subList(0, middle), write, savepoints, rejected);
        write(items.subList(middle, items.size()), write, savepoints, rejected);
    }
}
