package io.jettyspeed.gateway.validation;

import io.jettyspeed.gateway.GatewayProperties;
import io.jettyspeed.gateway.security.Caller;
import io.jettyspeed.gateway.security.Scope;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * How every endpoint that takes a JSON body starts reading it: the caller's scope first (a key that
 * may not call the endpoint gets 403 whatever it sent), then the strict parse, then the fields,
 * whose problems collect in the reader's {@link Checks} until the endpoint calls
 * {@link Checks#throwIfAny()}.
 */
@Component
public class JsonRequests {

    private final GatewayProperties properties;

    public JsonRequests(GatewayProperties properties) {
        this.properties = properties;
    }

    /** The body's root object, once the caller holds one of {@code allowed} to {@code what}. */
    public FieldReader read(byte[] body, Caller caller, String what, Scope... allowed) {
        caller.require(what, allowed);
        Checks checks = Checks.forRequest(caller, properties);
        return FieldReader.root(StrictJson.parseObject(body), checks);
    }

    /** The elements of a batch: 1 to {@code jetty.gateway.max-batch-size} objects. */
    public List<FieldReader> batch(FieldReader root, String name) {
        return root.objects(name, 1, properties.maxBatchSize());
    }
}
