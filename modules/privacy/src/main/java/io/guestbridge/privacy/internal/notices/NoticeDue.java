package io.guestbridge.privacy.internal.notices;

import io.guestbridge.platform.api.Message;

import java.util.Objects;
import java.util.UUID;

/**
 * A notice to mail about a privacy request, to its subject or to the DPO; {@link NoticeHandler} sends it.
 *
 * @param request the request's id
 * @param notice  which notice
 * @param system  the system a DPO notice is about, the recipient (sponsor id) a recipient notice goes to, or null
 */
public record NoticeDue(String request, Notices.Kind notice, String system) implements Message {

    public NoticeDue {
        UUID.fromString(request); // refuses anything that is not a request id
        Objects.requireNonNull(notice, "a notice names its kind");
    }
}
