package io.jettyspeed.gateway.security;

import java.io.PrintStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Creates, revokes and lists API keys in the database named by {@code JETTY_DB_URL},
 * {@code JETTY_DB_USER} and {@code JETTY_DB_PASSWORD}; migrates the schema first.
 *
 * <pre>
 * create --scopes client --user usr_1 [--plan starter|pro|business] [--rps 100] [--description text]
 * revoke &lt;keyId&gt;
 * list
 * </pre>
 *
 * A new key is printed once and only its SHA-256 is stored.
 */
public final class ApiKeyTool {

    static final String USAGE = """
            usage: ApiKeyTool create --scopes client|edge|analyst|admin[,...] [--user <userId>] [--plan starter|pro|business] [--rps <n>] [--description <text>]
                   ApiKeyTool revoke <keyId>
                   ApiKeyTool list
            environment: JETTY_DB_URL (default jdbc:postgresql://localhost:5432/jettyspeed), JETTY_DB_USER (postgres), JETTY_DB_PASSWORD""";

    private final ApiKeyRepository repository;
    private final PrintStream out;

    ApiKeyTool(ApiKeyRepository repository, PrintStream out) {
        this.repository = repository;
        this.out = out;
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        String url = env.getOrDefault("JETTY_DB_URL", "jdbc:postgresql://localhost:5432/jettyspeed");
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url);
        dataSource.setUser(env.getOrDefault("JETTY_DB_USER", "postgres"));
        dataSource.setPassword(env.getOrDefault("JETTY_DB_PASSWORD", ""));
        try {
            System.exit(run(dataSource, args, System.out, System.err));
        } catch (RuntimeException e) {
            System.err.println("error: " + e.getMessage() + " (database " + url + ")");
            System.exit(2);
        }
    }

    /** Runs one command; returns the process exit code. */
    static int run(DataSource dataSource, String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println(USAGE);
            return 64;
        }
        try {
            Flyway.configure().dataSource(dataSource).load().migrate();
            return new ApiKeyTool(new ApiKeyRepository(dataSource), out).command(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 64;
        } catch (SQLException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
    }

    int command(String[] args) throws SQLException {
        return switch (args[0]) {
            case "create" -> create(Arrays.copyOfRange(args, 1, args.length));
            case "revoke" -> revoke(Arrays.copyOfRange(args, 1, args.length));
            case "list" -> list();
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        };
    }

    private int create(String[] args) throws SQLException {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        String user = null;
        int rps = 100;
        String description = "";
        String plan = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--scopes" -> {
                    for (String scope : value.split(",")) {
                        try {
                            scopes.add(Scope.fromDb(scope));
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException("unknown scope " + scope);
                        }
                    }
                }
                case "--user" -> {
                    if (!io.jettyspeed.gateway.text.Text.isId(value)) {
                        throw new IllegalArgumentException(
                                "--user must be 1-128 letters, digits or _ . : @ - and start with a letter or digit");
                    }
                    user = value;
                }
                case "--rps" -> {
                    try {
                        rps = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--rps must be a whole number");
                    }
                    if (rps < 1) {
                        throw new IllegalArgumentException("--rps must be at least 1");
                    }
                }
                case "--description" -> {
                    if (value.length() > 500 || io.jettyspeed.gateway.text.Text.firstForbidden(value, false) >= 0) {
                        throw new IllegalArgumentException(
                                "--description must be at most 500 characters without control characters");
                    }
                    description = value;
                }
                case "--plan" -> {
                    plan = value.toUpperCase(java.util.Locale.ROOT);
                    if (!Set.of("STARTER", "PRO", "BUSINESS").contains(plan)) {
                        throw new IllegalArgumentException("--plan must be starter, pro or business");
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("--scopes is required");
        }
        if (scopes.contains(Scope.CLIENT) && user == null) {
            throw new IllegalArgumentException("a client key acts for one user: --user is required");
        }
        if (plan != null && user == null) {
            throw new IllegalArgumentException("--plan is the plan of the key's user: --user is required");
        }
        String key = ApiKeys.generate();
        repository.save(key, scopes, user, description, rps, false);
        if (plan != null) {
            repository.savePlan(user, plan);
        }
        out.println("Created key " + ApiKeys.keyId(key).orElseThrow() + " (scopes "
                + scopes.stream().map(Scope::dbName).collect(Collectors.joining(",")) + (user == null ? "" : ", user " + user)
                + (plan == null ? "" : ", plan " + plan.toLowerCase(java.util.Locale.ROOT)) + ", " + rps + " requests/s).");
        out.println("It is shown only this once; store it now:");
        out.println(key);
        return 0;
    }

    private int revoke(String[] args) throws SQLException {
        if (args.length != 1) {
            throw new IllegalArgumentException("revoke takes one key id");
        }
        if (repository.revoke(args[0])) {
            out.println("Revoked key " + args[0] + " (gateways stop accepting it within their key cache TTL).");
            return 0;
        }
        out.println("No active key " + args[0] + ".");
        return 1;
    }

    private int list() throws SQLException {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%-14s %-20s %-14s %6s %-8s %s", "KEY_ID", "SCOPES", "USER", "RPS", "STATE", "DESCRIPTION"));
        for (StoredKey key : repository.list()) {
            lines.add(String.format("%-14s %-20s %-14s %6d %-8s %s", key.keyId(),
                    key.scopes().stream().map(Scope::dbName).sorted().collect(Collectors.joining(",")),
                    key.userId() == null ? "-" : key.userId(), key.requestsPerSecond(),
                    key.revoked() ? "revoked" : "active", key.description()));
        }
        lines.forEach(out::println);
        return 0;
    }
}
