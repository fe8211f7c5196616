package io.jettyspeed.schemas.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Names of static group members ({@code group.instance.id}), shared by the processors and the sink.
 *
 * <p>A static member that restarts under the same name gets its partitions back without a
 * rebalance, and a killed one is replaced at once rather than after its session times out. The
 * default name is the host name: a Kubernetes StatefulSet pod ({@code stream-processors-0}) and a
 * developer's machine keep it across restarts. Two live processes must never share a name (the
 * broker fences the older one), so a Deployment, whose pods get new names, loses the benefit but
 * stays correct.
 */
public final class StaticMembership {

    private StaticMembership() {
    }

    /** The host name: {@code HOSTNAME} when set (containers, pods), else what the resolver says. */
    public static String hostName() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && isValidInstanceId(fromEnvironment)) {
            return fromEnvironment;
        }
        try {
            String resolved = InetAddress.getLocalHost().getHostName();
            return isValidInstanceId(resolved) ? resolved : "localhost";
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /**
     * Whether a name may be an instance id: letters, digits, {@code . _ -}, at most 200 characters
     * (it gets the topology and thread appended and must stay readable in {@code describeConsumerGroups}).
     */
    public static boolean isValidInstanceId(String instanceId) {
        return instanceId != null && instanceId.length() <= 200 && instanceId.matches("[A-Za-z0-9._-]+");
    }
}
