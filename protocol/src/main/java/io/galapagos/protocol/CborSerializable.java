package io.galapagos.protocol;

/**
 * Marker for every message and event that crosses nodes or enters the journal; bound to Pekko's
 * {@code jackson-cbor} serializer. Never bind a second marker to the same class.
 *
 * <p>These classes are a schema: a journal written today must resume after any later upgrade, and nodes
 * of two versions meet during a rolling upgrade. The rules:
 * <ul>
 *   <li>An added field has a default for data that lacks it: the record's compact constructor turns the
 *       missing value (null, or 0 for a primitive) into the default. A constructor never rejects what an
 *       older version wrote: the rules for what a user can get wrong are checked where settings are built
 *       from configuration and flags ({@code RunSettings.check()}), so a later, stricter rule never breaks
 *       a replay.</li>
 *   <li>Only what replays a run goes into the journal; values that say how a node runs it (intervals,
 *       timeouts, retries, concurrency) come from that node's current configuration. A removed field needs
 *       no rewrite (unknown properties are ignored: {@code FAIL_ON_UNKNOWN_PROPERTIES = off}), but its
 *       classes still get the next format version.</li>
 *   <li>A renamed or removed field, or a changed meaning, gets a Pekko {@code JacksonMigration} for the
 *       top-level class (the event, snapshot or message), registered under
 *       {@code pekko.serialization.jackson.migrations} with the new version; it rewrites the older JSON
 *       tree. Never reuse a field name for another meaning.</li>
 *   <li>One serialized instance of every public class, in every format version, is committed under
 *       {@code controller/src/test/resources/io/galapagos/controller/formats}, and {@code WireFormatsTest}
 *       reads them all; a change of format is committed there as the next version. A run folder of an
 *       earlier release is committed in the deploy module's test resources and resumed by {@code UpgradeTest}.</li>
 *   <li>Messages that never leave their node (timers, an entity's messages to itself) stay package-private
 *       and are not part of the schema.</li>
 *   <li>Keys and other secrets never enter these classes, only the names of the variables that hold them.</li>
 * </ul>
 */
public interface CborSerializable {
}
