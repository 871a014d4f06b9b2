package io.galapagos.controller.formats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.island.Noise;
import io.galapagos.controller.island.TuningSettings;
import io.galapagos.controller.run.Run;
import io.galapagos.protocol.CborSerializable;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The wire formats of the journal and of messages between nodes, kept in the repository: one serialized
 * instance of every public {@link CborSerializable} class per format version, under
 * {@code src/test/resources/io/galapagos/controller/formats/vN}. Every version must still read with the
 * current code, and the newest must be what the current code writes: a change of format is committed as
 * a new version, with a Jackson migration for renamed or removed fields. To write version N:
 * {@code ./mvnw -pl controller -am test -Dtest=WireFormatsTest -Dsurefire.failIfNoSpecifiedTests=false -Dgalapagos.formats.write=vN}.
 */
@Timeout(120)
class WireFormatsTest {

    private static final String RESOURCES = "io/galapagos/controller/formats/";
    /** The versions, oldest first; the last is the format the current code writes. */
    static final List<String> VERSIONS = List.of("v1", "v2", "v3", "v4", "v5", "v6", "v7");

    private static final ActorTestKit testKit = ActorTestKit.create("galapagos-formats", ConfigFactory.load());
    private static final Serialization serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
    private static final ObjectMapper cbor = JacksonObjectMapperProvider.get(testKit.system())
            .getOrCreate("jackson-cbor", Optional.empty());

    /** One committed sample: its class, the serializer and manifest it was written with, and its bytes. */
    record Entry(String className, int serializerId, String manifest, byte[] bytes) {
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    @Test
    void writesAVersionWhenAsked() throws IOException {
        String version = System.getProperty("galapagos.formats.write", "");
        if (version.isEmpty()) {
            return; // only on request: see the class comment
        }
        Path dir = Path.of("src/test/resources", RESOURCES, version);
        Files.createDirectories(dir);
        StringBuilder index = new StringBuilder();
        for (Object sample : Samples.all(testKit.system()).values()) {
            Serializer serializer = serialization.findSerializerFor(sample);
            String file = sample.getClass().getName().substring(sample.getClass().getPackageName().length() + 1) + ".cbor";
            Files.write(dir.resolve(file), serialization.serialize(sample).get());
            index.append(sample.getClass().getName()).append('\t').append(serializer.identifier()).append('\t')
                    .append(Serializers.manifestFor(serializer, sample)).append('\t').append(file).append('\n');
        }
        Files.writeString(dir.resolve("index.tsv"), index.toString());
    }

    @Test
    void everyPublicClassThatEntersTheJournalOrCrossesNodesHasASample() throws Exception {
        Set<String> serializable = new TreeSet<>();
        for (Class<?> anchor : List.of(CborSerializable.class, Run.class)) {
            Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            // a module's classes: a directory in the reactor, a jar when built alone
            java.nio.file.FileSystem jar = Files.isDirectory(location) ? null : java.nio.file.FileSystems.newFileSystem(location);
            Path root = jar == null ? location : jar.getPath("/");
            try (jar; Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    String name = root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                    if (name.endsWith("module-info") || name.startsWith("META-INF")) {
                        continue;
                    }
                    Class<?> type = Class.forName(name, false, getClass().getClassLoader());
                    if (CborSerializable.class.isAssignableFrom(type) && !type.isInterface()
                            && !Modifier.isAbstract(type.getModifiers()) && isPublic(type)) {
                        serializable.add(type.getName());
                    }
                }
            }
        }
        Set<String> sampled = new TreeSet<>();
        Samples.all(testKit.system()).keySet().forEach(type -> sampled.add(type.getName()));

        Set<String> missing = new TreeSet<>(serializable);
        missing.removeAll(sampled);
        Set<String> extra = new TreeSet<>(sampled);
        extra.removeAll(serializable);
        assertThat(missing).as("serializable classes without a sample in Samples (a new message or event needs one, "
                + "and a committed format version)").isEmpty();
        assertThat(extra).as("samples of classes that are not public and serializable").isEmpty();
    }

    @Test
    void theNewestCommittedVersionIsTheFormatTheCurrentCodeWrites() throws IOException {
        String newest = VERSIONS.get(VERSIONS.size() - 1);
        Map<String, Entry> committed = new java.util.HashMap<>();
        entries(newest).forEach(e -> committed.put(e.className(), e));
        List<String> changed = new ArrayList<>();
        for (Object sample : Samples.all(testKit.system()).values()) {
            Entry entry = committed.get(sample.getClass().getName());
            Serializer serializer = serialization.findSerializerFor(sample);
            if (entry == null) {
                changed.add(sample.getClass().getName() + " (not committed)");
                continue;
            }
            JsonNode now = cbor.readTree(serialization.serialize(sample).get());
            JsonNode then = cbor.readTree(entry.bytes());
            if (!now.equals(then) || entry.serializerId() != serializer.identifier()
                    || !entry.manifest().equals(Serializers.manifestFor(serializer, sample))) {
                changed.add(sample.getClass().getName() + "\n  committed: " + then + "\n  now:       " + now);
            }
        }
        if (!changed.isEmpty()) {
            fail("the wire format changed since " + newest + ": commit it as the next version (see WireFormatsTest), "
                    + "with a Jackson migration for renamed or removed fields:\n" + String.join("\n", changed));
        }
    }

