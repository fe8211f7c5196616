package io.jettyspeed.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.jettyspeed.gateway.GatewayApplication;
import io.jettyspeed.processors.StreamProcessorsApplication;
import io.jettyspeed.sink.SinkApplication;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Kubernetes and Compose manifests agree with the services as built: parsed by a real Kubernetes
 * model (fabric8) as strictly as the API server would, then checked against each service's own settings
 * ({@link ServiceSettings}). Each check also has a test that breaks a copy of the real manifest and
 * expects the failure, so a check that stopped checking would show.
 */
class ManifestsTest {

    static final Map<String, ServiceSettings> SERVICES = services();
    static final Set<String> TOOLS_ENV = Repository.toolsEnv();
    static final String K8S = Repository.read("deploy/k8s/jettyspeed.yaml");
    static final String COMPOSE = Repository.read("deploy/compose/compose.yaml");
    /** The Kafka release of the in-process broker and the clients; the containers run the same. */
    static final String KAFKA_IMAGE = "apache/kafka:" + AppInfoParser.getVersion();

    static Map<String, ServiceSettings> services() {
        Map<String, ServiceSettings> services = new TreeMap<>();
        for (ServiceSettings service : List.of(
                ServiceSettings.of(GatewayApplication.CONFIG_NAME, "io.jettyspeed.gateway"),
                ServiceSettings.of(StreamProcessorsApplication.CONFIG_NAME, "io.jettyspeed.processors"),
                ServiceSettings.of(SinkApplication.CONFIG_NAME, "io.jettyspeed.sink"))) {
            services.put(service.name(), service);
        }
        return services;
    }

    static List<String> kubernetesProblems(String yaml) {
        return KubernetesManifests.problems(KubernetesManifests.parse("test", yaml), SERVICES, TOOLS_ENV, Repository.imageUser());
    }

    static List<String> composeProblems(String yaml) {
        return ComposeManifest.problems(ComposeManifest.parse(yaml), SERVICES, TOOLS_ENV, KAFKA_IMAGE, "postgres:15");
    }

    static String replace(String text, String from, String to) {
        assertThat(text).as("the manifest still contains what the test breaks").contains(from);
        return text.replace(from, to);
    }

    // ---- the services' settings as read

    @Test
    void shouldReadEachServicesPortsProbesAndEnvironmentFromItsOwnConfiguration() {
        assertThat(SERVICES).containsOnlyKeys("api-gateway", "stream-processors", "sink-postgres");
        assertThat(SERVICES.get("api-gateway").serverPort()).isEqualTo(8080);
        assertThat(SERVICES.get("stream-processors").serverPort()).isEqualTo(8081);
        assertThat(SERVICES.get("sink-postgres").serverPort()).isEqualTo(8082);
        assertThat(SERVICES.values()).allMatch(ServiceSettings::probesEnabled);
        assertThat(SERVICES.get("api-gateway").requiredEnv())
                .containsExactlyInAnyOrder("KAFKA_BOOTSTRAP_SERVERS", "JETTY_DB_URL", "JETTY_DB_USER", "JETTY_DB_PASSWORD");
        assertThat(SERVICES.get("stream-processors").requiredEnv()).containsExactly("KAFKA_BOOTSTRAP_SERVERS");
        // placeholders, relaxed names of bound properties and of maps
        assertThat(SERVICES.get("stream-processors").reads("JETTY_PROCESSORS_STANDBY_REPLICAS")).isTrue();
        assertThat(SERVICES.get("stream-processors").reads("JETTY_PROCESSORS_STREAMS_MAX_POLL_INTERVAL_MS")).isTrue();
        assertThat(SERVICES.get("api-gateway").reads("JETTY_GATEWAY_MAXBATCHSIZE")).isTrue();
        assertThat(SERVICES.get("api-gateway").reads("SPRING_KAFKA_PRODUCER_PROPERTIES_LINGER_MS")).isTrue();
        assertThat(SERVICES.get("stream-processors").reads("JETTY_DB_URL")).isFalse();
        assertThat(TOOLS_ENV).contains("KAFKA_BOOTSTRAP_SERVERS", "JETTY_REPLICATION_FACTOR", "JETTY_MIN_INSYNC_REPLICAS");
    }

