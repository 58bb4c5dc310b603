package org.mlarouter.ops;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlarouter.json.Json;

/**
 * The console's texts in Kazakh, Russian and English, held in resource bundles ({@code console/messages*.properties},
 * UTF-8), every label, message and code's text the page shows. The language is the reader's choice on the page (the
 * {@value #COOKIE} cookie), else the first of theirs their browser asks for ({@code Accept-Language}), else English.
 */
final class ConsoleMessages {

    /** The cookie the page's language switch sets. */
    static final String COOKIE = "mla_lang";
    /** The languages, in the order the switch offers them. */
    static final List<String> LANGUAGES = List.of("kk", "ru", "en");

    private static final ResourceBundle.Control NO_FALLBACK = ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);
    private final Map<String, ObjectNode> byLanguage = new ConcurrentHashMap<>();

    /** The language for a reader: the cookie's, if one of {@link #LANGUAGES}, else the best of {@code Accept-Language}, else en. */
    static String language(final Optional<String> chosen, final Optional<String> acceptLanguage) {
        if (chosen.isPresent() && LANGUAGES.contains(chosen.get())) {
            return chosen.get();
        }
        if (acceptLanguage.isPresent()) {
            try {
                final String best = Locale.lookupTag(Locale.LanguageRange.parse(acceptLanguage.get()), LANGUAGES);
                if (best != null) {
                    return best;
                }
            } catch (final IllegalArgumentException malformed) {
                // a header that is not a language list: English
            }
        }
        return "en";
    }

    /** {@code {"language", "languages": [{"code", "name", "review"}], "messages": {key: text}}} for a language. */
    ObjectNode answer(final String language) {
        return byLanguage.computeIfAbsent(language, ConsoleMessages::load).deepCopy();
    }

    private static ObjectNode load(final String language) {
        final ObjectNode answer = Json.object().put("language", language);
        final ArrayNode languages = answer.putArray("languages");
        for (final String code : LANGUAGES) {
            final ResourceBundle bundle = bundle(code);
            languages.addObject().put("code", code).put("name", bundle.getString("language.name")).put("review", bundle.getString("language.review"));
        }
        final ObjectNode messages = answer.putObject("messages");
        final ResourceBundle bundle = bundle(language);
        new java.util.TreeSet<>(bundle.keySet()).forEach(key -> messages.put(key, bundle.getString(key)));
        return answer;
    }

    private static ResourceBundle bundle(final String language) {
        return ResourceBundle.getBundle("console.messages", Locale.forLanguageTag(language), ConsoleMessages.class.getClassLoader(), NO_FALLBACK);
    }
}
