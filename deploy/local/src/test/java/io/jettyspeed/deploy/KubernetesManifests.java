package io.jettyspeed.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * Kubernetes manifests read into fabric8's typed model and checked against what the services read.
 *
 * <p>{@link #parse} is as strict as the API server: a wrong type fails (and, unlike Jackson's default,
 * so does a number or boolean where Kubernetes wants a string, e.g. an env {@code value: 1} or an
 * annotation {@code true}), an unknown field fails (fabric8 keeps those in {@code additionalProperties},
 * which is searched throughout), and so does an unknown kind (fabric8 would make it a
 * {@code GenericKubernetesResource}). {@link #problems} then compares the typed objects with the
 * services' settings.
 */
final class KubernetesManifests {

    /** A manifest that the API server would refuse. */
    static final class Invalid extends RuntimeException {
        Invalid(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Kinds {@link #problems} knows how to check; any other kind is itself a problem, not silently passed. */
    static final Set<String> CHECKED_KINDS = Set.of("ConfigMap", "Secret", "Service", "Deployment", "StatefulSet", "Job");

    private static final KubernetesSerialization STRICT = new KubernetesSerialization(JsonMapper.builder()
            .withCoercionConfig(LogicalType.Textual, config -> config
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build(), true);

    private KubernetesManifests() {
    }

    /** Every document of a (multi-document) YAML manifest as a typed resource. */
    static List<HasMetadata> parse(String source, String yaml) {
        Object parsed;
        try {
            parsed = STRICT.unmarshal(yaml);
        } catch (RuntimeException e) {
            throw new Invalid(source + ": " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        List<?> documents = parsed instanceof List<?> list ? list : List.of(parsed);
        List<HasMetadata> resources = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (Object document : documents) {
            if (!(document instanceof HasMetadata resource)) {
                throw new Invalid(source + ": not a Kubernetes resource: " + document, null);
            }
            if (resource instanceof GenericKubernetesResource) {
                throw new Invalid(source + ": unknown kind " + resource.getApiVersion() + " " + resource.getKind()
                        + " (" + resource.getMetadata().getName() + ")", null);
            }
            unknownFields(resource, resource.getKind() + "/" + resource.getMetadata().getName(), unknown, 0);
            resources.add(resource);
        }
        if (!unknown.isEmpty()) {
            throw new Invalid(source + ": unknown fields: " + String.join("; ", unknown), null);
        }
        return resources;
    }

    /** fabric8 keeps fields it does not know in {@code additionalProperties}; any there is a typo or a wrong level. */
    private static void unknownFields(Object node, String path, List<String> found, int depth) {
        if (node == null || depth > 40) {
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> unknownFields(value, path + "[" + key + "]", found, depth + 1));
            return;
        }
        if (node instanceof Collection<?> collection) {
            int index = 0;
            for (Object value : collection) {
                unknownFields(value, path + "[" + index++ + "]", found, depth + 1);
            }
            return;
        }
        if (!node.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (IllegalAccessException | InvocationTargetException e) {
                found.add(path + "." + getter.getName() + ": " + (e.getCause() == null ? e : e.getCause()).getMessage());
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    found.add(path + ": " + extra.keySet());
                }
            } else {
                String field = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
                unknownFields(value, path + "." + field, found, depth + 1);
            }
        }
    }

    /** Everything in the manifests that disagrees with the services; empty when they agree. */
    static List<String> problems(List<HasMetadata> resources, Map<String, ServiceSettings> services,
            Set<String> toolsEnv, Long imageUser) {
        List<String> problems = new ArrayList<>();
        Map<String, ConfigMap> configMaps = new LinkedHashMap<>();
        Map<String, Secret> secrets = new LinkedHashMap<>();
        List<Service> kubeServices = new ArrayList<>();
        Map<String, Workload> workloads = new LinkedHashMap<>();
        for (HasMetadata resource : resources) {
            String name = resource.getMetadata().getName();
            if (!CHECKED_KINDS.contains(resource.getKind())) {
                problems.add(resource.getKind() + "/" + name + ": kind not checked by ManifestsTest; teach it this kind");
            }
            if (resource instanceof ConfigMap map) {
                configMaps.put(name, map);
            } else if (resource instanceof Secret secret) {
                secrets.put(name, secret);
            } else if (resource instanceof Service service) {
                kubeServices.add(service);
            } else if (resource instanceof Deployment d) {
                workloads.put("Deployment/" + name, new Workload("Deployment/" + name,
                        d.getSpec().getSelector().getMatchLabels(), d.getSpec().getTemplate(), null, false));
            } else if (resource instanceof StatefulSet s) {
                workloads.put("StatefulSet/" + name, new Workload("StatefulSet/" + name,
                        s.getSpec().getSelector().getMatchLabels(), s.getSpec().getTemplate(), s.getSpec().getServiceName(),
                        !s.getSpec().getVolumeClaimTemplates().isEmpty()));
            } else if (resource instanceof Job j) {
                workloads.put("Job/" + name, new Workload("Job/" + name, null, j.getSpec().getTemplate(), null, false));
            }
        }

        Set<String> deployed = new java.util.TreeSet<>();
        boolean topicsJob = false;
        for (Workload workload : workloads.values()) {
            PodTemplateSpec template = workload.template();
            Map<String, String> labels = template.getMetadata() == null ? Map.of() : template.getMetadata().getLabels();
            if (workload.selector() != null && !labels.entrySet().containsAll(workload.selector().entrySet())) {
                problems.add(workload.id() + ": selector " + workload.selector() + " does not match the pod labels " + labels);
            }
            if (workload.statefulVolumes() && imageUser != null) {
                var security = template.getSpec().getSecurityContext();
                if (security == null || !Objects.equals(security.getFsGroup(), imageUser)) {
                    problems.add(workload.id() + ": volumes must be writable by the image's user " + imageUser
                            + " (securityContext.fsGroup " + imageUser + ")");
                }
            }
            if (workload.serviceName() != null && kubeServices.stream().noneMatch(service ->
                    service.getMetadata().getName().equals(workload.serviceName())
                            && "None".equals(service.getSpec().getClusterIP()))) {
                problems.add(workload.id() + ": serviceName " + workload.serviceName() + " names no headless Service");
            }
            List<Container> containers = new ArrayList<>(template.getSpec().getInitContainers());
            containers.addAll(template.getSpec().getContainers());
            for (Container container : containers) {
                String where = workload.id() + "/" + container.getName();
                String module = module(container.getImage());
                Map<String, EnvSource> env = env(where, container, configMaps, secrets, problems);
                if ("tools".equals(module)) {
                    topicsJob |= container.getArgs().contains("topics");
                    checkTools(where, container, env, toolsEnv, problems);
                    continue;
                }
                ServiceSettings service = services.get(module);
                if (service == null) {
                    problems.add(where + ": image " + container.getImage() + " is none of " + services.keySet() + " or tools");
                    continue;
                }
                deployed.add(module);
                checkService(where, container, template, env, service, problems);
            }
        }
        if (!topicsJob) {
            problems.add("no workload runs `topics` with the tools image: nothing creates the topic catalogue");
        }
        if (!deployed.containsAll(services.keySet())) {
            problems.add("services without a workload: " + services.keySet().stream().filter(s -> !deployed.contains(s)).toList());
        }
        for (Service service : kubeServices) {
            checkKubeService(service, workloads.values(), problems);
        }
        return problems;
    }

    private record Workload(String id, Map<String, String> selector, PodTemplateSpec template, String serviceName,
            boolean statefulVolumes) {
    }

    /** Where an env var comes from: a literal, a ConfigMap or a Secret. */
    private record EnvSource(String value, boolean secret) {
    }

    private static Map<String, EnvSource> env(String where, Container container, Map<String, ConfigMap> configMaps,
            Map<String, Secret> secrets, List<String> problems) {
        Map<String, EnvSource> env = new LinkedHashMap<>();
        for (EnvFromSource from : container.getEnvFrom()) {
            String prefix = from.getPrefix() == null ? "" : from.getPrefix();
            ConfigMap map = from.getConfigMapRef() == null ? null
                    : defined(where, "ConfigMap", from.getConfigMapRef().getName(), configMaps, problems);
            if (map != null) {
                map.getData().forEach((key, value) -> env.put(prefix + key, new EnvSource(value, false)));
            }
            Secret secret = from.getSecretRef() == null ? null
                    : defined(where, "Secret", from.getSecretRef().getName(), secrets, problems);
            if (secret != null) {
                secret.getStringData().forEach((key, value) -> env.put(prefix + key, new EnvSource(value, true)));
                secret.getData().forEach((key, value) -> env.put(prefix + key, new EnvSource(null, true)));
            }
        }
        for (EnvVar var : container.getEnv()) {
            if (var.getValueFrom() != null && var.getValueFrom().getSecretKeyRef() != null) {
                var ref = var.getValueFrom().getSecretKeyRef();
                Secret secret = secrets.get(ref.getName());
                if (secret == null || !(secret.getStringData().containsKey(ref.getKey()) || secret.getData().containsKey(ref.getKey()))) {
                    problems.add(where + ": " + var.getName() + " refers to missing Secret key " + ref.getName() + "/" + ref.getKey());
                }
                env.put(var.getName(), new EnvSource(null, true));
            } else if (var.getValueFrom() != null && var.getValueFrom().getConfigMapKeyRef() != null) {
                var ref = var.getValueFrom().getConfigMapKeyRef();
                ConfigMap map = configMaps.get(ref.getName());
                if (map == null || !map.getData().containsKey(ref.getKey())) {
                    problems.add(where + ": " + var.getName() + " refers to missing ConfigMap key " + ref.getName() + "/" + ref.getKey());
                }
                env.put(var.getName(), new EnvSource(map == null ? null : map.getData().get(ref.getKey()), false));
            } else {
                // fieldRef (e.g. the pod name) or a literal
                env.put(var.getName(), new EnvSource(var.getValue(), false));
            }
        }
        return env;
    }

    /** The ConfigMap or Secret an {@code envFrom} names, or null and a problem when no manifest defines it. */
    private static <T> T defined(String where, String kind, String name, Map<String, T> all, List<String> problems) {
        T found = all.get(name);
        if (found == null) {
            problems.add(where + ": envFrom " + kind + " " + name + " is not defined");
        }
        return found;
    }

    private static void checkService(String where, Container container, PodTemplateSpec template,
            Map<String, EnvSource> env, ServiceSettings service, List<String> problems) {
        if (!container.getName().equals(service.name())) {
            problems.add(where + ": container name should be the service's name " + service.name());
        }
        env.keySet().stream().filter(name -> !service.reads(name)).forEach(name ->
                problems.add(where + ": sets " + name + ", which " + service.name() + " does not read"));
        service.requiredEnv().stream().filter(name -> !env.containsKey(name)).forEach(name ->
                problems.add(where + ": does not set " + name + " (" + service.name() + " needs it; its default is local)"));
        String password = service.passwordEnv();
        if (password != null && env.containsKey(password) && !env.get(password).secret()) {
            problems.add(where + ": " + password + " must come from a Secret");
        }
        int port = service.managementPort();
        List<Integer> containerPorts = container.getPorts().stream().map(ContainerPort::getContainerPort).toList();
        if (!containerPorts.contains(service.serverPort())) {
            problems.add(where + ": containerPorts " + containerPorts + " lack the service's port " + service.serverPort());
        }
        if (!service.probesEnabled()) {
            problems.add(where + ": " + service.name() + ".yml does not enable health probes"
                    + " (management.endpoint.health.probes.enabled)");
        }
        if (!service.exposedEndpoints().containsAll(Set.of("health", "prometheus"))) {
            problems.add(where + ": " + service.name() + ".yml exposes " + service.exposedEndpoints() + ", not health and prometheus");
        }
        String base = service.actuatorBasePath();
        checkProbe(where + " readinessProbe", container.getReadinessProbe(), base + "/health/readiness", port, container, problems);
        checkProbe(where + " livenessProbe", container.getLivenessProbe(), base + "/health/liveness", port, container, problems);
        Map<String, String> annotations = template.getMetadata() == null ? Map.of() : template.getMetadata().getAnnotations();
        Map<String, String> expected = Map.of("prometheus.io/scrape", "true", "prometheus.io/path", base + "/prometheus",
                "prometheus.io/port", String.valueOf(port));
        expected.forEach((key, value) -> {
            if (!value.equals(annotations.get(key))) {
                problems.add(where + ": annotation " + key + " is " + annotations.get(key) + ", expected " + value);
            }
        });
    }

    private static void checkProbe(String where, Probe probe, String path, int port, Container container, List<String> problems) {
        HTTPGetAction get = probe == null ? null : probe.getHttpGet();
        if (get == null) {
            problems.add(where + ": missing (httpGet " + path + " on " + port + ")");
            return;
        }
        if (!path.equals(get.getPath())) {
            problems.add(where + ": path " + get.getPath() + ", expected " + path);
        }
        Integer resolved = resolvePort(get.getPort(), List.of(container));
        if (!Objects.equals(resolved, port)) {
            problems.add(where + ": port " + get.getPort().getValue() + " is not the service's port " + port);
        }
    }

    private static void checkTools(String where, Container container, Map<String, EnvSource> env, Set<String> toolsEnv,
            List<String> problems) {
        env.keySet().stream().filter(name -> !toolsEnv.contains(name) && !name.equals("JAVA_TOOL_OPTIONS"))
                .forEach(name -> problems.add(where + ": sets " + name + ", which the tools do not read"));
        if (!env.containsKey("KAFKA_BOOTSTRAP_SERVERS")) {
            problems.add(where + ": does not set KAFKA_BOOTSTRAP_SERVERS");
        }
        // The production defaults of `jettyspeed topics` are 3 and 2; a cluster needs at least that.
        int factor = intOf(env.get("JETTY_REPLICATION_FACTOR"), 3);
        int minInsync = intOf(env.get("JETTY_MIN_INSYNC_REPLICAS"), 2);
        if (factor < 3 || minInsync < 2 || minInsync >= factor) {
            problems.add(where + ": replication factor " + factor + " / min.insync.replicas " + minInsync
                    + "; production needs at least 3 / 2 (and min ISR below the factor)");
        }
    }

    private static int intOf(EnvSource source, int fallback) {
        return source == null || source.value() == null ? fallback : Integer.parseInt(source.value().trim());
    }

    private static void checkKubeService(Service service, Collection<Workload> workloads, List<String> problems) {
        String where = "Service/" + service.getMetadata().getName();
        Map<String, String> selector = service.getSpec().getSelector();
        List<Workload> selected = workloads.stream().filter(workload -> workload.template().getMetadata() != null
                && workload.template().getMetadata().getLabels().entrySet().containsAll(selector.entrySet())).toList();
        if (selector.isEmpty() || selected.isEmpty()) {
            problems.add(where + ": selector " + selector + " selects no workload");
            return;
        }
        for (ServicePort port : service.getSpec().getPorts()) {
            IntOrString target = port.getTargetPort() == null ? new IntOrString(port.getPort()) : port.getTargetPort();
            for (Workload workload : selected) {
                if (resolvePort(target, workload.template().getSpec().getContainers()) == null) {
                    problems.add(where + ": targetPort " + target.getValue() + " is no container port of " + workload.id());
                }
            }
        }
    }

    /** A probe's or Service's port: a number that some container declares, or the name of one. */
    private static Integer resolvePort(IntOrString port, List<Container> containers) {
        if (port == null) {
            return null;
        }
        for (Container container : containers) {
            for (ContainerPort declared : container.getPorts()) {
                if (port.getValue() instanceof Integer number && number.equals(declared.getContainerPort())
                        || port.getValue() instanceof String name && name.equals(declared.getName())) {
                    return declared.getContainerPort();
                }
            }
        }
        return null;
    }

    /** {@code jettyspeed/api-gateway:0.1.0} → {@code api-gateway}. */
    static String module(String image) {
        String repository = image == null ? "" : image.replaceFirst("[:@].*$", "");
        return repository.substring(repository.lastIndexOf('/') + 1);
    }
}
