package dev.triage.config;

import java.io.StringReader;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.DuplicateKeyException;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.representer.Representer;

/**
 * YAML text to plain maps, lists and scalars. SafeConstructor builds no arbitrary types, and
 * duplicate keys are refused rather than silently keeping the last one.
 */
final class YamlDocument {
    static final String DOCUMENT_PATH = "(document)";

    private YamlDocument() {}

    /** The document's root (null for an empty document). */
    static Object parse(String text, String file) {
        try {
            return yaml().load(text);
        } catch (DuplicateKeyException e) {
            throw duplicateKey(text, file, e);
        } catch (MarkedYAMLException e) {
            throw syntaxError(file, e);
        } catch (YAMLException e) {
            throw new ConfigException(file, DOCUMENT_PATH, Expected.VALID_YAML, e.getMessage(), e);
        }
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        DumperOptions dumperOptions = new DumperOptions();
        return new Yaml(new SafeConstructor(options), new Representer(dumperOptions), dumperOptions, options);
    }

    private static ConfigException syntaxError(String file, MarkedYAMLException e) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        String where = mark == null ? DOCUMENT_PATH : lineAndColumn(mark);
        String problem = e.getProblem() == null ? "a YAML error" : e.getProblem();
        String found = problem;
        if (e.getContext() != null) {
            // The context often starts where the typo is (a key without ": "), before the problem.
            Mark contextMark = e.getContextMark();
            boolean elsewhere = contextMark != null && mark != null && contextMark.getIndex() != mark.getIndex();
            found += " (" + e.getContext() + (elsewhere ? " at " + lineAndColumn(contextMark) : "") + ")";
        }
        return new ConfigException(file, where, Expected.VALID_YAML, found, e);
    }

    /** SnakeYAML reports only where the second key is; people want the path of the map too. */
    private static ConfigException duplicateKey(String text, String file, DuplicateKeyException e) {
        Mark mark = e.getProblemMark();
        Node root = yaml().compose(new StringReader(text));
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Optional<KeyAt> key = Optional.ofNullable(root).flatMap(node -> keyAt(node, "", mark, seen));
        String path = key.map(KeyAt::path).orElse(lineAndColumn(mark));
        String name = key.map(KeyAt::name).orElse("?");
        String found = Found.duplicateKeyAt(name, mark.getLine() + 1, mark.getColumn() + 1);
        return new ConfigException(file, path, Expected.UNIQUE_KEY, found, e);
    }

    private record KeyAt(String path, String name) {}

    private static Optional<KeyAt> keyAt(Node node, String path, Mark mark, Set<Node> seen) {
        if (!seen.add(node)) {
            return Optional.empty();
        }
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                Node keyNode = tuple.getKeyNode();
                String name = keyNode instanceof ScalarNode scalar ? scalar.getValue() : "?";
                String childPath = path.isEmpty() ? name : path + "." + name;
                if (keyNode.getStartMark().getIndex() == mark.getIndex()) {
                    return Optional.of(new KeyAt(childPath, name));
                }
                Optional<KeyAt> found = keyAt(tuple.getValueNode(), childPath, mark, seen);
                if (found.isPresent()) {
                    return found;
                }
            }
        } else if (node instanceof SequenceNode sequence) {
            for (int i = 0; i < sequence.getValue().size(); i++) {
                Optional<KeyAt> found = keyAt(sequence.getValue().get(i), path + "[" + i + "]", mark, seen);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private static String lineAndColumn(Mark mark) {
        return (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
    }
}
