package org.heartbeat.notify.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AnswersTest {
    @Test
    void aJsonObjectIsRead() {
        assertThat(Answers.jsonObject("{\"status\":1,\"request\":\"abc\"}")).hasValueSatisfying(
                j -> assertThat(j.path("request").asText()).isEqualTo("abc"));
        assertThat(Answers.jsonObject("[1,2]")).isEmpty();
        assertThat(Answers.jsonObject("<html>Bad Gateway</html>")).isEmpty();
        assertThat(Answers.jsonObject("")).isEmpty();
        assertThat(Answers.jsonObject(null)).isEmpty();
    }

    @Test
    void aSnippetFoldsWhiteSpaceAndCutsLongBodies() {
        assertThat(Answers.snippet("<html>\n  <body>Bad Gateway</body>\n</html>"))
                .isEqualTo("<html> <body>Bad Gateway</body> </html>");
        assertThat(Answers.snippet(null)).isEmpty();
        String cut = Answers.snippet("a".repeat(300));
        assertThat(cut).isEqualTo("a".repeat(Answers.SNIPPET) + "\u2026");
        String pair = Answers.snippet("a".repeat(Answers.SNIPPET - 1) + "\uD83D\uDD25" + "b".repeat(10));
        assertThat(pair).isEqualTo("a".repeat(Answers.SNIPPET - 1) + "\u2026");
    }
}
