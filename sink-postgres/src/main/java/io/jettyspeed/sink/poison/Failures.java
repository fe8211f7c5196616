package io.jettyspeed.sink.poison;

import io.jettyspeed.schemas.DeadLetterReason;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;

/**
 * Tells a record that PostgreSQL (or a table writer) refuses from a database that cannot be used.
 *
 * <p>A refused record is poison: it is found, dead-lettered and the rest of its batch goes on. An
 * outage (the database is down, unreachable, out of connections, shutting down, a lock or
 * serialization conflict, or our own SQL being wrong for the schema) is retried with back-off and
 * never costs a record. The decision is made on the SQLSTATE wherever there is one:
 *
 * <ul>
 *   <li>{@code 22} data exception (a NUL byte in text 22021, a number or timestamp out of range
 *       22003/22008, ...), {@code 23} integrity constraint (not null, foreign key, unique, check),
 *       {@code 54} program limit (an index row or array too large for one value), {@code 44} check
 *       option, and {@code 21} cardinality (one statement touching a row twice: splitting resolves
 *       it) are about the rows;</li>
 *   <li>everything else is about the database: {@code 08} connection, {@code 53} resources,
 *       {@code 57} operator intervention (57P01-57P03 shutdown, 57014 timeout), {@code 40}
 *       serialization failure and deadlock, {@code 55} lock not available, {@code 58}/{@code XX}
 *       system errors, and {@code 42} (a table or column missing: a deployment problem, not the
 *       record's fault, so it must stall rather than dead-letter every record).</li>
 * </ul>
 *
 * <p>Without a SQLSTATE, any JDBC, I/O, Spring data-access or transaction exception in the chain
 * (a connection-acquisition timeout, for instance) is an outage; any other exception was thrown by
 * a table writer on the records it was given, and is poison with reason {@code PROCESSING_ERROR}.
 */
public final class Failures {

    /** SQLSTATE classes that say something about the rows, never about the database. */
    private static final Set<String> ROW_CLASSES = Set.of("21", "22", "23", "44", "54");

    /** PostgreSQL's message is the description; a very long detail (a whole failing row) is cut. */
    static final int MAX_DESCRIPTION = 2_000;

    private Failures() {
    }

    /** What a failure means for the records that were being written. */
    public enum Kind {
        /** The records are refused: dead-letter the one that fails on its own, write the rest. */
        REJECTED,
        /** The database cannot be used: keep the records and retry. */
        OUTAGE
    }

    /**
     * A classified failure.
     *
     * @param kind           refused records or an outage
     * @param reason         the dead-letter reason of a refused record ({@code DATABASE_REJECTED}
     *                       with a SQLSTATE, {@code PROCESSING_ERROR} without)
     * @param sqlState       the SQLSTATE, if the database answered with one
     * @param description    PostgreSQL's message (with its detail), or the exception's
     * @param exceptionClass the class of the exception that carries it
     */
    public record Failure(Kind kind, DeadLetterReason reason, String sqlState, String description,
            String exceptionClass) {

        public boolean rejected() {
            return kind == Kind.REJECTED;
        }
    }

    public static Failure classify(Throwable failure) {
        List<Throwable> chain = chain(failure);
        PSQLException server = null;
        SQLException firstWithState = null;
        SQLException firstSql = null;
        for (Throwable t : chain) {
            if (t instanceof SQLException sql) {
                firstSql = firstSql == null ? sql : firstSql;
                if (firstWithState == null && sql.getSQLState() != null) {
                    firstWithState = sql;
                }
                if (server == null && sql instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
                    server = psql;
                }
            }
        }
        String state = server != null && server.getSQLState() != null ? server.getSQLState()
                : firstWithState == null ? null : firstWithState.getSQLState();
        Throwable carrier = server != null ? server : firstWithState != null ? firstWithState
                : firstSql != null ? firstSql : failure;
        String description = server != null ? describe(server.getServerErrorMessage()) : message(carrier);
        String exceptionClass = carrier.getClass().getName();
        if (state != null && state.length() >= 2) {
            Kind kind = ROW_CLASSES.contains(state.substring(0, 2)) ? Kind.REJECTED : Kind.OUTAGE;
            return new Failure(kind, DeadLetterReason.DATABASE_REJECTED, state, description, exceptionClass);
        }
        boolean infrastructure = chain.stream().anyMatch(t -> t instanceof SQLException || t instanceof IOException
                || t instanceof DataAccessException || t instanceof TransactionException);
        return new Failure(infrastructure ? Kind.OUTAGE : Kind.REJECTED, DeadLetterReason.PROCESSING_ERROR, null,
                description, exceptionClass);
    }

    /** The causes of a failure and, for a JDBC batch, the errors chained to it, in order, each once. */
    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            chain.add(t);
            if (t instanceof SQLException sql) {
                for (SQLException next = sql.getNextException(); next != null && seen.add(next);
                        next = next.getNextException()) {
                    chain.add(next);
                }
            }
        }
        return chain;
    }

    private static String describe(ServerErrorMessage server) {
        String message = server.getMessage() == null ? server.toString() : server.getMessage();
        String text = server.getDetail() == null ? message : message + " (" + server.getDetail() + ")";
        return cut(text);
    }

    private static String message(Throwable t) {
        return cut(t.getMessage() == null ? t.toString() : t.getMessage());
    }

    private static String cut(String text) {
        return text.length() <= MAX_DESCRIPTION ? text : text.substring(0, MAX_DESCRIPTION) + "…";
    }
}
