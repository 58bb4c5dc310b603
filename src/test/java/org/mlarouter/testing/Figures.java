package org.mlarouter.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The fault scenarios' figures: a table row appended to {@code target/reliability-figures.md} and printed. */
public final class Figures {

    private static final Path FILE = Path.of("target/reliability-figures.md");

    private Figures() {
    }

    public static void record(final String row) {
        try {
            Files.writeString(FILE, row, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.print("FIGURES " + row);
    }
}
