package io.jettyspeed.sink.poison;

import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.schemas.DeadLetterReason;
import java.net.ConnectException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.postgresql.util.ServerErrorMessage;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.CannotCreateTransactionException;

class FailuresTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "22021", // invalid byte sequence: a NUL in text
            "22003", // numeric value out of range
            "22008", // datetime field overflow: a timestamp PostgreSQL cannot store
            "22P02", // invalid text representation
            "22001", // string too long for the column
            "23502", // not null
            "23503", // foreign key
            "23505", // unique
            "23514", // check constraint
            "21000", // one statement touching a row twice: splitting the batch resolves it
            "54000", // index row too large
            "44000"  // WITH CHECK OPTION
    })
    void shouldTreatDataAndConstraintErrorsAsARefusedRecord(String sqlState) {
        // when
        Failures.Failure failure = Failures.classify(server(sqlState, "refused", null));

        // then
        assertThat(failure.kind()).isEqualTo(Failures.Kind.REJECTED);
        assertThat(failure.reason()).isEqualTo(DeadLetterReason.DATABASE_REJECTED);
        assertThat(failure.sqlState()).isEqualTo(sqlState);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "08006", // connection failure
            "08001", // cannot connect
            "08003", // connection does not exist
            "57P01", // admin shutdown
            "57P02", // crash shutdown
            "57P03", // cannot connect now (starting up)
            "57014", // statement cancelled / timeout
            "53300", // too many connections
            "53100", // disk full
            "40001", // serialization failure
            "40P01", // deadlock
            "55P03", // lock not available
            "58030", // I/O error
            "XX000", // internal error
            "42P01", // undefined table: a deployment problem, not the record's fault
            "42703", // undefined column
            "25P02"  // in failed transaction
    })
    void shouldTreatConnectionResourceAndConflictErrorsAsAnOutage(String sqlState) {
        // when
        Failures.Failure failure = Failures.classify(server(sqlState, "unavailable", null));

        // then
        assertThat(failure.kind()).isEqualTo(Failures.Kind.OUTAGE);
        assertThat(failure.sqlState()).isEqualTo(sqlState);
    }

    @Test
    void shouldDescribeARefusedRowWithPostgresMessageAndDetailFoundBehindSpringAndABatchUpdate() {
        // given: what JdbcTemplate.batchUpdate throws for a multi-row statement PostgreSQL refused
        PSQLException server = server("23514",
                "new row for relation \"upload_sessions\" violates check constraint \"upload_sessions_sizes_not_negative\"",
                "Failing row contains (sess-1, -1).");
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 INSERT INTO upload_sessions ... was aborted",
                "23514", 0, new int[0], server);
        batch.setNextException(server);
        var translated = new DataIntegrityViolationException("PreparedStatementCallback; SQL [...]", batch);

        // when
        Failures.Failure failure = Failures.classify(translated);

        // then
        assertThat(failure.rejected()).isTrue();
        assertThat(failure.sqlState()).isEqualTo("23514");
        assertThat(failure.description()).isEqualTo(
                "new row for relation \"upload_sessions\" violates check constraint \"upload_sessions_sizes_not_negative\""
                        + " (Failing row contains (sess-1, -1).)");
        assertThat(failure.exceptionClass()).isEqualTo(PSQLException.class.getName());
    }

    @Test
    void shouldFindTheServerErrorChainedAsTheNextExceptionOfABatch() {
        // given: pgjdbc chains the server's error as the next exception, without a cause
        BatchUpdateException batch = new BatchUpdateException("Batch entry 3 was aborted", null, 0, new int[0]);
        batch.setNextException(server("22021", "invalid byte sequence for encoding \"UTF8\": 0x00", null));

        // when
        Failures.Failure failure = Failures.classify(new UncategorizedSQLException("batch", "INSERT", batch));

        // then
        assertThat(failure.rejected()).isTrue();
        assertThat(failure.sqlState()).isEqualTo("22021");
        assertThat(failure.description()).isEqualTo("invalid byte sequence for encoding \"UTF8\": 0x00");
    }

    @Test
    void shouldTreatAConnectionAcquisitionTimeoutWithoutSqlStateAsAnOutage() {
        // given: Hikari's "Connection is not available, request timed out" as Spring reports it
        var timeout = new SQLTransientConnectionException("HikariPool-1 - Connection is not available, request timed out after 5000ms");

        // when / then
        assertThat(Failures.classify(new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection", timeout)).kind())
                .isEqualTo(Failures.Kind.OUTAGE);
        assertThat(Failures.classify(new CannotCreateTransactionException("Could not open JDBC Connection", timeout)).kind())
                .isEqualTo(Failures.Kind.OUTAGE);
        assertThat(Failures.classify(new PSQLException("Connection to localhost:5432 refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT,
                new ConnectException("Connection refused"))).kind()).isEqualTo(Failures.Kind.OUTAGE);
        assertThat(Failures.classify(new SQLException("closed")).kind()).isEqualTo(Failures.Kind.OUTAGE);
    }

    @Test
    void shouldTreatAnExceptionATableWriterThrowsOnItsRecordsAsAProcessingError() {
        // when
        Failures.Failure failure = Failures.classify(new NullPointerException("plan is null"));

        // then
        assertThat(failure.rejected()).isTrue();
        assertThat(failure.reason()).isEqualTo(DeadLetterReason.PROCESSING_ERROR);
        assertThat(failure.sqlState()).isNull();
        assertThat(failure.description()).isEqualTo("plan is null");
    }

    @Test
    void shouldCutAVeryLongDetail() {
        // when
        Failures.Failure failure = Failures.classify(server("54000", "index row size 8016 exceeds btree version 4 maximum 2704",
                "Failing row contains (" + "x".repeat(10_000) + ")."));

        // then
        assertThat(failure.description()).hasSize(Failures.MAX_DESCRIPTION + 1).startsWith("index row size 8016");
    }

    private static PSQLException server(String sqlState, String message, String detail) {
        return new PSQLException(new ServerErrorMessage("SERROR\0C" + sqlState + "\0M" + message + "\0"
                + (detail == null ? "" : "D" + detail + "\0")));
    }
}
