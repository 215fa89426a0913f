package dev.mmutrace.report;

import com.samskivert.mustache.Mustache;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * What every HTML page of mmutrace is made with: a Mustache template beside this class, Chart.js
 * inlined from its WebJar (so a page needs no network), and chart data as JSON in a script block
 * that the data cannot end.
 */
public final class HtmlPage {
    private static final String CHARTJS_POM = "META-INF/maven/org.webjars.npm/chart.js/pom.properties";
    private static final String CHARTJS = "META-INF/resources/webjars/chart.js/%s/dist/chart.umd.js";
    /** The bundle's last line points a browser's developer tools at a source map the page does not carry. */
    private static final String SOURCE_MAP = "//# sourceMappingURL=";

    private HtmlPage() {
    }

    /** The page of template {@code name} filled from {@code page}, with Chart.js as {@code chartjs}. */
    public static String render(String name, Map<String, Object> page) {
        Map<String, Object> values = new LinkedHashMap<>(page);
        values.put("chartjs", chartJs());
        try (Reader r = new InputStreamReader(resource(name), StandardCharsets.UTF_8)) {
            return Mustache.compiler().escapeHTML(true).emptyStringIsFalse(true).compile(r).execute(values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code value} as compact JSON for a script block; "</" escaped so it cannot end the block. */
    public static String scriptData(Object value) {
        return ReportJson.compact(value).replace("</", "<\\/");
    }

    /** Chart.js's UMD bundle from its WebJar, found by the version the WebJar's own pom.properties names. */
    static String chartJs() {
        ClassLoader loader = HtmlPage.class.getClassLoader();
        Properties pom = new Properties();
        try (InputStream in = loader.getResourceAsStream(CHARTJS_POM)) {
            if (in == null) {
                throw new IllegalStateException("the Chart.js WebJar is not on the class path (" + CHARTJS_POM + ")");
            }
            pom.load(in);
            String path = String.format(Locale.ROOT, CHARTJS, pom.getProperty("version"));
            try (InputStream js = loader.getResourceAsStream(path)) {
                if (js == null) {
                    throw new IllegalStateException("no " + path + " in the Chart.js WebJar");
                }
                String bundle = new String(js.readAllBytes(), StandardCharsets.UTF_8);
                int map = bundle.lastIndexOf(SOURCE_MAP);
                return map < 0 ? bundle : bundle.substring(0, map);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = HtmlPage.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("missing resource " + name);
        }
        return in;
    }
}