    @Test
    void everyCommittedVersionReadsWithTheCurrentCodeAndTheNewestAsItsSample() throws IOException {
        Map<Class<?>, Object> samples = Samples.all(testKit.system());
        String newest = VERSIONS.get(VERSIONS.size() - 1);
        for (String version : VERSIONS) {
            List<Entry> entries = entries(version);
            assertThat(entries).as(version).isNotEmpty();
            for (Entry entry : entries) {
                Object read = serialization.deserialize(entry.bytes(), entry.serializerId(), entry.manifest()).get();
                assertThat(read.getClass().getName()).as(version + " " + entry.className()).isEqualTo(entry.className());
                if (version.equals(newest)) {
                    assertThat(read).as(version + " " + entry.className()).isEqualTo(samples.get(read.getClass()));
                }
            }
        }
    }

    @Test
    void aRunOfFormat1KeepsTheSmallerOfItsIslandAndPromptCountsAsItsIslandsCounts() throws IOException {
        Entry started = entries("v1").stream().filter(e -> e.className().equals(Run.RunStarted.class.getName()))
                .findFirst().orElseThrow();
        JsonNode prompt = cbor.readTree(started.bytes()).path("settings").path("generation").path("llm").path("prompt");
        assertThat(prompt.path("recentFailures").asInt()).as("format 1 had the prompt's own count").isEqualTo(3);

        Run.RunStarted read = (Run.RunStarted) serialization.deserialize(started.bytes(), started.serializerId(),
                started.manifest()).get();

        assertThat(read.settings().island().recentFailures()).as("min(island 5, prompt 3)").isEqualTo(3);
        assertThat(read.settings().island().topPrograms()).as("min(island 3, prompt 3)").isEqualTo(3);
        assertThat(read.settings().island().inspirations()).as("min(island 2, prompt 2)").isEqualTo(2);
        assertThat(read.settings().generation().llm().orElseThrow().prompt().maxFailureChars()).isEqualTo(600);
    }

    @Test
    void aRunOfFormat2ReadsAsTheSameSpecWithoutTheValuesItsNodeNowDecides() throws IOException {
        Entry started = entries("v2").stream().filter(e -> e.className().equals(Run.RunStarted.class.getName()))
                .findFirst().orElseThrow();
        JsonNode settings = cbor.readTree(started.bytes()).path("settings");
        assertThat(settings.path("island").has("progressIntervalMillis")).as("format 2 journalled the intervals").isTrue();
        assertThat(settings.path("generation").path("llm").has("retry")).isTrue();
        assertThat(settings.path("generation").path("llm").path("models").get(0).has("requestTimeout")).isTrue();

        Object read = serialization.deserialize(started.bytes(), started.serializerId(), started.manifest()).get();

        assertThat(read).as("the same run, its node settings left to the node").usingRecursiveComparison()
                .ignoringFields("settings.island.nearDuplicateSimilarity", "settings.island.tuning",
                        "settings.island.constraints", "settings.island.objectives", "settings.island.noise", "settings.generation.llm.value.prompt.variants",
                        "settings.generation.llm.value.prompt.summaryEvery")
                .isEqualTo(Samples.all(testKit.system()).get(Run.RunStarted.class));
        assertThat(((Run.RunStarted) read).settings().generation().llm().orElseThrow().prompt())
                .as("a run journalled before prompt variants existed goes on improving its parents, without summaries")
                .returns(io.galapagos.controller.generation.PromptVariants.IMPROVE_ONLY,
                        io.galapagos.controller.generation.PromptSettings::variants)
                .returns(0, io.galapagos.controller.generation.PromptSettings::summaryEvery);
        assertThat(((Run.RunStarted) read).settings().island().noise())
                .as("a run journalled before format 7 goes on as a deterministic task").isEqualTo(Noise.OFF);
        assertThat(((Run.RunStarted) read).settings().island().tuning())
                .as("a run journalled before tuning existed goes on without it").isEqualTo(TuningSettings.OFF);
        assertThat(((Run.RunStarted) read).settings().island().constraints())
                .as("a run journalled before constraints existed goes on ranking by score alone")
                .isEqualTo(io.galapagos.controller.island.Constraints.OFF);
        assertThat(((Run.RunStarted) read).settings().island().objectives())
                .as("a run journalled before objectives existed goes on ranking by score")
                .isEqualTo(io.galapagos.controller.island.Objectives.SCORE);
        assertThat(((Run.RunStarted) read).settings().island().nearDuplicateSimilarity())
                .as("a run journalled before format 5 goes on without the near-duplicate check").isEqualTo(1.0);
    }

    /** The committed samples of {@code version}, read from the test class path. */
    static List<Entry> entries(String version) throws IOException {
        String index = read(RESOURCES + version + "/index.tsv").map(b -> new String(b, StandardCharsets.UTF_8))
                .orElseThrow(() -> new AssertionError("no committed wire formats " + version + " at " + RESOURCES));
        List<Entry> entries = new ArrayList<>();
        for (String line : index.lines().filter(l -> !l.isBlank()).toList()) {
            String[] fields = line.split("\t");
            byte[] bytes = read(RESOURCES + version + "/" + fields[3])
                    .orElseThrow(() -> new AssertionError("missing " + fields[3] + " of " + version));
            entries.add(new Entry(fields[0], Integer.parseInt(fields[1]), fields[2], bytes));
        }
        return entries;
    }

    private static Optional<byte[]> read(String resource) {
        try (InputStream in = WireFormatsTest.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isPublic(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            if (!Modifier.isPublic(c.getModifiers())) {
                return false;
            }
        }
        return true;
    }
}
