package io.galapagos.controller.generation;

import java.util.List;

/** A built prompt: the system message and the user message. */
public record Prompt(String system, String user) {

    public List<ChatMessage> messages() {
        return List.of(ChatMessage.system(system), ChatMessage.user(user));
    }

    public int chars() {
        return system.length() + user.length();
    }
}
