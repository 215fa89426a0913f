package dev.mmutrace.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlReportTest {

    @Test
    void thePageIsSelfContainedAndDeterministic() {
        String page = HtmlReport.write(ReportFixtures.batch(2, 40));
        assertThat(page).isEqualTo(HtmlReport.write(ReportFixtures.batch(2, 40)));
        // Chart.js is inlined; nothing is fetched.
        assertThat(page).contains("Chart.js v4").doesNotContain("src=\"http").doesNotContain("href=\"http");
        // Two traces: the summary, both traces' sections and their chart data blocks.
        assertThat(page).contains("<h2>Summary</h2>").contains("<h2>trace-0.csv</h2>").contains("<h2>trace-1.csv</h2>")
                .contains("id=\"data-t0\"").contains("id=\"data-t1\"");
        // The scripted xen flavour refuses every set_pmd: the first is event 8 of the 9-event cycle.
        assertThat(page).contains("<td>xen</td><td class=\"n\">8</td><td class=\"n\">0</td><td><code>bad_l2_flags</code></td>");
    }

    @Test
    void chartDataCannotCloseItsScriptBlock() {
        String page = HtmlReport.write(ReportFixtures.batch(1, 20));
        String data = page.substring(page.indexOf("id=\"data-t0\">"), page.indexOf("</script>", page.indexOf("id=\"data-t0\">")));
        assertThat(data).doesNotContain("</");
        assertThat(data).contains("\"models\":[\"native\",\"xen\",\"lguest\"]");
    }
}
