package io.klingrelay.deploy.stack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How the stack tells its own process's {@code /actuator/info} from another process's on the same port. */
class LocalStackTest {

    @Test
    void anInfoAnswerNamingThePidIsTheProcesssOwn() {
        assertThat(LocalStack.answeredBy("{\"process\":{\"pid\":4242,\"parentPid\":1,\"owner\":\"ci\"}}", 4242)).isTrue();
    }

    @Test
    void anotherPidNoPidOrNotJsonIsNot() {
        assertThat(LocalStack.answeredBy("{\"process\":{\"pid\":4243}}", 4242)).isFalse();
        assertThat(LocalStack.answeredBy("{}", 4242)).isFalse();
        assertThat(LocalStack.answeredBy("{\"process\":{\"pid\":\"4242\"}}", 4242)).isFalse();
        assertThat(LocalStack.answeredBy("<html>Whitelabel Error Page</html>", 4242)).isFalse();
    }
}
