package dev.triage.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a LiteLLM-style config.yaml into a validated {@link TriageConfig}, in two steps: the
 * YAML document as plain maps and lists, then typed settings, section by section. The first
 * problem found stops the load with a {@link ConfigException}; keys LiteLLM knows but Triage
 * does not use are only warned about, so that real LiteLLM configs load.
 */
public final class ConfigLoader {
    static final List<String> TOP_LEVEL_KEYS =
            List.of("model_list", "litellm_settings", "router_settings", "general_settings", "cluster", "redis");

    private ConfigLoader() {}

    /** Reads {@code file}, resolving {@code os.environ/NAME} from this process's environment. */
    public static TriageConfig load(Path file) {
        return load(file, System.getenv());
    }

    public static TriageConfig load(Path file, Map<String, String> env) {
        return parse(read(file), file.toString(), env);
    }

    /** @param sourceName how errors and warnings name the text, e.g. {@code config.yaml} */
    public static TriageConfig parse(String yamlText, String sourceName, Map<String, String> env) {
        Object document = YamlDocument.parse(yamlText, sourceName);
        ReadContext context = new ReadContext(sourceName, Map.copyOf(env));
        ConfigSection root = root(context, document);
        root.warnAboutKeysOtherThan(TOP_LEVEL_KEYS);
        List<ModelGroupSettings> groups = ModelListReader.read(root);
        LitellmSettings litellm = LitellmSettingsReader.read(root.section("litellm_settings"));
        RouterSettings router = RouterSettingsReader.read(root.section("router_settings"), litellm);
        GeneralSettings general = GeneralSettingsReader.read(root.section("general_settings"));
        ClusterSettings cluster = ClusterSettingsReader.read(root.section("cluster"));
        Optional<RedisSettings> redis = RedisSettingsReader.read(root.section("redis"), router);
        return new TriageConfig(sourceName, groups, litellm, router, general, cluster, redis, context.warnings());
    }

    private static ConfigSection root(ReadContext context, Object document) {
        if (document == null) {
            return ConfigSection.empty(context, "");
        }
        if (document instanceof Map<?, ?> map) {
            return ConfigSection.of(context, "", map);
        }
        throw context.error(ConfigSection.TOP_LEVEL_PATH, Expected.TOP_LEVEL_MAP, Found.value(document));
    }

    private static String read(Path file) {
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new ConfigException(name, "", Expected.READABLE_FILE, Found.DIRECTORY);
        }
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(name, "", Expected.READABLE_FILE, Found.NO_SUCH_FILE, e);
        } catch (CharacterCodingException e) {
            throw new ConfigException(name, "", Expected.READABLE_FILE, Found.NOT_UTF_8, e);
        } catch (IOException e) {
            throw new ConfigException(name, "", Expected.READABLE_FILE, e.toString(), e);
        }
    }
}
