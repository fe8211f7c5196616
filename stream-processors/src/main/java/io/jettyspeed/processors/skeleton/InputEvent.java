package io.jettyspeed.processors.skeleton;

import io.jettyspeed.processors.errors.SourceValue;

/**
 * One input an {@link EventProcessor} applies to its aggregate. Each processor declares a sealed
 * interface over the inputs it accepts (for example {@code EdgeObservation} permits a probe sample
 * and a chunk outcome), so its stream is typed and the compiler knows every kind that can arrive.
 */
public interface InputEvent extends SourceValue {

    /** The id the event is deduplicated by; prefixed by its kind where two kinds share one id space. */
    String eventId();

    /** When the event happened (ms since the epoch); the late check and the dedup window use it. */
    long eventTime();
}
