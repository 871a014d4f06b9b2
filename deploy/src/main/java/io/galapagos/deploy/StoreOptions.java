package io.galapagos.deploy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import picocli.CommandLine.Option;

import java.util.Optional;

/** The journal database flags shared by {@code node}, {@code db init} and the {@code --cluster} commands. */
public final class StoreOptions {

    @Option(names = "--db-url", description = "JDBC URL of the journal (jdbc:postgresql://... or jdbc:h2:...; default: galapagos.store.url)")
    Optional<String> url = Optional.empty();

    @Option(names = "--db-user", description = "database user (default: galapagos.store.user)")
    Optional<String> user = Optional.empty();

    @Option(names = "--db-password-env", paramLabel = "VAR",
            description = "NAME of the environment variable holding the database password (default: galapagos.store.password-env)")
    Optional<String> passwordEnv = Optional.empty();

    /** The flags as {@code galapagos.store.*} keys. */
    public Config flags() {
        Config flags = ConfigFactory.empty();
        if (url.isPresent()) {
            flags = flags.withValue("galapagos.store.url", ConfigValueFactory.fromAnyRef(url.get()));
        }
        if (user.isPresent()) {
            flags = flags.withValue("galapagos.store.user", ConfigValueFactory.fromAnyRef(user.get()));
        }
        if (passwordEnv.isPresent()) {
            flags = flags.withValue("galapagos.store.password-env", ConfigValueFactory.fromAnyRef(passwordEnv.get()));
        }
        return flags;
    }
}
