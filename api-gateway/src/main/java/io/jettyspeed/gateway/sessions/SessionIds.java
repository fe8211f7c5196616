package io.jettyspeed.gateway.sessions;

import io.jettyspeed.gateway.GatewayProperties;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Assigns the id of every new upload session; a client never chooses one (a {@code start} that
 * names a {@code sessionId} is refused). The id cannot be guessed from anything public, so no user
 * can take, block or report on another user's session before it exists:
 *
 * <ul>
 *   <li>a start without a client {@code eventId} gets 128 random bits from {@link SecureRandom};
 *   <li>a start with one gets {@code HMAC-SHA256(key, userId, eventId)} cut to 128 bits, so that a
 *       retried start (same user, same eventId) names the same session rather than opening a second.
 * </ul>
 *
 * <p>The key is {@code jetty.gateway.session-id-key} ({@code JETTY_SESSION_ID_KEY}); every gateway
 * instance of a deployment must share it for a retry through another instance to get the same id.
 * Without one, a random key is generated at start-up (and a warning logged): retries through the
 * same instance still get the same id, retries across instances or restarts get a new session.
 */
@Component
public class SessionIds {

    public static final String PREFIX = "sess_";

    private static final Logger log = LoggerFactory.getLogger(SessionIds.class);
    private static final int ID_BYTES = 16;

    private final SecureRandom random = new SecureRandom();
    private final ThreadLocal<Mac> macs;

    @Autowired
    public SessionIds(GatewayProperties properties) {
        this(keyOf(properties.sessionIdKey()));
    }

    SessionIds(byte[] key) {
        SecretKeySpec spec = new SecretKeySpec(key, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(spec);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
            }
        });
    }

    /** The id of a new session: derived from {@code (userId, clientEventId)} when the client sent an eventId, else random. */
    public String newSessionId(String userId, String clientEventId) {
        byte[] id = new byte[ID_BYTES];
        if (clientEventId == null) {
            random.nextBytes(id);
        } else {
            Mac mac = macs.get();
            mac.update(lengthPrefixed(userId));
            mac.update(lengthPrefixed(clientEventId));
            System.arraycopy(mac.doFinal(), 0, id, 0, ID_BYTES);
        }
        return PREFIX + HexFormat.of().formatHex(id);
    }

    private static byte[] lengthPrefixed(String value) {
        byte[] bytes = (value == null ? "" : value).getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + bytes.length).putInt(bytes.length).put(bytes).array();
    }

    private static byte[] keyOf(String configured) {
        if (configured != null && !configured.isBlank()) {
            return configured.getBytes(StandardCharsets.UTF_8);
        }
        byte[] generated = new byte[32];
        new SecureRandom().nextBytes(generated);
        log.warn("No jetty.gateway.session-id-key (JETTY_SESSION_ID_KEY) is configured: generated one for this "
                + "process. A retried track-upload start gets the same session id only through this instance "
                + "until it restarts; set the same key on every gateway instance to make retries stable.");
        return generated;
    }
}
