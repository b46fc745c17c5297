package dev.triage.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** How an error message names a JSON value the client sent where another was expected. */
class ValueDescriptionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "\"1\"          | a string",
            "[1]            | an array",
            "{\"level\":3}  | an object",
            "null           | null",
            "true           | the boolean true",
            "1.5            | the number 1.5",
            "1e3            | the number 1000.0, written with a fraction or an exponent (write it as 1000)",
            "-2.0           | the number -2.0, written with a fraction or an exponent (write it as -2)",
            "1e400          | a number too large for 64 bits",
            "18446744073709551616 | the number 18446744073709551616",
    })
    void namesTheValueInPlainEnglish(String json, String description) throws Exception {
        assertThat(CompletionRequest.describe(JSON.readTree(json))).isEqualTo(description);
    }
}
