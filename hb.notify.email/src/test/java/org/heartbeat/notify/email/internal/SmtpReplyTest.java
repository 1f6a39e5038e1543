package org.heartbeat.notify.email.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SmtpReplyTest {

    @ParameterizedTest(name = "{0} {1} -> transient {2}")
    @CsvSource(delimiter = '|', value = {
        "421|421 4.3.2 Service not available|true",
        "451|451 Try again later|true",
        "452|452 4.2.2 Mailbox full|true",
        "550|550 5.1.1 No such user|false",
        "552|552 5.2.2 Mailbox full|false",
        "554|554 Transaction failed|false",
        "535|535 5.7.8 Authentication credentials invalid|false",
        // the enhanced code's class decides where it and the basic code disagree (RFC 3463 section 3.1)
        "550|550 4.2.2 Mailbox full, try later|true",
        "450|450 5.1.1 No such user|false",
        // an enhanced code with class 2 says nothing about failing: the basic code decides
        "550|550 2.0.0 odd|false",
        // no reply: end of stream, a read error
        "-1|[EOF]|true",
        "0|''|true"})
    void transientByTheEnhancedClassElseByTheBasicCode(int code, String text, boolean isTransient) {
        assertThat(SmtpReply.of(code, text).isTransient()).isEqualTo(isTransient);
    }

    @ParameterizedTest
    @CsvSource({"421, true", "599, true", "399, false", "250, false", "-1, false", "0, false"})
    void onlyFourAndFiveHundredsAreRefusals(int code, boolean refusal) {
        assertThat(SmtpReply.of(code, code + " text").isRefusal()).isEqualTo(refusal);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "550-5.1.1 first line|5",
        "452 4.2.2 Mailbox full|4",
        "452 4.2 not an enhanced code|0",
        "452 Mailbox 4.2.2 later in the text|0"})
    void theEnhancedCodeIsReadOnlyRightAfterTheBasicCode(String text, int enhancedClass) {
        assertThat(SmtpReply.of(Integer.parseInt(text.substring(0, 3)), text).enhancedClass())
                .isEqualTo(enhancedClass);
    }

    @org.junit.jupiter.api.Test
    void aMultiLineReplyBecomesOneLineAndALongOneIsCut() {
        assertThat(SmtpReply.of(550, "550-5.7.1 first\n550-5.7.1 second\n550 5.7.1 third\n").text())
                .isEqualTo("550-5.7.1 first | 550-5.7.1 second | 550 5.7.1 third");
        assertThat(SmtpReply.of(550, "550 " + "x".repeat(1000)).text()).hasSize(301).endsWith("x\u2026");
    }
}
