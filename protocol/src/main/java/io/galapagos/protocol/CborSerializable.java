package io.galapagos.protocol;

/**
 * Marker for every message and event that crosses nodes or enters the journal; bound to Pekko's
 * {@code jackson-cbor} serializer. Never bind a second marker to the same class.
 */
public interface CborSerializable {
}
