package io.galapagos.simulators.txn;

import java.util.ArrayList;
import java.util.List;

/**
 * A transaction of a workload.
 *
 * @param id         its index in the workload, 0-based (the number a schedule lists)
 * @param length     number of tokens, placeholders {@code *} included: the time it runs
 * @param operations its reads and writes in token order
 */
public record Transaction(int id, int length, List<Operation> operations) {

    public Transaction {
        operations = List.copyOf(operations);
    }

    /** Parses the published text form, e.g. {@code "r-3 w-40 * *"}: tokens split on single spaces. */
    public static Transaction parse(int id, String text) {
        String[] tokens = text.split(" ", -1);
        List<Operation> operations = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
            String token = tokens[i];
            if (token.equals("*")) {
                continue;
            }
            if (token.length() < 3 || token.charAt(1) != '-' || (token.charAt(0) != 'r' && token.charAt(0) != 'w')) {
                throw new IllegalArgumentException("transaction " + id + ": token '" + token
                        + "' is neither '*' nor r-KEY / w-KEY");
            }
            int key;
            try {
                key = Integer.parseInt(token.substring(2));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("transaction " + id + ": key of '" + token + "' is not an integer");
            }
            operations.add(new Operation(token.charAt(0) == 'w', key, i + 1));
        }
        return new Transaction(id, tokens.length, operations);
    }

    /** The text form, e.g. {@code "r-3 w-40 * *"}. */
    public String text() {
        String[] tokens = new String[length];
        java.util.Arrays.fill(tokens, "*");
        for (Operation op : operations) {
            tokens[op.position() - 1] = (op.write() ? "w-" : "r-") + op.key();
        }
        return String.join(" ", tokens);
    }
}
