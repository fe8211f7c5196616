package io.jettyspeed.sink.poison;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jettyspeed.schemas.DeadLetterReason;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * The bisect against a fake table with real savepoint semantics: a write appends rows, a rollback
 * to a savepoint truncates back to it, and "PostgreSQL" refuses a statement as a whole.
 */
class BisectTest {

    /** A table of ints that refuses negative numbers and sums above a limit, statement by statement. */
    private static final class FakeTable implements Bisect.Savepoints {
        final List<Integer> rows = new ArrayList<>();
        final int sumLimit;
        int statements;
        int openSavepoints;

        FakeTable(int sumLimit) {
            this.sumLimit = sumLimit;
        }

        void write(List<Integer> values) {
            statements++;
            if (values.stream().anyMatch(v -> v < 0)) {
                throw refused("23514", "new row violates check constraint \"positive\"");
            }
            int sum = rows.stream().mapToInt(Integer::intValue).sum() + values.stream().mapToInt(Integer::intValue).sum();
            if (sum > sumLimit) {
                throw refused("22003", "integer out of range");
            }
            rows.addAll(values);
        }

        @Override
        public Object create() {
            openSavepoints++;
            return rows.size();
        }

        @Override
        public void rollbackTo(Object savepoint) {
            rows.subList((Integer) savepoint, rows.size()).clear();
        }

        @Override
        public void release(Object savepoint) {
            openSavepoints--;
        }
    }

    @Test
    void shouldWriteEveryGoodRecordInOrderAndRejectExactlyThePoison() {
        // given 1000 records, three of them refused by a check constraint
        FakeTable table = new FakeTable(Integer.MAX_VALUE);
        List<Integer> batch = IntStream.range(0, 1000).map(i -> i == 3 || i == 500 || i == 999 ? -i : i).boxed().toList();

        // when
        List<Bisect.Rejected<Integer>> rejected = Bisect.write(batch, table::write, table);

        // then
        assertThat(rejected).extracting(Bisect.Rejected::item).containsExactly(-3, -500, -999);
        assertThat(rejected).allSatisfy(r -> {
            assertThat(r.failure().sqlState()).isEqualTo("23514");
            assertThat(r.failure().reason()).isEqualTo(DeadLetterReason.DATABASE_REJECTED);
            assertThat(r.failure().description()).isEqualTo("new row violates check constraint \"positive\"");
        });
        assertThat(table.rows).isEqualTo(batch.stream().filter(v -> v >= 0).toList());
        assertThat(table.openSavepoints).isZero();
        // about 2k·log2(n) statements, not one per record
        assertThat(table.statements).isLessThan(3 * 2 * 10 + 1);
    }

    @Test
    void shouldFindARecordThatIsRefusedOnlyTogetherWithTheRowsWrittenBeforeIt() {
        // given a running sum that must stay within 10: the fourth record overflows it
        FakeTable table = new FakeTable(10);
        List<Integer> batch = List.of(3, 3, 3, 5, 1);

        // when
        List<Bisect.Rejected<Integer>> rejected = Bisect.write(batch, table::write, table);

        // then
        assertThat(rejected).extracting(Bisect.Rejected::item).containsExactly(5);
        assertThat(rejected.get(0).failure().sqlState()).isEqualTo("22003");
        assertThat(table.rows).containsExactly(3, 3, 3, 1);
    }

    @Test
    void shouldRejectEveryRecordWhenAllAreRefused() {
        // given
        FakeTable table = new FakeTable(Integer.MAX_VALUE);

        // when
        List<Bisect.Rejected<Integer>> rejected = Bisect.write(List.of(-1, -2, -3, -4, -5), table::write, table);

        // then
        assertThat(rejected).extracting(Bisect.Rejected::item).containsExactly(-1, -2, -3, -4, -5);
        assertThat(table.rows).isEmpty();
        assertThat(table.statements).isEqualTo(9);
    }

    @Test
    void shouldWriteACleanBatchWithOneStatement() {
        // given
        FakeTable table = new FakeTable(Integer.MAX_VALUE);

        // when
        List<Bisect.Rejected<Integer>> rejected = Bisect.write(List.of(1, 2, 3), table::write, table);

        // then
        assertThat(rejected).isEmpty();
        assertThat(table.statements).isEqualTo(1);
    }

    @Test
    void shouldThrowAnOutageInsteadOfRejectingRecords() {
        // given: the database goes away while the batch is being bisected
        FakeTable table = new FakeTable(Integer.MAX_VALUE);
        Consumer<List<Integer>> write = values -> {
            if (values.size() < 4) {
                throw new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection");
            }
            table.write(values);
        };

        // when / then
        assertThatThrownBy(() -> Bisect.write(List.of(1, 2, -3, 4), write, table))
                .isInstanceOf(CannotGetJdbcConnectionException.class);
    }

    @Test
    void shouldRejectARecordATableWriterThrowsOnAsAProcessingError() {
        // given a writer with a bug for one value
        FakeTable table = new FakeTable(Integer.MAX_VALUE);
        Consumer<List<Integer>> write = values -> {
            if (values.contains(7)) {
                throw new IllegalStateException("cannot map 7");
            }
            table.write(values);
        };

        // when
        List<Bisect.Rejected<Integer>> rejected = Bisect.write(List.of(5, 6, 7, 8), write, table);

        // then
        assertThat(rejected).singleElement().satisfies(r -> {
            assertThat(r.item()).isEqualTo(7);
            assertThat(r.failure().reason()).isEqualTo(DeadLetterReason.PROCESSING_ERROR);
        });
        assertThat(table.rows).containsExactly(5, 6, 8);
    }

    private static RuntimeException refused(String sqlState, String message) {
        return new DataIntegrityViolationException("statement", new PSQLException(
                new ServerErrorMessage("SERROR\0C" + sqlState + "\0M" + message + "\0")));
    }
}
