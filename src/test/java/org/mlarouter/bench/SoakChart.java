package org.mlarouter.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The soak run's chart, as SVG: one panel per sampled figure (heap after GC, state on disk, open file descriptors,
 * threads) against the minute, each from zero, with the router's restarts as dashed lines.
 */
final class SoakChart {

    private record Panel(String title, String unit, ToDoubleFunction<Soak.Sample> value) {
    }

    private static final List<Panel> PANELS = List.of(
            new Panel("heap after GC", "MiB", Soak.Sample::heapMiB),
            new Panel("state store on disk", "MiB", Soak.Sample::stateMiB),
            new Panel("open file descriptors", "", s -> s.fds()),
            new Panel("threads", "", s -> s.threads()));
    private static final int LEFT = 70;
    private static final int WIDTH = 600;
    private static final int PANEL_HEIGHT = 110;
    private static final int GAP = 50;
    private static final int TOP = 40;

    private SoakChart() {
    }

    static String svg(final List<Soak.Sample> samples, final List<Double> restarts) {
        final double lastMinute = samples.isEmpty() ? 1 : samples.get(samples.size() - 1).minute();
        final int height = TOP + PANELS.size() * (PANEL_HEIGHT + GAP) + 10;
        final StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n"
                        + "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n"
                        + "<text x=\"%d\" y=\"22\" font-size=\"15\">Soak: the router process each minute (dashed: restarts)</text>%n",
                LEFT + WIDTH + 30, height, LEFT));
        for (int p = 0; p < PANELS.size(); p++) {
            final Panel panel = PANELS.get(p);
            final int top = TOP + p * (PANEL_HEIGHT + GAP) + 20;
            final int bottom = top + PANEL_HEIGHT;
            double max = 0;
            for (final Soak.Sample sample : samples) {
                max = Math.max(max, panel.value().applyAsDouble(sample));
            }
            final double yMax = max <= 0 ? 1 : max * 1.25;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s%s</text>%n", LEFT, top - 6, panel.title(),
                    panel.unit().isEmpty() ? "" : " (" + panel.unit() + ")"));
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>%n", LEFT, bottom, LEFT + WIDTH, bottom));
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>%n", LEFT, top, LEFT, bottom));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", LEFT - 6, top + 4, number(yMax)));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>%n", LEFT - 6, bottom + 4));
            for (final double restart : restarts) {
                final double x = LEFT + restart / lastMinute * WIDTH;
                svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>%n",
                        x, top, x, bottom));
            }
            final StringBuilder points = new StringBuilder();
            for (final Soak.Sample sample : samples) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + sample.minute() / lastMinute * WIDTH,
                        bottom - panel.value().applyAsDouble(sample) / yMax * PANEL_HEIGHT));
            }
            svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"%s\"/>%n", points.toString().trim()));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">minute %s</text>%n", LEFT + WIDTH, bottom + 16,
                    number(lastMinute)));
        }
        return svg.append("</svg>\n").toString();
    }

    private static String number(final double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
