package io.jettyspeed.gateway.state;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Documents an endpoint whose reads honour {@code Prefer: wait=<seconds>} ({@link FreshReads}). */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Parameter(in = ParameterIn.HEADER, name = "Prefer", description = FreshReads.PREFER_DESCRIPTION, example = "wait=5")
public @interface PreferWait {
}
