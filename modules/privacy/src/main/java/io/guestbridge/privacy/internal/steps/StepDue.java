package io.guestbridge.privacy.internal.steps;

import io.guestbridge.platform.api.Message;

import java.util.UUID;

/**
 * A privacy request's step to run (or run again): the step in this database first, then one per system of
 * the data map. {@link RequestStepHandler} runs it; a confirmed step is never redone.
 *
 * @param request the request's id
 * @param system  the data map's name of the system
 */
public record StepDue(String request, String system) implements Message {

    public StepDue {
        UUID.fromString(request); // refuses anything that is not a request id
        if (system == null || system.isBlank()) {
            throw new IllegalArgumentException("a step names its system");
        }
    }
}
