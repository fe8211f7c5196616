package io.jettyspeed.gateway.security;

import java.util.EnumSet;
import javax.sql.DataSource;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The fixed admin key of the local run ({@code spring.profiles.active=local} only): stored (hashed)
 * at start-up so that the seed's curl calls work out of the box. Outside the local profile this
 * bean does not exist and {@link ApiKeyAuthenticator} refuses the key even if a local run left it
 * in the database. The launcher prints {@link #value()}; the gateway never logs it.
 */
@Component
@Profile("local")
@DependsOnDatabaseInitialization
public class LocalDevKey implements InitializingBean {

    public static final String KEY_ID = "local";
    public static final String VALUE = "ac_local_jettyspeeddevkey0000000000";

    private final DataSource dataSource;

    public LocalDevKey(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void afterPropertiesSet() throws Exception {
        new ApiKeyRepository(dataSource).save(VALUE, EnumSet.of(Scope.ADMIN), null,
                "Local development key (local profile only)", 10_000, true);
    }

    /** The key to print for the developer. */
    public String value() {
        return VALUE;
    }
}
