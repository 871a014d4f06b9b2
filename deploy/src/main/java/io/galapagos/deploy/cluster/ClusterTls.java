package io.galapagos.deploy.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Artery TLS between cluster nodes, from {@code galapagos.cluster.tls}: key store and trust store
 * files, and the NAME of the environment variable that holds their password (never the password
 * itself, so that no secret sits in a config file).
 */
public final class ClusterTls {

    private ClusterTls() {
    }

    /**
     * The Pekko settings that switch artery to {@code tls-tcp}, or an empty config when TLS is off.
     *
     * @param settings the {@code galapagos.cluster.tls} section
     * @param env      looks up environment variables ({@code System::getenv} outside tests)
     */
    public static Config artery(Config settings, UnaryOperator<String> env) {
        if (!settings.getBoolean("enabled")) {
            return ConfigFactory.empty();
        }
        Path keyStore = existing(settings, "key-store");
        Path trustStore = existing(settings, "trust-store");
        String passwordVariable = settings.getString("password-env");
        String password = env.apply(passwordVariable);
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("galapagos.cluster.tls is enabled but the environment variable "
                    + passwordVariable + " (galapagos.cluster.tls.password-env) is not set");
        }
        Map<String, Object> engine = Map.of(
                "key-store", keyStore.toString(),
                "trust-store", trustStore.toString(),
                "key-store-password", password,
                "key-password", password,
                "trust-store-password", password,
                "protocol", settings.getString("protocol"),
                "require-mutual-authentication", settings.getBoolean("require-mutual-authentication"),
                "hostname-verification", settings.getBoolean("hostname-verification"));
        return ConfigFactory.empty()
                .withValue("pekko.remote.artery.transport", ConfigValueFactory.fromAnyRef("tls-tcp"))
                .withValue("pekko.remote.artery.ssl.config-ssl-engine", ConfigValueFactory.fromMap(engine));
    }

    private static Path existing(Config settings, String key) {
        String value = settings.getString(key);
        if (value.isBlank()) {
            throw new IllegalArgumentException("galapagos.cluster.tls is enabled but galapagos.cluster.tls." + key + " is empty");
        }
        Path path = Path.of(value).toAbsolutePath();
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException("galapagos.cluster.tls." + key + ": cannot read " + path);
        }
        return path;
    }
}
