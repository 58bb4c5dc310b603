package org.mlarouter.bench;

import java.util.List;
import java.util.Locale;

/**
 * The benchmark's chart, as SVG: per configuration, the router's median throughput as a bar against the pass-through's
 * (the limit) as a grey bar behind it, with the ratio written beside.
 */
final class ThroughputChart {

    /** One configuration: its label, the router's records per second, and the pass-through's (NaN when not measured). */
    static final class Bar {
        final String label;
        final double router;
        final double limit;

        Bar(final String label, final double router, final double limit) {
            this.label = label;
            this.router = router;
            this.limit = limit;
        }
    }

    private static final int LABEL_WIDTH = 330;
    private static final int PLOT_WIDTH = 520;
    private static final int ROW_HEIGHT = 34;
    private static final int TOP = 50;

    private ThroughputChart() {
    }

    static String svg(final List<Bar> bars) {
        double largest = 1;
        for (final Bar bar : bars) {
            largest = Math.max(largest, Math.max(bar.router, Double.isNaN(bar.limit) ? 0 : bar.limit));
        }
        final double scale = PLOT_WIDTH / (Math.ceil(largest / 50_000) * 50_000);
        final int height = TOP + bars.size() * ROW_HEIGHT + 50;
        final int width = LABEL_WIDTH + PLOT_WIDTH + 120;
        final StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n", width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append("<text x=\"10\" y=\"20\" font-size=\"15\" font-weight=\"bold\">mla-router throughput against the pass-through limit (records/s, median)</text>\n");
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"30\" width=\"12\" height=\"10\" fill=\"#c8c8c8\"/><text x=\"%d\" y=\"39\">pass-through (same guarantee and partitions)</text>%n",
                LABEL_WIDTH, LABEL_WIDTH + 16));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"30\" width=\"12\" height=\"10\" fill=\"#2f6db3\"/><text x=\"%d\" y=\"39\">router</text>%n",
                LABEL_WIDTH + 300, LABEL_WIDTH + 316));
        for (int i = 0; i < bars.size(); i++) {
            final Bar bar = bars.get(i);
            final int y = TOP + i * ROW_HEIGHT;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", LABEL_WIDTH - 8, y + 20, escape(bar.label)));
            if (!Double.isNaN(bar.limit)) {
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"26\" fill=\"#c8c8c8\"/>%n", LABEL_WIDTH, y + 2, bar.limit * scale));
            }
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"#2f6db3\"/>%n", LABEL_WIDTH, y + 7, bar.router * scale));
            final double end = Math.max(bar.router, Double.isNaN(bar.limit) ? 0 : bar.limit) * scale;
            final String ratio = Double.isNaN(bar.limit) ? "" : String.format(Locale.ROOT, " (%.2f)", bar.router / bar.limit);
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%,.0f%s</text>%n", LABEL_WIDTH + end + 6, y + 20, bar.router, ratio));
        }
        final int axisY = TOP + bars.size() * ROW_HEIGHT + 6;
        final double axisMax = PLOT_WIDTH / scale;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LABEL_WIDTH, axisY, LABEL_WIDTH + PLOT_WIDTH, axisY));
        for (int tick = 0; tick <= 5; tick++) {
            final double value = axisMax * tick / 5;
            final double x = LABEL_WIDTH + value * scale;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/><text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%,.0f</text>%n",
                    x, axisY, x, axisY + 5, x, axisY + 20, value));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static String escape(final String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
