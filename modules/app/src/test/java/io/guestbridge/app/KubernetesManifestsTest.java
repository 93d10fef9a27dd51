package io.guestbridge.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.gson.annotations.SerializedName;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static io.guestbridge.app.RepositoryStandsAloneTest.repositoryRoot;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/k8s checked as a Kubernetes API server with strict field validation checks what it is given, without a
 * cluster: the built-in kinds against the Kubernetes API's own object models (io.kubernetes:client-java-api, generated
 * from the API's OpenAPI document: every field known, of its type, the required ones present), the MariaDB operator's
 * resources against the schemas of the operator's release the manifest names (test resources
 * k8s/mariadb-operator-26.6.0: an object's unknown field is refused, as the API server refuses it). And what no schema
 * sees: the Deployment starts the server as the launcher does and probes the health endpoints guestbridge serves, passes
 * only settings guestbridge reads, and names the database, users and secrets that mariadb-galera.yaml declares.
 */
class KubernetesManifestsTest {

    private static final Path K8S = repositoryRoot().resolve("deploy/k8s");
    private static final Path CRDS = Path.of("src/test/resources/k8s/mariadb-operator-26.6.0");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyResourceOfTheDeploymentIsValidForTheKubernetesApi() throws IOException {
        List<JsonNode> resources = resources(K8S.resolve("guestbridge.yaml"));
        assertEquals(Set.of("ConfigMap", "Deployment", "PodDisruptionBudget", "Service", "Ingress"), kinds(resources));
        assertEquals(List.of(), builtInErrors(resources));
    }

    @Test
    void everyResourceOfTheDatabaseIsValidForTheMariaDbOperatorsRelease() throws IOException {
        List<JsonNode> resources = resources(K8S.resolve("mariadb-galera.yaml"));
        assertEquals(Set.of("MariaDB", "Database", "User", "Grant", "PhysicalBackup"), kinds(resources));
        assertEquals(List.of(), operatorErrors(resources));
    }

    /** The checks can fail: each kind of mistake, made in a copy of the real manifests, is found and named by its path. */
    @Test
    void aMisspelledFieldAWrongTypeOrAMissingRequiredFieldIsFoundWhereItIs() throws IOException {
        List<JsonNode> app = resources(K8S.resolve("guestbridge.yaml"));
        JsonNode deployment = only(app, "Deployment");
        ObjectNode container = (ObjectNode) deployment.at("/spec/template/spec/containers/0");
        container.set("readinesProbe", container.remove("readinessProbe"));
        ((ObjectNode) container.at("/ports/0")).put("containerPort", "http");
        ((ObjectNode) container.at("/resources/limits")).put("memory", "2GB");
        ((ObjectNode) deployment.get("spec")).put("replicas", "three");
        ((ObjectNode) only(app, "Ingress").at("/spec/rules/0/http/paths/0")).remove("pathType");
        ((ObjectNode) only(app, "Service").get("metadata")).put("namespaces", "guestbridge");
        assertEquals(List.of(
                "Deployment/guestbridge spec.replicas: expected an integer, got STRING \"three\"",
                "Deployment/guestbridge spec.template.spec.containers[0].ports[0].containerPort: expected an integer, got STRING \"http\"",
                "Deployment/guestbridge spec.template.spec.containers[0].resources.limits.memory: expected a quantity, got \"2GB\"",
                "Deployment/guestbridge spec.template.spec.containers[0].readinesProbe: no such field of V1Container",
                "Service/guestbridge metadata.namespaces: no such field of V1ObjectMeta",
                "Ingress/guestbridge spec.rules[0].http.paths[0]: the required field pathType of V1HTTPIngressPath is missing"),
                builtInErrors(app));

        List<JsonNode> database = resources(K8S.resolve("mariadb-galera.yaml"));
        ObjectNode primary = (ObjectNode) only(database, "MariaDB").at("/spec/galera/primary");
        primary.set("automaticFailover", primary.remove("autoFailover"));
        ((ObjectNode) only(database, "MariaDB").at("/spec/updateStrategy")).put("type", "AllAtOnce");
        ((ObjectNode) only(database, "PhysicalBackup").get("spec")).remove("mariaDbRef");
        List<String> errors = operatorErrors(database);
        assertEquals(3, errors.size(), String.join("\n", errors));
        assertTrue(errors.get(0).startsWith("MariaDB/guestbridge-db") && errors.get(0).contains("automaticFailover"), errors.get(0));
        assertTrue(errors.get(1).startsWith("MariaDB/guestbridge-db") && errors.get(1).contains("/spec/updateStrategy/type"), errors.get(1));
        assertTrue(errors.get(2).startsWith("PhysicalBackup/guestbridge-nightly") && errors.get(2).contains("mariaDbRef"), errors.get(2));
    }

