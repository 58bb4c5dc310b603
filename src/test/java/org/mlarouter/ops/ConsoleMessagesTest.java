package org.mlarouter.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlarouter.json.Json;

/** The console in Kazakh, Russian and English: every text in each bundle, and the reader's language chosen as they ask. */
class ConsoleMessagesTest {

    private static Properties bundle(final String language) throws Exception {
        final Properties properties = new Properties();
        try (InputStream in = ConsoleMessages.class.getResourceAsStream("/console/messages" + (language.equals("en") ? "" : "_" + language) + ".properties")) {
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return properties;
    }

    private static Set<String> placeholders(final String text) {
        final Set<String> found = new TreeSet<>();
        final Matcher matcher = Pattern.compile("\\{\\d}").matcher(text);
        while (matcher.find()) {
            found.add(matcher.group());
        }
        return found;
    }

    @ParameterizedTest
    @ValueSource(strings = {"kk", "ru"})
    void shouldSayEveryTextInEachLanguageWithTheSamePlaceholders(final String language) throws Exception {
        final Properties english = bundle("en");
        final Properties translated = bundle(language);

        assertEquals(new TreeSet<>(english.stringPropertyNames()), new TreeSet<>(translated.stringPropertyNames()), language + " has every key, and no other");
        final List<String> untranslated = new ArrayList<>();
        for (final String key : english.stringPropertyNames()) {
            assertEquals(placeholders(english.getProperty(key)), placeholders(translated.getProperty(key)), language + ": " + key);
            if (translated.getProperty(key).equals(english.getProperty(key)) && english.getProperty(key).matches(".*[a-z]{4,}.*")) {
                untranslated.add(key);
            }
        }
        assertEquals(List.of(), untranslated.stream().filter(key -> !key.startsWith("language.review")).toList(), language + " leaves these in English");
    }

    @Test
    void shouldHaveATextForEveryKeyTheScriptUsesAndEveryCodeItShows() throws Exception {
        final Properties english = bundle("en");
        final String script = Files.readString(Path.of("src/main/resources/console/console.js"));
        final Matcher keys = Pattern.compile("\\bt\\('([a-zA-Z.]+)'[,)]").matcher(script);
        int used = 0;
        while (keys.find()) {
            used++;
            assertTrue(english.containsKey(keys.group(1)), "console.js uses " + keys.group(1) + ", which messages.properties lacks");
        }
        assertTrue(used > 150, "the script's texts come from the bundle: " + used);
        for (final Class<? extends Enum<?>> codes : List.of(org.mlarouter.avro.ReasonCode.class, org.mlarouter.avro.AssistanceKind.class,
                org.mlarouter.avro.OffenceCategory.class, org.mlarouter.avro.Measure.class, org.mlarouter.avro.PersonRole.class,
                org.mlarouter.avro.Concern.class, org.mlarouter.avro.Route.class, org.mlarouter.avro.Urgency.class, org.mlarouter.avro.InstrumentStatus.class,
                org.mlarouter.avro.InstrumentType.class, org.mlarouter.topology.DeadLetterReason.class,
                org.mlarouter.clients.CoverageChangeLog.State.class)) {
            for (final Enum<?> code : codes.getEnumConstants()) {
                assertTrue(english.containsKey("code." + code.name()), codes.getSimpleName() + "." + code.name() + " has no text");
            }
        }
        for (final String stage : List.of("DECODE", "VALIDATE", "PROCESS")) {
            assertTrue(english.containsKey("code.STAGE_" + stage), "the dead-letter step " + stage + " has no text");
        }
        for (final org.mlarouter.config.TopicRole role : org.mlarouter.config.TopicRole.values()) {
            assertTrue(english.containsKey("topic." + role.name()), role + " has no label");
        }
    }

    @Test
    void shouldChooseTheReadersLanguage() {
        assertEquals("ru", ConsoleMessages.language(Optional.empty(), Optional.of("ru-RU,ru;q=0.9,en;q=0.8")));
        assertEquals("kk", ConsoleMessages.language(Optional.empty(), Optional.of("kk-KZ,ru;q=0.8")));
        assertEquals("ru", ConsoleMessages.language(Optional.empty(), Optional.of("de-DE,ru;q=0.5")), "the first the console has");
        assertEquals("en", ConsoleMessages.language(Optional.empty(), Optional.of("de-DE")));
        assertEquals("en", ConsoleMessages.language(Optional.empty(), Optional.of(";;;q=x")), "a malformed header");
        assertEquals("kk", ConsoleMessages.language(Optional.of("kk"), Optional.of("ru")), "the switch on the page wins");
        assertEquals("ru", ConsoleMessages.language(Optional.of("xx"), Optional.of("ru")), "an unknown choice is ignored");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kk", "ru", "en"})
    void shouldServeTheBundleOfTheLanguageAsked(final String language) throws Exception {
        try (OperatorServer server = OperatorServer.start("127.0.0.1", 0, () -> org.apache.kafka.streams.KafkaStreams.State.RUNNING,
                Optional::empty, () -> "m 1\n", "Topologies: test")) {
            final HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + "/console/api/messages"))
                    .header("Accept-Language", language + ";q=0.9,en;q=0.5").build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            final JsonNode body = Json.MAPPER.readTree(answer.body());

            assertEquals(200, answer.statusCode());
            assertEquals(language, body.get("language").asText());
            assertEquals(bundle(language).getProperty("nav.reviews"), body.get("messages").get("nav.reviews").asText());
            assertEquals(bundle(language).getProperty("code.TREATY_NOT_IN_FORCE"), body.get("messages").get("code.TREATY_NOT_IN_FORCE").asText());
            assertEquals(List.of("kk", "ru", "en"), List.of(body.get("languages").get(0).get("code").asText(), body.get("languages").get(1).get("code").asText(),
                    body.get("languages").get(2).get("code").asText()));
        }
    }
}
