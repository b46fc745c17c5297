package dev.triage.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandLineParserTest {

    @Test
    void aConfigFileAloneStartsANodeWithNothingOverridden() throws UsageException {
        assertThat(CommandLineParser.parse("--config", "config.yaml"))
                .isEqualTo(new Invocation.Start(NodeOptions.of(Path.of("config.yaml"))));
    }

    @Test
    void everyOptionIsReadInSeparateAndEqualsForms() throws UsageException {
        Invocation invocation = CommandLineParser.parse(
                "--config=config.yaml", "--port", "8080", "--host=127.0.0.1", "--cluster-port", "5801",
                "--members", "10.0.0.1:5801, [::1]:5802,node-c:5803", "--cluster-name=blue", "--cluster-host", "10.0.0.1");

        assertThat(invocation).isEqualTo(new Invocation.Start(new NodeOptions(
                Path.of("config.yaml"),
                OptionalInt.of(8080),
                Optional.of("127.0.0.1"),
                OptionalInt.of(5801),
                List.of("10.0.0.1:5801", "[::1]:5802", "node-c:5803"),
                Optional.of("blue"),
                Optional.of("10.0.0.1"))));
    }

    @Test
    void theClusterHostIsAnIpv4AddressOfThisMachine() {
        assertThatThrownBy(() -> CommandLineParser.parse("--config", "c.yaml", "--cluster-host", "node-a"))
                .isInstanceOf(UsageException.class)
                .hasMessage("--cluster-host: expected an IPv4 address of this machine, such as 10.0.0.5, or 0.0.0.0 "
                        + "for every interface, found \"node-a\"");
    }

    @Test
    void optionsMayComeInAnyOrder() throws UsageException {
        assertThat(CommandLineParser.parse("--port", "1", "--config", "c.yaml"))
                .isEqualTo(CommandLineParser.parse("--config", "c.yaml", "--port", "1"));
    }

    @Test
    void checkConfigTakesAFile() throws UsageException {
        assertThat(CommandLineParser.parse("--check-config", "config.yaml"))
                .isEqualTo(new Invocation.CheckConfig(Path.of("config.yaml")));
        assertThat(CommandLineParser.parse("--check-config=config.yaml"))
                .isEqualTo(new Invocation.CheckConfig(Path.of("config.yaml")));
    }

    @Test
    void helpWinsOverEverythingElseEvenAMistake() throws UsageException {
        assertThat(CommandLineParser.parse("--help")).isEqualTo(new Invocation.Help());
        assertThat(CommandLineParser.parse("-h")).isEqualTo(new Invocation.Help());
        assertThat(CommandLineParser.parse("--port", "abc", "--help", "--version")).isEqualTo(new Invocation.Help());
    }

    @Test
    void versionIsRecognised() throws UsageException {
        assertThat(CommandLineParser.parse("--version")).isEqualTo(new Invocation.Version());
    }

    @Test
    void anUnknownOptionIsNamedWithTheOptionsExpected() {
        assertThatThrownBy(() -> CommandLineParser.parse("--config", "c.yaml", "--prot", "5"))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("unknown option --prot; expected one of --config, --port, --host,");
        assertThatThrownBy(() -> CommandLineParser.parse("-p", "5"))
                .hasMessageStartingWith("unknown option -p; expected one of");
        assertThatThrownBy(() -> CommandLineParser.parse("--prot=5"))
                .hasMessageStartingWith("unknown option --prot; expected one of");
    }

    @Test
    void aMissingValueAtTheEndIsNamed() {
        assertThatThrownBy(() -> CommandLineParser.parse("--config", "c.yaml", "--port"))
                .hasMessage("--port: expected a port from 1 to 65535, found nothing");
        assertThatThrownBy(() -> CommandLineParser.parse("--config"))
                .hasMessage("--config: expected a config file path, found nothing");
    }

    @Test
    void aMissingValueBeforeAnotherOptionIsNamed() {
        assertThatThrownBy(() -> CommandLineParser.parse("--config", "--port", "4000"))
                .hasMessage("--config: expected a config file path, found the option --port");
    }

    @Test
    void anEmptyValueIsAMissingValue() {
        assertThatThrownBy(() -> CommandLineParser.parse("--config", "c.yaml", "--host="))
                .hasMessage("--host: expected a host name or IP address to bind, found nothing");
        assertThatThrownBy(() -> CommandLineParser.parse("--config", "c.yaml", "--cluster-name", " "))
                .hasMessage("--cluster-name: expected a non-empty cluster name, found \" \"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--port", "--cluster-port"})
    void aPortOutOfRangeOrNotANumberIsRefusedWithTheValueFound(String flag) {
        assertThatThrownBy(() -> CommandLineParser.parse("--config", "c.yaml", flag, "0"))
                .hasMessage(flag + ": expected a port from 1 to 65535, found 0");
        assertThatThrownBy(() -> CommandLineParser.parse("--config", "c.yaml", flag, "70000"))
                .hasMessage(flag + ": expected a port from 1 to 65535, found 70000");
        assertThatThrownBy(() -> CommandLineParser.parse("--config", "c.yaml", flag, "abc"))
                .hasMessage(flag + ": expected a port from 1 to 65535, found \"abc\"");
        assertThatThrownBy(() -> CommandLineParser.parse("--config", "c.yaml", flag, "-1"))
                .hasMessage(flag + ": expected a port from 1 to 65535, found -1");
    }

    @Test
    void portsAtTheEdgesOfTheRangeAreAccepted() throws UsageException {
        Invocation invocation = CommandLineParser.parse("--config", "c.yaml", "--port", "1", "--cluster-port", "65535");

        NodeOptions options = ((Invocation.Start) invocation).options();
        assertThat(options.port()).hasValue(1);
        assertThat(options.clusterPort()).hasValue(65_535);
    }

    @ParameterizedTest
    @ValueSource(strings = {"node-a", "node-a:", ":5701", "node-a:0", "node-a:70000", "node a:5701", "::1:5701"})
    void aMalformedMemberIsNamedWithinTheList(String member) {
        String list = "10.0.0.1:5701," + member;

        assertThatThrownBy(() -> CommandLineParser.parse("--config", "c.yaml", "--members", list))
                .hasMessage("--members: expected a comma-separated list of host:port with ports from 1 to 65535,"
                        + " found \"" + member.strip() + "\" in \"" + list + "\"");
    }

    @Test
    void anEmptyEntryInTheMembersListIsRefused() {
        assertThatThrownBy(() -> CommandLineParser.parse("--config", "c.yaml", "--members", "a:1,,b:2"))
                .hasMessageStartingWith("--members: expected a comma-separated list of host:port")
                .hasMessageEndingWith("found \"\" in \"a:1,,b:2\"");
    }

    @Test
    void anOptionGivenTwiceIsRefused() {
        assertThatThrownBy(() -> CommandLineParser.parse("--config", "c.yaml", "--port", "4000", "--port=5000"))
                .hasMessage("--port given twice (4000 and 5000); expected it once");
    }

    @Test
    void aBareArgumentIsRefusedPointingAtConfig() {
        assertThatThrownBy(() -> CommandLineParser.parse("config.yaml"))
                .hasMessage("unexpected argument \"config.yaml\"; expected options only"
                        + " (the config file is given as --config FILE)");
    }

    @Test
    void startingWithoutAConfigFileIsRefused() {
        assertThatThrownBy(() -> CommandLineParser.parse())
                .hasMessage("--config FILE is required to start a node (--check-config FILE only checks a config)");
        assertThatThrownBy(() -> CommandLineParser.parse("--port", "4000"))
                .hasMessageStartingWith("--config FILE is required");
    }

    @Test
    void checkConfigStandsAlone() {
        assertThatThrownBy(() -> CommandLineParser.parse("--check-config", "c.yaml", "--port", "5000"))
                .hasMessage("--check-config cannot be combined with --port; expected --check-config FILE alone");
    }

    @Test
    void aFlagWithoutAValueRefusesOne() {
        assertThatThrownBy(() -> CommandLineParser.parse("--version=2"))
                .hasMessage("--version takes no value, found \"2\"");
    }
}
