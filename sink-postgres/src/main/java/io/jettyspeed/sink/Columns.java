package io.jettyspeed.sink;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * The columns a table writer fills, in order, each with its PostgreSQL type and where its value
 * comes from in a record. From them the sink makes the two forms a batch travels in: PostgreSQL's
 * binary {@code COPY} format ({@link #copyBinary}), and for statements one array per column turned
 * back into rows by {@code unnest} ({@link #input}, {@link #arrays}).
 *
 * <p>A table that mirrors an Avro record names its columns and takes each value and type from the
 * record's field ({@link #fields}); the builder methods are for anything else.
 */
public final class Columns<V> {

    /** The PostgreSQL types the sink writes. */
    public enum Type {
        TEXT("text"), TEXT_ARRAY("text[]"), INT4("int"), INT8("bigint"), FLOAT8("float8"), TIMESTAMPTZ("timestamptz");

        private final String sql;

        Type(String sql) {
            this.sql = sql;
        }
    }

    private record Column<V>(String name, Type type, Function<V, ?> value) {
    }

    private static final byte[] COPY_SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    private static final int TEXT_OID = 25;
    /** 2000-01-01T00:00:00Z, PostgreSQL's timestamp epoch, in microseconds since the Unix epoch. */
    private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

    private final List<Column<V>> columns = new ArrayList<>();

    public Columns<V> text(String name, Function<V, String> value) {
        return add(name, Type.TEXT, value);
    }

    public Columns<V> textArray(String name, Function<V, List<String>> value) {
        return add(name, Type.TEXT_ARRAY, value);
    }

    public Columns<V> int4(String name, Function<V, Integer> value) {
        return add(name, Type.INT4, value);
    }

    public Columns<V> int8(String name, Function<V, Long> value) {
        return add(name, Type.INT8, value);
    }

    public Columns<V> float8(String name, Function<V, Double> value) {
        return add(name, Type.FLOAT8, value);
    }

    public Columns<V> timestamptz(String name, Function<V, Instant> value) {
        return add(name, Type.TIMESTAMPTZ, value);
    }

    /**
     * The columns of a table that mirrors an Avro record, in order: each is the record's field of
     * the same name in camelCase ({@code file_hash} is {@code fileHash}), or the field named after
     * an {@code =} where the table calls it otherwise ({@code "file_size_bytes=fileSize"}). The
     * PostgreSQL type follows the field's Avro type (an optional field's non-null branch): string
     * and enum (written as its name) text, int int4, long int8, timestamp-millis timestamptz,
     * double float8, array of strings text[].
     */
    public static <V extends SpecificRecord> Columns<V> fields(Schema record, String... columns) {
        Columns<V> result = new Columns<>();
        for (String column : columns) {
            int rename = column.indexOf('=');
            String name = rename < 0 ? column : column.substring(0, rename);
            String fieldName = rename < 0 ? camelCase(name) : column.substring(rename + 1);
            Schema.Field field = record.getField(fieldName);
            if (field == null) {
                throw new IllegalArgumentException(record.getName() + " has no field " + fieldName + " for column " + name);
            }
            int position = field.pos();
            Schema schema = nonNull(field.schema());
            Function<V, ?> value = schema.getType() == Schema.Type.ENUM
                    ? row -> row.get(position) == null ? null : ((Enum<?>) row.get(position)).name()
                    : row -> row.get(position);
            result.add(name, type(record, field, schema), value);
        }
        return result;
    }

    private static String camelCase(String column) {
        StringBuilder name = new StringBuilder();
        for (String word : column.split("_")) {
            name.append(name.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1));
        }
        return name.toString();
    }

    private static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        List<Schema> branches = schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
        return branches.size() == 1 ? branches.get(0) : schema;
    }

    private static Type type(Schema record, Schema.Field field, Schema schema) {
        return switch (schema.getType()) {
            case STRING, ENUM -> Type.TEXT;
            case INT -> Type.INT4;
            case LONG -> schema.getLogicalType() instanceof LogicalTypes.TimestampMillis ? Type.TIMESTAMPTZ : Type.INT8;
            case DOUBLE -> Type.FLOAT8;
            case ARRAY -> {
                if (schema.getElementType().getType() != Schema.Type.STRING) {
                    throw unsupported(record, field);
                }
                yield Type.TEXT_ARRAY;
            }
            default -> throw unsupported(record, field);
        };
    }

    private static IllegalArgumentException unsupported(Schema record, Schema.Field field) {
        return new IllegalArgumentException(record.getName() + "." + field.name() + " is " + field.schema()
                + ", which the sink does not write");
    }

    private Columns<V> add(String name, Type type, Function<V, ?> value) {
        columns.add(new Column<>(name, type, value));
        return this;
    }

    /** The values of text column {@code name}, e.g. a writer's key. */
    @SuppressWarnings("unchecked")
    Function<V, String> textValue(String name) {
        Column<V> column = columns.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no column " + name));
        if (column.type() != Type.TEXT) {
            throw new IllegalArgumentException("column " + name + " is " + column.type().sql + ", not text");
        }
        return (Function<V, String>) column.value();
    }

    /** The column names, comma-separated, in order. */
    public String names() {
        return columns.stream().map(Column::name).collect(Collectors.joining(", "));
    }

    /**
     * The rows in PostgreSQL's binary {@code COPY} format: signature, flags and header extension,
     * then per row the field count and each field as length and network-order bytes (-1 for
     * NULL), then -1. PostgreSQL checks each value as it receives it, as it would a statement's.
     */
    public byte[] copyBinary(List<V> rows) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(rows.size() * 24 * columns.size() + 32);
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(COPY_SIGNATURE);
            out.writeInt(0);
            out.writeInt(0);
            for (V row : rows) {
                out.writeShort(columns.size());
                for (Column<V> column : columns) {
                    write(out, column.type(), column.value().apply(row));
                }
            }
            out.writeShort(-1);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(DataOutputStream out, Type type, Object value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        switch (type) {
            case TEXT -> {
                byte[] utf8 = ((String) value).getBytes(StandardCharsets.UTF_8);
                out.writeInt(utf8.length);
                out.write(utf8);
            }
            case TEXT_ARRAY -> textArray(out, (List<?>) value);
            case INT4 -> {
                out.writeInt(4);
                out.writeInt((Integer) value);
            }
            case INT8 -> {
                out.writeInt(8);
                out.writeLong((Long) value);
            }
            case FLOAT8 -> {
                out.writeInt(8);
                out.writeDouble((Double) value);
            }
            case TIMESTAMPTZ -> {
                out.writeInt(8);
                out.writeLong(postgresMicros((Instant) value));
            }
        }
    }

    /** A one-dimensional {@code text[]}: dimensions, a has-nulls flag, the element type, then the elements. */
    private static void textArray(DataOutputStream out, List<?> values) throws IOException {
        List<byte[]> elements = new ArrayList<>(values.size());
        int length = values.isEmpty() ? 12 : 20;
        boolean nulls = false;
        for (Object value : values) {
            byte[] utf8 = value == null ? null : ((String) value).getBytes(StandardCharsets.UTF_8);
            nulls |= utf8 == null;
            elements.add(utf8);
            length += 4 + (utf8 == null ? 0 : utf8.length);
        }
        out.writeInt(length);
        out.writeInt(values.isEmpty() ? 0 : 1);
        out.writeInt(nulls ? 1 : 0);
        out.writeInt(TEXT_OID);
        if (!values.isEmpty()) {
            out.writeInt(values.size());
            out.writeInt(1);
        }
        for (byte[] element : elements) {
            if (element == null) {
                out.writeInt(-1);
            } else {
                out.writeInt(element.length);
                out.write(element);
            }
        }
    }

    /**
     * Microseconds since 2000-01-01. An instant whose microseconds do not fit in 64 bits is sent as
     * a value just inside them, which PostgreSQL refuses like any timestamp beyond its range
     * ({@code 22008}), so such a record is dead-lettered for the same reason a statement gives.
     */
    static long postgresMicros(Instant instant) {
        try {
            long micros = Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
            return Math.subtractExact(micros, PG_EPOCH_MICROS);
        } catch (ArithmeticException e) {
            return instant.getEpochSecond() > 0 ? Long.MAX_VALUE - 1 : Long.MIN_VALUE + 1;
        }
    }

    /**
     * A relation of the batch's rows for a statement: {@code unnest} of one array parameter per
     * column, timestamps travelling as epoch milliseconds. Its columns have the names and types
     * declared here; bind it with {@link #arrays}.
     */
    public String input() {
        String select = columns.stream()
                .map(c -> c.type() == Type.TIMESTAMPTZ ? "to_timestamp(" + c.name() + " / 1000.0) AS " + c.name() : c.name())
                .collect(Collectors.joining(", "));
        String parameters = columns.stream()
                .map(c -> c.type() == Type.TIMESTAMPTZ ? "?::bigint[]" : "?::" + c.type().sql + "[]")
                .collect(Collectors.joining(", "));
        return "(SELECT " + select + " FROM unnest(" + parameters + ") AS t(" + names() + "))";
    }

    /** The parameters of {@link #input}: one array per column. */
    public Object[] arrays(List<V> rows) {
        Object[] arrays = new Object[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            Column<V> column = columns.get(c);
            Object[] values = switch (column.type()) {
                case TEXT -> new String[rows.size()];
                case INT4 -> new Integer[rows.size()];
                case INT8, TIMESTAMPTZ -> new Long[rows.size()];
                case FLOAT8 -> new Double[rows.size()];
                case TEXT_ARRAY -> throw new IllegalStateException(
                        "array column " + column.name() + ": write this table with COPY, not a statement");
            };
            for (int r = 0; r < rows.size(); r++) {
                Object value = column.value().apply(rows.get(r));
                values[r] = value instanceof Instant instant ? (Object) instant.toEpochMilli() : value;
            }
            arrays[c] = values;
        }
        return arrays;
    }
}
