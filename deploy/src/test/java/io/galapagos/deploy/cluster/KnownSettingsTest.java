package io.galapagos.deploy.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KnownSettingsTest {

    private static final Config DEFAULTS = ConfigFactory.parseString("""
            galapagos { islands { count = 4, migration-interval = 10 }, worker.slots = 0 }
            pekko.loglevel = INFO
            """);

    @Test
    void knownKeysInAnyFormPassAndOtherLibrariesAreNotChecked() {
        Config user = ConfigFactory.parseString("""
                galapagos.islands.count = 2
                galapagos { worker { slots = 3 } }
                pekko.anything.at-all = 1
                other.tool = x
                """);

        assertThatCode(() -> KnownSettings.check(user, DEFAULTS)).doesNotThrowAnyException();
    }

    @Test
    void anUnknownKeyIsNamedWithTheNearestKnownSibling() {
        Config user = ConfigFactory.parseString("galapagos.islands.migraton-interval = 5");

        assertThatThrownBy(() -> KnownSettings.check(user, DEFAULTS))
                .hasMessageStartingWith("unknown setting galapagos.islands.migraton-interval")
                .hasMessageContaining("did you mean galapagos.islands.migration-interval?");
    }

    @Test
    void theObjectivesKeyIsKnownAndAMisspellingNamesIt() {
        Config reference = ConfigFactory.defaultReference();
        assertThatCode(() -> KnownSettings.check(ConfigFactory.parseString("galapagos.islands.objectives = pareto"),
                reference)).doesNotThrowAnyException();
        assertThatThrownBy(() -> KnownSettings.check(ConfigFactory.parseString("galapagos.islands.objective = pareto"),
                reference)).hasMessageContaining("did you mean galapagos.islands.objectives?");
    }

    @Test
    void anUnknownSectionIsNamedAsAWholeAndAKeyUnderALeafIsRefused() {
        assertThatThrownBy(() -> KnownSettings.check(ConfigFactory.parseString("galapagos.sandbox.slots = 2"), DEFAULTS))
                .hasMessageStartingWith("unknown setting galapagos.sandbox (String: 1)").hasMessageNotContaining("did you mean");
        assertThatThrownBy(() -> KnownSettings.check(ConfigFactory.parseString("galapagos.islands.count.max = 2"), DEFAULTS))
                .hasMessageStartingWith("unknown setting galapagos.islands.count.max");
    }

    @Test
    void aRemovedTwinKeyNamesTheKeyThatReplacedIt() {
        Config defaults = ConfigFactory.parseString("""
                galapagos { sandbox.heap = 512m, worker.slots = 0, islands.top-programs = 3
                            generation.prompt.max-program-chars = 8000 }
                """);

        assertThatThrownBy(() -> KnownSettings.check(ConfigFactory.parseString("galapagos.sandbox { slots = 2 }"), defaults))
                .hasMessageStartingWith("galapagos.sandbox.slots was replaced by galapagos.worker.slots (String: 1)")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> KnownSettings.check(
                ConfigFactory.parseString("galapagos.generation.prompt.top-programs = 5"), defaults))
                .hasMessageStartingWith("galapagos.generation.prompt.top-programs was replaced by galapagos.islands.top-programs");
        assertThat(KnownSettings.REPLACED.values()).allSatisfy(key -> assertThat(ConfigFactory.load().hasPath(key))
                .as(key + " is a key of some reference.conf").isTrue());
        assertThat(KnownSettings.REPLACED.keySet()).allSatisfy(key -> assertThat(ConfigFactory.load().hasPath(key))
                .as(key + " is gone from every reference.conf").isFalse());
    }

    @Test
    void unresolvedSubstitutionsInTheUsersFileAreNoObstacle() {
        Config user = ConfigFactory.parseString("galapagos.islands.count = ${?ISLANDS}\ngalapagos.worker.slots = ${n}\nn = 2");

        assertThatCode(() -> KnownSettings.check(user, DEFAULTS)).doesNotThrowAnyException();
    }

    @Test
    void distanceCountsSingleEdits() {
        assertThat(KnownSettings.distance("migraton", "migration")).isEqualTo(1);
        assertThat(KnownSettings.distance("slots", "slots")).isZero();
        assertThat(KnownSettings.distance("", "abc")).isEqualTo(3);
        assertThat(KnownSettings.distance("kitten", "sitting")).isEqualTo(3);
    }
}
