package io.jettyspeed.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measured window of one side of a comparison: how many events it completed in how long, and
 * the CPU every process spent meanwhile.
 *
 * @param label   what the side is ("single-event POST", "raw KafkaProducer", ...)
 * @param events  events (records, rows, requests) completed in the window
 * @param seconds length of the window
 * @param cpu     CPU used by each process and the machine during the window
 */
public record Side(String label, long events, double seconds, CpuMeter.Usage cpu) {

    /** Events per second. */
    public double rate() {
        return seconds <= 0 ? Double.NaN : events / seconds;
    }

    /** CPU nanoseconds per event of one process (0 when it did not run, NaN without events). */
    public double cpuNanosPerEvent(String process) {
        return events == 0 ? Double.NaN : cpu.byProcess().getOrDefault(process, 0L) / (double) events;
    }

    /** CPU nanoseconds per event of all our processes together. */
    public double totalCpuNanosPerEvent() {
        return events == 0 ? Double.NaN : cpu.ourNanos() / (double) events;
    }

    /**
     * The same window without a process that only stood by (the other side's JVM of row 3, idle
     * while this side works): it no longer counts in this side's totals or CPU table line.
     */
    public Side without(String process) {
        Map<String, Long> rest = new LinkedHashMap<>(cpu.byProcess());
        rest.remove(process);
        return new Side(label, events, seconds, new CpuMeter.Usage(rest, cpu.machineBusyNanos(), cpu.seconds()));
    }

    /** CPU microseconds per event by process, in the meter's order. */
    public Map<String, Double> cpuMicrosPerEventByProcess() {
        Map<String, Double> micros = new LinkedHashMap<>();
        cpu.byProcess().keySet().forEach(p -> micros.put(p, cpuNanosPerEvent(p) / 1000));
        return micros;
    }
}