    @Test
    void theDeploymentStartsTheServerAsTheLauncherDoesAndProbesTheHealthGuestbridgeServes() throws IOException {
        List<JsonNode> app = resources(K8S.resolve("guestbridge.yaml"));
        JsonNode container = only(app, "Deployment").at("/spec/template/spec/containers/0");
        List<String> args = strings(container.get("args"));
        // Payara Micro's own clustering stays off and nothing calls home, as the launcher starts it; and the Hazelcast member
        // it starts anyway stays on loopback: the JVM names deploy/payara/hazelcast.xml, which server-settings.asadmin reads
        assertTrue(args.containsAll(List.of("--nocluster", "--disablephonehome")), args.toString());
        String jvm = "";
        for (JsonNode env : container.get("env")) {
            jvm = env.get("name").asText().equals("JVM_ARGS") ? env.get("value").asText() : jvm;
        }
        Matcher hazelcast = Pattern.compile("-Dguestbridge\\.hazelcast\\.config=(\\S+)").matcher(jvm);
        assertTrue(hazelcast.find(), "JVM_ARGS names the Hazelcast settings: " + jvm);
        assertTrue(Files.isRegularFile(repositoryRoot().resolve("deploy/payara").resolve(Path.of(hazelcast.group(1)).getFileName())), hazelcast.group(1));
        assertEquals("/", after(args, "--contextroot"));
        String port = after(args, "--port");
        JsonNode http = container.get("ports").get(0);
        assertEquals(port, http.get("containerPort").asText(), "the container port is the server's");
        // the image carries deploy/payara/server-settings.asadmin under the name the arguments give
        Path preboot = Path.of(after(args, "--prebootcommandfile"));
        assertTrue(Files.isRegularFile(repositoryRoot().resolve("deploy/payara").resolve(preboot.getFileName())), preboot.toString());
        assertEquals("/health/ready", container.at("/readinessProbe/httpGet/path").asText());
        assertEquals("/health/live", container.at("/livenessProbe/httpGet/path").asText());
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            assertEquals(http.get("name").asText(), container.at("/" + probe + "/httpGet/port").asText(), probe + " asks the server's port");
        }
        assertEquals(http.get("name").asText(), only(app, "Service").at("/spec/ports/0/targetPort").asText());
        // the key files it names are in the secret volume it mounts
        JsonNode settings = only(app, "ConfigMap").get("data");
        String mounted = container.at("/volumeMounts/0/mountPath").asText();
        for (String file : List.of("GUESTBRIDGE_MASTER_KEY_FILE", "AUDIT_SIGNING_KEY_FILE")) {
            assertEquals(Path.of(mounted), Path.of(settings.get(file).asText()).getParent(), file);
        }
    }

    /** A setting with a typo would be ignored without a word: every one the manifest passes is one the README documents. */
    @Test
    void everySettingTheDeploymentPassesIsOneGuestbridgeReads() throws IOException {
        List<JsonNode> app = resources(K8S.resolve("guestbridge.yaml"));
        Set<String> passed = new TreeSet<>();
        only(app, "ConfigMap").get("data").fieldNames().forEachRemaining(passed::add);
        for (JsonNode env : only(app, "Deployment").at("/spec/template/spec/containers/0/env")) {
            passed.add(env.get("name").asText());
        }
        // what the README writes as a setting, and each MicroProfile Config property in its environment form
        Set<String> documented = new HashSet<>();
        Matcher quoted = Pattern.compile("`([A-Za-z][A-Za-z0-9_.\\-]*)`").matcher(Files.readString(repositoryRoot().resolve("README.md")));
        while (quoted.find()) {
            documented.add(quoted.group(1).replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT));
        }
        // the container's own: the image's JVM options, and Hazelcast's call home (Payara Micro's runtime, not guestbridge)
        Set<String> runtime = Set.of("JVM_ARGS", "HZ_PHONE_HOME_ENABLED");
        List<String> unknown = passed.stream().filter(s -> !documented.contains(s) && !runtime.contains(s)).toList();
        assertEquals(List.of(), unknown, "settings guestbridge does not read");
    }

    /** The application's database settings name what mariadb-galera.yaml declares: its primary's Service, databases, users, secrets. */
    @Test
    void theDeploymentUsesTheDatabasesUsersAndSecretsTheDatabaseManifestDeclares() throws IOException {
        List<JsonNode> app = resources(K8S.resolve("guestbridge.yaml"));
        List<JsonNode> database = resources(K8S.resolve("mariadb-galera.yaml"));
        JsonNode settings = only(app, "ConfigMap").get("data");
        String mariaDb = only(database, "MariaDB").at("/metadata/name").asText();
        Map<String, String> databaseNames = new HashMap<>();
        Map<String, JsonNode> users = new HashMap<>();
        for (JsonNode r : database) {
            String name = r.at("/spec/name").asText(r.at("/metadata/name").asText());
            if (r.get("kind").asText().equals("Database")) {
                databaseNames.put(name, r.at("/spec/mariaDbRef/name").asText());
            } else if (r.get("kind").asText().equals("User")) {
                users.put(name, r);
            }
        }
        Map<String, String> passwords = new HashMap<>();
        for (JsonNode env : only(app, "Deployment").at("/spec/template/spec/containers/0/env")) {
            JsonNode ref = env.at("/valueFrom/secretKeyRef");
            if (!ref.isMissingNode()) {
                passwords.put(env.get("name").asText(), ref.get("name").asText() + "/" + ref.get("key").asText());
            }
        }
        for (String prefix : List.of("", "KEYS_")) {
            Matcher url = Pattern.compile("jdbc:mariadb://([^:/]+):3306/([^?]+).*").matcher(settings.get(prefix + "DB_URL").asText());
            assertTrue(url.matches(), settings.get(prefix + "DB_URL").asText());
            // the operator's Service that routes to the pod it holds for primary: one writer
            assertEquals(mariaDb + "-primary", url.group(1), prefix + "DB_URL");
            assertEquals(mariaDb, databaseNames.get(url.group(2)), prefix + "DB_URL names a database of " + mariaDb + ": " + databaseNames);
            JsonNode user = users.get(settings.get(prefix + "DB_USER").asText());
            assertTrue(user != null, prefix + "DB_USER names a user of the manifest: " + users.keySet());
            JsonNode secret = user.at("/spec/passwordSecretKeyRef");
            assertEquals(secret.get("name").asText() + "/" + secret.get("key").asText(), passwords.get(prefix + "DB_PASSWORD"),
                    prefix + "DB_PASSWORD is the password the operator gives that user");
            boolean granted = database.stream().anyMatch(r -> r.get("kind").asText().equals("Grant")
                    && r.at("/spec/username").asText().equals(user.at("/spec/name").asText(user.at("/metadata/name").asText()))
                    && r.at("/spec/database").asText().equals(url.group(2)));
            assertTrue(granted, prefix + "DB_USER is granted its database");
        }
    }

    // ---- the built-in kinds: a walk of each resource along the API's generated model classes ----

    private static List<String> builtInErrors(List<JsonNode> resources) {
        List<String> errors = new ArrayList<>();
        for (JsonNode resource : resources) {
            String apiVersion = resource.get("apiVersion").asText();
            String version = apiVersion.substring(apiVersion.lastIndexOf('/') + 1);
            String model = "io.kubernetes.client.openapi.models." + Character.toUpperCase(version.charAt(0)) + version.substring(1)
                    + resource.get("kind").asText();
            String name = name(resource);
            try {
                walk(resource, Class.forName(model), "", m -> errors.add(name + " " + m));
            } catch (ClassNotFoundException e) {
                errors.add(name + ": no kind " + resource.get("kind").asText() + " in " + apiVersion);
            }
        }
        return errors;
    }

    /** Checks {@code node} against the model type {@code type}: fields by their JSON names, types, required fields. */
    private static void walk(JsonNode node, Type type, String path, Consumer<String> error) {
        if (node == null || node.isNull()) {
            return;
        }
        if (type instanceof ParameterizedType generic) {
            Class<?> raw = (Class<?>) generic.getRawType();
            Type[] of = generic.getActualTypeArguments();
            if (List.class.isAssignableFrom(raw)) {
                if (!node.isArray()) {
                    error.accept(path + ": expected a list, got " + node.getNodeType());
                    return;
                }
                for (int i = 0; i < node.size(); i++) {
                    walk(node.get(i), of[0], path + "[" + i + "]", error);
                }
            } else if (Map.class.isAssignableFrom(raw)) {
                if (!node.isObject()) {
                    error.accept(path + ": expected a map, got " + node.getNodeType());
                    return;
                }
                node.fields().forEachRemaining(e -> walk(e.getValue(), of[1], path + "." + e.getKey(), error));
            }
            return;
        }
        Class<?> model = (Class<?>) type;
        String expected = null;
        if (model == String.class || model == OffsetDateTime.class || model == byte[].class) {
            expected = node.isTextual() ? null : "a string";
        } else if (model == Integer.class || model == Long.class) {
            expected = node.isIntegralNumber() ? null : "an integer";
        } else if (Number.class.isAssignableFrom(model)) {
            expected = node.isNumber() ? null : "a number";
        } else if (model == Boolean.class) {
            expected = node.isBoolean() ? null : "a boolean";
        } else if (model == IntOrString.class) {
            expected = node.isIntegralNumber() || node.isTextual() ? null : "an integer or a string";
        } else if (model == Quantity.class) {
            expected = quantity(node) ? null : "a quantity";
        } else if (model != Object.class) {
            if (!node.isObject()) {
                error.accept(path.substring(Math.min(1, path.length())) + ": expected an object " + model.getSimpleName() + ", got " + node.getNodeType());
                return;
            }
            Map<String, Field> fields = new HashMap<>();
            for (Field f : model.getDeclaredFields()) {
                SerializedName json = f.getAnnotation(SerializedName.class);
                if (json != null) {
                    fields.put(json.value(), f);
                }
            }
            node.fields().forEachRemaining(e -> {
                Field f = fields.get(e.getKey());
                if (f == null) {
                    error.accept(trim(path + "." + e.getKey()) + ": no such field of " + model.getSimpleName());
                } else {
                    walk(e.getValue(), f.getGenericType(), path + "." + e.getKey(), error);
                }
            });
            for (String required : requiredFields(model)) {
                if (!node.has(required)) {
                    error.accept(trim(path) + ": the required field " + required + " of " + model.getSimpleName() + " is missing");
                }
            }
        }
        if (expected != null) {
            error.accept(trim(path) + ": expected " + expected + ", got " + (model == Quantity.class ? node.toString() : node.getNodeType() + " " + node));
        }
    }

    private static String trim(String path) {
        return path.startsWith(".") ? path.substring(1) : path;
    }

    private static boolean quantity(JsonNode node) {
        if (!node.isNumber() && !node.isTextual()) {
            return false;
        }
        try {
            Quantity.fromString(node.asText());
            return true;
        } catch (RuntimeException notAQuantity) {
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<String> requiredFields(Class<?> model) {
        try {
            return (Set<String>) model.getField("openapiRequiredFields").get(null);
        } catch (ReflectiveOperationException none) {
            return Set.of();
        }
    }

    // ---- the operator's kinds: JSON Schema validation against each definition's openAPIV3Schema ----

    private static List<String> operatorErrors(List<JsonNode> resources) throws IOException {
        Map<String, JsonNode> schemas = new HashMap<>();
        try (Stream<Path> files = Files.list(CRDS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (JsonNode crd : resources(file)) {
                    for (JsonNode version : crd.at("/spec/versions")) {
                        schemas.put(crd.at("/spec/group").asText() + "/" + version.get("name").asText() + " " + crd.at("/spec/names/kind").asText(),
                                strict(version.at("/schema/openAPIV3Schema").deepCopy()));
                    }
                }
            }
        }
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
                b -> b.metaSchema(OpenApi30.getInstance()).defaultMetaSchemaIri(OpenApi30.getInstance().getIri()));
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        List<String> errors = new ArrayList<>();
        for (JsonNode resource : resources) {
            String name = name(resource);
            JsonNode schema = schemas.get(resource.get("apiVersion").asText() + " " + resource.get("kind").asText());
            if (schema == null) {
                errors.add(name + ": no definition of " + resource.get("kind").asText() + " in " + resource.get("apiVersion").asText());
                continue;
            }
            factory.getSchema(schema, config).validate(resource).stream().map(ValidationMessage::getMessage).sorted()
                    .forEach(m -> errors.add(name + " " + m));
            // the definitions leave metadata open (the API server checks it itself): checked as the built-in kinds' is
            walk(resource.get("metadata"), V1ObjectMeta.class, ".metadata", m -> errors.add(name + " " + m));
        }
        return errors;
    }

    /**
     * A definition's schema leaves an object's unknown fields unmentioned: the API server drops them, or refuses them
     * with strict field validation (kubectl's default). Refused here: an object with properties that neither allows
     * more nor keeps unknown fields ({@code x-kubernetes-preserve-unknown-fields}) allows no other.
     */
    private static JsonNode strict(JsonNode schema) {
        if (schema instanceof ObjectNode object) {
            object.fields().forEachRemaining(e -> strict(e.getValue()));
            if (object.has("properties") && !object.has("additionalProperties") && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
                object.put("additionalProperties", false);
            }
        } else if (schema instanceof ArrayNode array) {
            array.forEach(KubernetesManifestsTest::strict);
        }
        return schema;
    }

    // ---- reading the manifests ----

    /** The documents of a YAML file, as JSON trees (read as Kubernetes reads them: 0400 is an octal number). */
    private static List<JsonNode> resources(Path file) throws IOException {
        List<JsonNode> resources = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (Object document : new Yaml().loadAll(reader)) {
                if (document != null) {
                    resources.add(JSON.valueToTree(document));
                }
            }
        }
        return resources;
    }

    private static Set<String> kinds(List<JsonNode> resources) {
        Set<String> kinds = new HashSet<>();
        resources.forEach(r -> kinds.add(r.get("kind").asText()));
        return kinds;
    }

    private static JsonNode only(List<JsonNode> resources, String kind) {
        List<JsonNode> of = resources.stream().filter(r -> r.get("kind").asText().equals(kind)).toList();
        assertEquals(1, of.size(), "resources of kind " + kind);
        return of.get(0);
    }

    private static String name(JsonNode resource) {
        return resource.get("kind").asText() + "/" + resource.at("/metadata/name").asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> strings = new ArrayList<>();
        array.forEach(n -> strings.add(n.asText()));
        return strings;
    }

    private static String after(List<String> args, String option) {
        int at = args.indexOf(option);
        assertTrue(at >= 0 && at + 1 < args.size(), option + " in " + args);
        return args.get(at + 1);
    }
}
