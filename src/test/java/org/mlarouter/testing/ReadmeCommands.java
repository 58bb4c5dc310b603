package org.mlarouter.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The commands of a README code block, as a reader would type them: split as a shell does, comments dropped. */
public final class ReadmeCommands {

    private ReadmeCommands() {
    }

    /** The {@code ./mla-router ...} lines of the first code block after {@code heading}, each as its arguments. */
    public static List<List<String>> under(final String heading) throws IOException {
        final String readme = Files.readString(Path.of("README.md"));
        final int section = readme.indexOf(heading);
        if (section < 0) {
            throw new IllegalStateException("README.md has no " + heading);
        }
        final int start = readme.indexOf("```\n", section) + 4;
        final String block = readme.substring(start, readme.indexOf("```", start));
        final List<List<String>> commands = new ArrayList<>();
        for (final String line : block.lines().toList()) {
            if (line.startsWith("./mla-router ")) {
                commands.add(words(line.substring("./mla-router ".length())));
            }
        }
        return commands;
    }

    /** A line's words: double quotes group, an unquoted {@code #} after a space starts a comment. */
    static List<String> words(final String line) {
        final List<String> words = new ArrayList<>();
        final StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            final char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                inWord = true;
            } else if (!quoted && c == '#' && !inWord) {
                break;
            } else if (!quoted && Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
