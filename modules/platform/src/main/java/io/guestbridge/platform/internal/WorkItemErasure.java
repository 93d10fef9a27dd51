package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.SubjectErasure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * Waiting work about the guest alone: nothing may sync it again. Items carry the guest their message names
 * ({@link io.guestbridge.platform.api.Message#guestId()}), so this needs no knowledge of any module's payloads or keys.
 * An item about several guests (a CRM request's worth of contacts) names none and stays: its handler finds the erased
 * guest gone and sends nothing for them.
 */
@ApplicationScoped
public class WorkItemErasure implements SubjectErasure {

    @Inject
    ContainerWorkQueue queue;

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public int erase(Subject subject) {
        if (subject.guestId() == null) {
            return 0;
        }
        return queue.eraseGuest(subject.guestId());
    }

    @Override
    public String module() {
        return "platform";
    }
}
