package io.galapagos.simulators.txn;

/**
 * One read or write of a transaction.
 *
 * @param write    true for {@code w-K}, false for {@code r-K}
 * @param key      the key K
 * @param position 1-based index of the operation's token in the transaction (placeholders count)
 */
public record Operation(boolean write, int key, int position) {
}
