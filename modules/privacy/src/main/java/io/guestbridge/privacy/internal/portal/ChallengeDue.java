package io.guestbridge.privacy.internal.portal;

import io.guestbridge.platform.api.Message;

import java.util.UUID;

/**
 * The one-time code of a subject's proof (following a request, managing consents) to mail; {@link ChallengeHandler} sends it.
 *
 * @param challenge the proof's id
 */
public record ChallengeDue(String challenge) implements Message {

    public ChallengeDue {
        UUID.fromString(challenge); // refuses anything that is not a proof's id
    }
}
