package io.galapagos.controller.generation;

/** An edit that cannot be applied; the message is the reason shown to the next prompt. */
final class EditRejected extends RuntimeException {

    EditRejected(String reason) {
        super(reason, null, false, false);
    }
}
