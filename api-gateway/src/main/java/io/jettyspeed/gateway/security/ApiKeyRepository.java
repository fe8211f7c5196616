package io.jettyspeed.gateway.security;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The {@code api_keys} table over plain JDBC, shared by the gateway and the {@link ApiKeyTool} CLI.
 */
public class ApiKeyRepository {

    /** The key's row and, for a key acting for a user, that user's plan (it sets the quota). */
    private static final String COLUMNS = "k.key_id, k.key_hash, k.scopes, k.user_id, k.description,"
            + " k.requests_per_second, k.created_at, k.revoked_at, u.plan AS user_plan";
    private static final String FROM = " FROM api_keys k LEFT JOIN users u ON u.user_id = k.user_id";

    private final DataSource dataSource;

    public ApiKeyRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<StoredKey> find(String keyId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + FROM + " WHERE k.key_id = ?")) {
            s.setString(1, keyId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    public List<StoredKey> list() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + FROM + " ORDER BY k.created_at, k.key_id");
                ResultSet rs = s.executeQuery()) {
            List<StoredKey> keys = new ArrayList<>();
            while (rs.next()) {
                keys.add(read(rs));
            }
            return keys;
        }
    }

    /**
     * Stores a key (its hash only). With {@code replace}, an existing row of the same id is
     * overwritten and un-revoked (the local dev key); otherwise a clash fails.
     */
    public void save(String key, Set<Scope> scopes, String userId, String description, int requestsPerSecond,
            boolean replace) throws SQLException {
        String keyId = ApiKeys.keyId(key).orElseThrow(() -> new IllegalArgumentException("malformed key"));
        String sql = "INSERT INTO api_keys (key_id, key_hash, scopes, user_id, description, requests_per_second) "
                + "VALUES (?, ?, ?, ?, ?, ?)"
                + (replace ? " ON CONFLICT (key_id) DO UPDATE SET key_hash = EXCLUDED.key_hash, scopes = EXCLUDED.scopes,"
                        + " user_id = EXCLUDED.user_id, description = EXCLUDED.description,"
                        + " requests_per_second = EXCLUDED.requests_per_second, revoked_at = NULL" : "");
        try (Connection c = dataSource.getConnection()) {
            if (userId != null) {
                try (PreparedStatement s = c.prepareStatement(
                        "INSERT INTO users (user_id) VALUES (?) ON CONFLICT (user_id) DO NOTHING")) {
                    s.setString(1, userId);
                    s.executeUpdate();
                }
            }
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, keyId);
                s.setBytes(2, ApiKeys.hash(key));
                s.setArray(3, c.createArrayOf("text", scopes.stream().map(Scope::dbName).sorted().toArray()));
                s.setString(4, userId);
                s.setString(5, description == null ? "" : description);
                s.setInt(6, requestsPerSecond);
                s.executeUpdate();
            }
        }
    }

    /** Marks a key revoked; false when there is no such unrevoked key. */
    public boolean revoke(String keyId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "UPDATE api_keys SET revoked_at = now() WHERE key_id = ? AND revoked_at IS NULL")) {
            s.setString(1, keyId);
            return s.executeUpdate() == 1;
        }
    }

    /** Sets a user's storage plan (STARTER, PRO or BUSINESS), creating the user if needed. */
    public void savePlan(String userId, String plan) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("INSERT INTO users (user_id, plan) VALUES (?, ?) "
                        + "ON CONFLICT (user_id) DO UPDATE SET plan = excluded.plan")) {
            s.setString(1, userId);
            s.setString(2, plan);
            s.executeUpdate();
        }
    }

    private static StoredKey read(ResultSet rs) throws SQLException {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        Array array = rs.getArray("scopes");
        for (Object scope : (Object[]) array.getArray()) {
            scopes.add(Scope.fromDb((String) scope));
        }
        Timestamp created = rs.getTimestamp("created_at");
        Timestamp revoked = rs.getTimestamp("revoked_at");
        return new StoredKey(rs.getString("key_id"), rs.getBytes("key_hash"), scopes, rs.getString("user_id"),
                rs.getString("description"), rs.getInt("requests_per_second"),
                created == null ? null : created.toInstant(), revoked == null ? null : revoked.toInstant(),
                rs.getString("user_plan"));
    }
}
