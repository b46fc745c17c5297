package dev.triage.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
    @TempDir
    Path dir;

    @Test
    void namesAMissingFile() {
        Path missing = dir.resolve("missing.yaml");

        assertThatThrownBy(() -> ConfigLoader.load(missing, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(missing + ": expected a readable UTF-8 file, found no such file");
    }

    @Test
    void refusesADirectory() {
        assertThatThrownBy(() -> ConfigLoader.load(dir, Map.of()))
                .hasMessage(dir + ": expected a readable UTF-8 file, found a directory");
    }

    @Test
    void namesTheFileInErrorsAndWarnings() throws IOException {
        Path file = Files.writeString(dir.resolve("triage.yaml"), """
                model_list:
                  - model_name: a
                    litellm_params: {model: gpt-4o, rpm: 0}
                """);

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .asInstanceOf(type(ConfigException.class))
                .satisfies(e -> {
                    assertThat(e.file()).isEqualTo(file.toString());
                    assertThat(e.path()).isEqualTo("model_list[0].litellm_params.rpm");
                    assertThat(e.expected()).isEqualTo("a positive integer");
                    assertThat(e.found()).isEqualTo("0");
                });
    }

    @Test
    void givesTheLineAndColumnOfASyntaxError() {
        assertThatThrownBy(() -> ConfigLoader.parse("model_list:\n  - a: b\n   c: d\n", "config.yaml", Map.of()))
                .isInstanceOf(ConfigException.class)
                .asInstanceOf(type(ConfigException.class))
                .satisfies(e -> {
                    assertThat(e.path()).matches("\\d+:\\d+");
                    assertThat(e.expected()).isEqualTo("valid YAML");
                });
    }

    @Test
    void readsNoArbitraryJavaTypes() {
        assertThatThrownBy(() -> ConfigLoader.parse(
                        "model_list: !!java.util.ArrayList []\n", "config.yaml", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config.yaml: 1:13: expected valid YAML, found ");
    }

    @Test
    void readsAnEmptyFileAsAConfigWithoutModels() {
        assertThatThrownBy(() -> ConfigLoader.parse("", "config.yaml", Map.of()))
                .hasMessage("config.yaml: model_list: expected a non-empty list of deployments, found nothing");
    }
}
