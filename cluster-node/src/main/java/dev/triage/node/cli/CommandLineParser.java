package dev.triage.node.cli;

import dev.triage.config.ClusterSettings;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * Turns the arguments into an {@link Invocation}, or a {@link UsageException} whose message names
 * the flag, what was expected and what was found. Pure: it reads no file and prints nothing.
 *
 * <p>Every option is given once, as {@code --flag VALUE} or {@code --flag=VALUE}. {@code --help}
 * (or {@code -h}) anywhere wins over everything else, then {@code --version}, so that a person
 * who asks for help gets it even beside a mistake. {@code --check-config FILE} stands alone.
 */
public final class CommandLineParser {
    static final String PORT_RANGE = "a port from 1 to 65535";
    private static final String NOTHING = "nothing";
    private static final String HELP_ALIAS = "-h";

    private CommandLineParser() {}

    public static Invocation parse(String... args) throws UsageException {
        List<String> tokens = Arrays.asList(args);
        if (tokens.contains(Flag.HELP.flagName()) || tokens.contains(HELP_ALIAS)) {
            return new Invocation.Help();
        }
        if (tokens.contains(Flag.VERSION.flagName())) {
            return new Invocation.Version();
        }
        Map<Flag, String> values = values(tokens);
        if (values.containsKey(Flag.CHECK_CONFIG)) {
            return checkConfig(values);
        }
        if (!values.containsKey(Flag.CONFIG)) {
            throw new UsageException(Flag.CONFIG.synopsis() + " is required to start a node ("
                    + Flag.CHECK_CONFIG.synopsis() + " only checks a config)");
        }
        return new Invocation.Start(new NodeOptions(
                path(Flag.CONFIG, values.get(Flag.CONFIG)),
                port(Flag.PORT, values),
                text(Flag.HOST, values),
                port(Flag.CLUSTER_PORT, values),
                members(values),
                text(Flag.CLUSTER_NAME, values),
                bindAddress(Flag.CLUSTER_HOST, values)));
    }

    /** Each flag with its value (the empty string for a flag that takes none), in any order. */
    private static Map<Flag, String> values(List<String> tokens) throws UsageException {
        Map<Flag, String> values = new EnumMap<>(Flag.class);
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (!token.startsWith("-")) {
                throw new UsageException("unexpected argument " + quoted(token)
                        + "; expected options only (the config file is given as " + Flag.CONFIG.synopsis() + ")");
            }
            int equals = token.indexOf('=');
            String name = equals < 0 ? token : token.substring(0, equals);
            Flag flag = Flag.named(name).orElseThrow(() -> new UsageException("unknown option " + name
                    + "; expected one of " + Arrays.stream(Flag.values())
                            .map(Flag::flagName)
                            .collect(Collectors.joining(", "))));
            String value;
            if (!flag.takesValue()) {
                if (equals >= 0) {
                    throw new UsageException(name + " takes no value, found " + quoted(token.substring(equals + 1)));
                }
                value = "";
            } else if (equals >= 0) {
                value = token.substring(equals + 1);
            } else if (i + 1 < tokens.size() && !tokens.get(i + 1).startsWith("--")) {
                value = tokens.get(++i);
            } else {
                String found = i + 1 < tokens.size() ? "the option " + tokens.get(i + 1) : NOTHING;
                throw mismatch(flag, found);
            }
            if (flag.takesValue() && value.isBlank()) {
                throw mismatch(flag, value.isEmpty() ? NOTHING : quoted(value));
            }
            String earlier = values.putIfAbsent(flag, value);
            if (earlier != null) {
                throw new UsageException(name + " given twice (" + shown(earlier) + " and " + shown(value)
                        + "); expected it once");
            }
        }
        return values;
    }

    private static Invocation checkConfig(Map<Flag, String> values) throws UsageException {
        Optional<Flag> other = values.keySet().stream().filter(flag -> flag != Flag.CHECK_CONFIG).findFirst();
        if (other.isPresent()) {
            throw new UsageException(Flag.CHECK_CONFIG.flagName() + " cannot be combined with "
                    + other.get().flagName() + "; expected " + Flag.CHECK_CONFIG.synopsis() + " alone");
        }
        return new Invocation.CheckConfig(path(Flag.CHECK_CONFIG, values.get(Flag.CHECK_CONFIG)));
    }

    private static Path path(Flag flag, String value) throws UsageException {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw mismatch(flag, quoted(value) + " (" + e.getReason() + ")");
        }
    }

    private static OptionalInt port(Flag flag, Map<Flag, String> values) throws UsageException {
        String value = values.get(flag);
        if (value == null) {
            return OptionalInt.empty();
        }
        if (!isPort(value)) {
            throw mismatch(flag, shown(value));
        }
        return OptionalInt.of(Integer.parseInt(value));
    }

    private static Optional<String> text(Flag flag, Map<Flag, String> values) throws UsageException {
        String value = values.get(flag);
        if (value != null && value.chars().anyMatch(Character::isWhitespace)) {
            throw mismatch(flag, quoted(value));
        }
        return Optional.ofNullable(value);
    }

    private static Optional<String> bindAddress(Flag flag, Map<Flag, String> values) throws UsageException {
        String value = values.get(flag);
        if (value != null && !ClusterSettings.isIpv4Address(value)) throw mismatch(flag, quoted(value));
        return Optional.ofNullable(value);
    }

    private static List<String> members(Map<Flag, String> values) throws UsageException {
        String value = values.get(Flag.MEMBERS);
        if (value == null) {
            return List.of();
        }
        List<String> members = new ArrayList<>();
        for (String entry : value.split(",", -1)) {
            String member = entry.strip();
            if (!isHostAndPort(member)) {
                throw mismatch(Flag.MEMBERS, quoted(member) + " in " + quoted(value));
            }
            members.add(member);
        }
        return members;
    }

    /**
     * {@code host:port}, {@code 10.0.0.1:5701} or {@code [::1]:5701}: the rule the config applies
     * to {@code cluster.members}, so that both ways of naming members accept the same text.
     */
    static boolean isHostAndPort(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            return false;
        }
        String host = text.substring(0, colon);
        boolean bracketed = host.startsWith("[") && host.endsWith("]") && host.length() > 2;
        boolean plain = !host.contains(":") && host.chars().noneMatch(c -> Character.isWhitespace(c) || c == '/');
        return (bracketed || plain) && isPort(text.substring(colon + 1));
    }

    private static boolean isPort(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        int number = Integer.parseInt(text);
        return number >= 1 && number <= 65_535;
    }

    private static UsageException mismatch(Flag flag, String found) {
        return new UsageException(flag.flagName() + ": expected " + flag.expected() + ", found " + found);
    }

    /** An integer as is, anything else quoted: {@code 70000}, {@code "abc"}. */
    private static String shown(String value) {
        return value.matches("-?[0-9]{1,18}") ? value : quoted(value);
    }

    private static String quoted(String text) {
        return "\"" + text + "\"";
    }
}