    // ---- Kubernetes

    @Test
    void shouldParseEveryKubernetesManifestIntoTheTypedModel() {
        List<HasMetadata> all = new ArrayList<>();
        for (Path file : Repository.files("deploy/k8s", ".yaml")) {
            all.addAll(KubernetesManifests.parse(file.getFileName().toString(), Repository.read("deploy/k8s/" + file.getFileName())));
        }

        assertThat(all).extracting(HasMetadata::getKind)
                .contains("ConfigMap", "Secret", "Job", "Deployment", "StatefulSet", "Service");
    }

    @Test
    void shouldFindTheKubernetesManifestsInAgreementWithTheServices() {
        List<HasMetadata> all = new ArrayList<>();
        for (Path file : Repository.files("deploy/k8s", ".yaml")) {
            all.addAll(KubernetesManifests.parse(file.getFileName().toString(), Repository.read("deploy/k8s/" + file.getFileName())));
        }

        assertThat(KubernetesManifests.problems(all, SERVICES, TOOLS_ENV, Repository.imageUser())).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifestsKubernetesRefuses")
    void shouldRefuseWhatKubernetesWouldRefuse(String what, String from, String to, String message) {
        String broken = replace(K8S, from, to);

        assertThatThrownBy(() -> KubernetesManifests.parse("broken", broken))
                .isInstanceOf(KubernetesManifests.Invalid.class)
                .hasMessageContaining(message);
    }

    static Stream<Arguments> manifestsKubernetesRefuses() {
        return Stream.of(
                Arguments.of("an unknown field anywhere in a manifest",
                        "          readinessProbe: {httpGet: {path: /actuator/health/readiness, port: 8082}",
                        "          readinesProbe: {httpGet: {path: /actuator/health/readiness, port: 8082}",
                        "StatefulSet/sink-postgres.spec.template.spec.containers[0]: [readinesProbe]"),
                Arguments.of("a field at the wrong level",
                        "  serviceName: stream-processors\n", "  serviceName: stream-processors\n  fsGroup: 10001\n",
                        "StatefulSet/stream-processors.spec: [fsGroup]"),
                Arguments.of("a wrong type",
                        "  replicas: 2\n  selector: {matchLabels: {app: api-gateway}}",
                        "  replicas: two\n  selector: {matchLabels: {app: api-gateway}}",
                        "Integer"),
                // kubectl refuses an unquoted env value; Jackson alone would quietly make it "1"
                Arguments.of("a number where Kubernetes wants a string",
                        "{name: JETTY_PROCESSORS_STANDBY_REPLICAS, value: \"1\"}",
                        "{name: JETTY_PROCESSORS_STANDBY_REPLICAS, value: 1}",
                        "Cannot coerce Integer value (1) to `java.lang.String`"),
                Arguments.of("an unknown kind", "kind: StatefulSet", "kind: StatefullSet",
                        "unknown kind apps/v1 StatefullSet"));
    }

    @Test
    void shouldCatchAnEnvNameThatTheServiceDoesNotRead() {
        String broken = replace(K8S, "            - {name: JETTY_PROCESSORS_STANDBY_REPLICAS, value: \"1\"}\n",
                "            - {name: JETTY_PROCESSORS_STANDBY_REPLICAS, value: \"1\"}\n"
                        + "            - {name: JETTY_PROCESSOR_STREAM_THREADS, value: \"2\"}\n");

        assertThat(kubernetesProblems(broken)).containsExactly("StatefulSet/stream-processors/stream-processors: sets "
                + "JETTY_PROCESSOR_STREAM_THREADS, which stream-processors does not read");
    }

    @Test
    void shouldCatchDatabaseSettingsGivenToTheProcessorsWhichHaveNoDatabase() {
        // as the manifest was: one ConfigMap with the database settings for every service
        String broken = replace(K8S, "          envFrom: [{configMapRef: {name: jettyspeed-kafka}}]\n          readinessProbe: {httpGet: {path: /actuator/health/readiness, port: 8081}",
                "          envFrom: [{configMapRef: {name: jettyspeed-kafka}}, {configMapRef: {name: jettyspeed-db}}]\n          readinessProbe: {httpGet: {path: /actuator/health/readiness, port: 8081}");

        assertThat(kubernetesProblems(broken)).containsExactlyInAnyOrder(
                "StatefulSet/stream-processors/stream-processors: sets JETTY_DB_URL, which stream-processors does not read",
                "StatefulSet/stream-processors/stream-processors: sets JETTY_DB_USER, which stream-processors does not read");
    }

    @Test
    void shouldCatchAServiceMissingWhatItNeedsOrGettingItsPasswordFromAConfigMap() {
        String instanceId = "          env:\n            - {name: JETTY_SINK_INSTANCE_ID, valueFrom: {fieldRef: {fieldPath: metadata.name}}}\n";
        String broken = replace(K8S, instanceId + "          envFrom: [{configMapRef: {name: jettyspeed-kafka}}, {configMapRef: {name: jettyspeed-db}}, {secretRef: {name: jettyspeed-db}}]\n          readinessProbe: {httpGet: {path: /actuator/health/readiness, port: 8082}",
                instanceId + "            - {name: JETTY_DB_PASSWORD, value: secret}\n          envFrom: [{configMapRef: {name: jettyspeed-db}}]\n          readinessProbe: {httpGet: {path: /actuator/health/readiness, port: 8082}");

        assertThat(kubernetesProblems(broken)).containsExactlyInAnyOrder(
                "StatefulSet/sink-postgres/sink-postgres: does not set KAFKA_BOOTSTRAP_SERVERS (sink-postgres needs it; its default is local)",
                "StatefulSet/sink-postgres/sink-postgres: JETTY_DB_PASSWORD must come from a Secret");
    }

    @Test
    void shouldCatchProbesAndScrapingOnAnotherPortOrPathThanTheService() {
        String broken = replace(replace(K8S, "livenessProbe: {httpGet: {path: /actuator/health/liveness, port: 8082}",
                "livenessProbe: {httpGet: {path: /actuator/health/liveness, port: 8080}"),
                "prometheus.io/path: /actuator/prometheus, prometheus.io/port: \"8081\"",
                "prometheus.io/path: /metrics, prometheus.io/port: \"8081\"");

        assertThat(kubernetesProblems(broken)).containsExactlyInAnyOrder(
                "StatefulSet/sink-postgres/sink-postgres livenessProbe: port 8080 is not the service's port 8082",
                "StatefulSet/stream-processors/stream-processors: annotation prometheus.io/path is /metrics, expected /actuator/prometheus");
    }

    @Test
    void shouldCatchAContainerPortAndAServiceTargetThatAreNotTheServicesPort() {
        String broken = replace(replace(K8S, "ports: [{name: http, containerPort: 8080}]", "ports: [{name: http, containerPort: 80}]"),
                "ports: [{name: http, port: 80, targetPort: 8080}]", "ports: [{name: http, port: 80, targetPort: web}]");

        assertThat(kubernetesProblems(broken)).contains(
                "Deployment/api-gateway/api-gateway: containerPorts [80] lack the service's port 8080",
                "Service/api-gateway: targetPort web is no container port of Deployment/api-gateway");
    }

    @Test
    void shouldCatchAStatefulSetWithoutItsHeadlessServiceOrWritableVolumes() {
        String broken = replace(replace(K8S, "  clusterIP: None\n", ""), "      securityContext: {fsGroup: 10001}\n", "");

        assertThat(kubernetesProblems(broken)).containsExactlyInAnyOrder(
                "StatefulSet/stream-processors: serviceName stream-processors names no headless Service",
                "StatefulSet/sink-postgres: serviceName sink-postgres names no headless Service",
                "StatefulSet/stream-processors: volumes must be writable by the image's user 10001 (securityContext.fsGroup 10001)");
    }

    @Test
    void shouldCatchTopicsCreatedBelowProductionReplication() {
        String broken = replace(K8S, "{name: JETTY_MIN_INSYNC_REPLICAS, value: \"2\"}", "{name: JETTY_MIN_INSYNC_REPLICAS, value: \"1\"}");

        assertThat(kubernetesProblems(broken)).containsExactly("Job/jettyspeed-topics/topics: replication factor 3 / "
                + "min.insync.replicas 1; production needs at least 3 / 2 (and min ISR below the factor)");
    }

    // ---- Compose

    @Test
    void shouldFindTheComposeFileInAgreementWithTheServices() {
        assertThat(composeProblems(COMPOSE)).isEmpty();
    }

    @Test
    void shouldCatchComposeGivingTheProcessorsSettingsTheyDoNotReadAndMissingTheTopics() {
        // as the file was: one shared environment for every service, and no topic creation
        String broken = replace(replace(COMPOSE, "    environment:\n      KAFKA_BOOTSTRAP_SERVERS: kafka:9092\n    deploy: {replicas: 2}",
                "    environment:\n      KAFKA_BOOTSTRAP_SERVERS: kafka:9092\n      JETTY_DB_URL: jdbc:postgresql://postgres:5432/jettyspeed\n    deploy: {replicas: 2}"),
                "    build: {context: ../.., dockerfile: deploy/Dockerfile, args: {SERVICE: tools}}\n", "    image: busybox\n");

        assertThat(composeProblems(broken)).contains(
                "stream-processors: sets JETTY_DB_URL, which stream-processors does not read",
                "no service runs the tools image's `topics`; Kafka's auto-creation is false");
    }

    @Test
    void shouldCatchComposeHealthChecksPortsAndCredentialsThatDisagree() {
        String broken = replace(replace(replace(COMPOSE, "http://localhost:8082/actuator/health/readiness", "http://localhost:8080/actuator/health"),
                "ports: [\"8082:8082\"]", "ports: [\"8082:8080\"]"),
                "      JETTY_DB_USER: postgres\n      JETTY_DB_PASSWORD: ${POSTGRES_PASSWORD:-jettyspeed}\n    ports: [\"8080:8080\"]",
                "      JETTY_DB_USER: postgres\n      JETTY_DB_PASSWORD: secret\n    ports: [\"8080:8080\"]");

        assertThat(composeProblems(broken)).containsExactlyInAnyOrder(
                "api-gateway: JETTY_DB_PASSWORD differs from postgres's POSTGRES_PASSWORD",
                "sink-postgres: publishes container port 8080, the service listens on 8082",
                "sink-postgres: healthcheck [CMD, curl, -fsS, -o, /dev/null, http://localhost:8080/actuator/health] does not ask "
                        + "http://localhost:8082/actuator/health/readiness");
    }

    @Test
    void shouldCatchComposeTopicsAtAReplicationOneBrokerCannotHold() {
        String broken = replace(COMPOSE, "      JETTY_REPLICATION_FACTOR: 1\n", "      JETTY_REPLICATION_FACTOR: 3\n");

        assertThat(composeProblems(broken)).containsExactly(
                "topics: replication factor 3 / min.insync.replicas 1 with 1 broker(s): the topics cannot be created");
    }

    @Test
    void shouldRunTheKafkaReleaseTheProjectPinsInCompose() {
        String broken = replace(COMPOSE, "image: " + KAFKA_IMAGE, "image: apache/kafka:3.9.0");

        assertThat(composeProblems(broken)).containsExactly(
                "kafka: image apache/kafka:3.9.0, expected the Kafka the project pins: " + KAFKA_IMAGE);
    }
}
