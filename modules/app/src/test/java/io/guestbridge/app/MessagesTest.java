package io.guestbridge.app;

import com.tngtech.archunit.core.domain.JavaClass;
import io.guestbridge.crmsync.internal.delivery.ContactDue;
import io.guestbridge.crmsync.internal.delivery.ContactsDue;
import io.guestbridge.identity.api.GuestChanged;
import io.guestbridge.identity.api.GuestStayChanged;
import io.guestbridge.ingestion.internal.inbox.InboxRowsReceived;
import io.guestbridge.onboarding.internal.CredentialDue;
import io.guestbridge.onboarding.internal.IdentityPskDue;
import io.guestbridge.platform.api.Message;
import io.guestbridge.platform.api.MessageCodec;
import io.guestbridge.privacy.internal.notices.NoticeDue;
import io.guestbridge.privacy.internal.notices.Notices;
import io.guestbridge.privacy.internal.portal.ChallengeDue;
import io.guestbridge.privacy.internal.steps.StepDue;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every message the modules send each other survives the codec, and reads the payloads that versions which
 * wrote them by hand left in the queue (an upgrade finds them waiting): their member names are the stored form.
 */
class MessagesTest {

    private static final String GUEST = "3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e";
    private static final String REQUEST = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";

    /** One message of each type, and a payload of that type as the hand-built strings wrote it. */
    private static final Map<Message, String> SAMPLES = Map.ofEntries(
            Map.entry(new GuestChanged(GUEST), "{\"guest\":\"" + GUEST + "\"}"),
            // the stay follower's queue held GuestChanged payloads before this message: the same form
            Map.entry(new GuestStayChanged(GUEST), "{\"guest\":\"" + GUEST + "\"}"),
            Map.entry(new ContactDue(GUEST, Instant.parse("2026-11-24T10:00:00.123456Z")),
                    "{\"guest\":\"" + GUEST + "\",\"changedAt\":\"2026-11-24T10:00:00.123456Z\"}"),
            // never written by hand: its codec form
            Map.entry(new ContactsDue(List.of(new ContactDue(GUEST, Instant.parse("2026-11-24T10:00:00.123456Z")), new ContactDue(REQUEST, null))),
                    "{\"contacts\":[{\"changedAt\":\"2026-11-24T10:00:00.123456Z\",\"guest\":\"" + GUEST + "\"},{\"guest\":\"" + REQUEST + "\"}]}"),
            Map.entry(new InboxRowsReceived(List.of(41L, 42L, 7_000_000_000L)), "{\"inbox\":[41, 42, 7000000000]}"),
            Map.entry(new StepDue(REQUEST, "local"), "{\"request\":\"" + REQUEST + "\",\"system\":\"local\"}"),
            Map.entry(new NoticeDue(REQUEST, Notices.Kind.OUTCOME, null), "{\"request\":\"" + REQUEST + "\",\"notice\":\"OUTCOME\"}"),
            Map.entry(new NoticeDue(REQUEST, Notices.Kind.DPO_STEP_FAILING, "hubspot-main"),
                    "{\"request\":\"" + REQUEST + "\",\"notice\":\"DPO_STEP_FAILING\",\"system\":\"hubspot-main\"}"),
            Map.entry(new ChallengeDue(REQUEST), "{\"challenge\":\"" + REQUEST + "\"}"),
            Map.entry(new CredentialDue(REQUEST, GUEST), "{\"credential\":\"" + REQUEST + "\",\"guest\":\"" + GUEST + "\"}"),
            Map.entry(new IdentityPskDue(REQUEST, "venue-1", GUEST, null),
                    "{\"credential\":\"" + REQUEST + "\",\"venue\":\"venue-1\",\"guest\":\"" + GUEST + "\"}"),
            Map.entry(new IdentityPskDue(REQUEST, "venue-1", null, "1284392014820"),
                    "{\"credential\":\"" + REQUEST + "\",\"venue\":\"venue-1\",\"pskId\":\"1284392014820\"}"));

    @Test
    void everyMessageTypeOfTheModulesIsSampledHere() {
        Set<String> declared = MainClasses.all().stream().filter(c -> c.isAssignableTo(Message.class) && !c.isInterface())
                .map(JavaClass::getName).collect(Collectors.toCollection(TreeSet::new));
        Set<String> sampled = SAMPLES.keySet().stream().map(m -> m.getClass().getName()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(declared, sampled, "a new message type gets a sample (and an old payload, if one was ever stored) here");
    }

    @Test
    void everyMessageComesBackAsItWasSent() {
        SAMPLES.keySet().forEach(m -> assertEquals(m, MessageCodec.decode(MessageCodec.encode(m), m.getClass()), m.getClass().getSimpleName()));
    }

    @Test
    void payloadsWrittenByHandBeforeTheCodecStillDecode() {
        SAMPLES.forEach((m, old) -> assertEquals(m, MessageCodec.decode(old, m.getClass()), old));
    }

    @Test
    void theGuestAMessageIsAboutIsKnownToTheQueue_soErasureFindsIt() {
        assertEquals(GUEST, new GuestChanged(GUEST).guestId());
        assertEquals(GUEST, new ContactDue(GUEST, null).guestId());
        assertEquals(new GuestChanged(GUEST).coalesceKey(), new ContactDue(GUEST, null).coalesceKey(),
                "a guest's CRM work coalesces under one key on every queue, as before");
        assertEquals(GUEST, ContactsDue.of(new ContactDue(GUEST, null)).guestId());
        assertEquals(new GuestChanged(GUEST).coalesceKey(), ContactsDue.of(new ContactDue(GUEST, null)).coalesceKey(),
                "one contact due coalesces with the guest's other CRM work");
    }

    @Test
    void aPayloadAMessageRefusesIsMalformedNotAMessageWithHoles() {
        assertThrows(MessageCodec.MalformedMessageException.class, () -> MessageCodec.decode("{\"guest\":\"guest:42\"}", GuestChanged.class));
        assertThrows(MessageCodec.MalformedMessageException.class, () -> MessageCodec.decode("{}", GuestChanged.class));
        assertThrows(MessageCodec.MalformedMessageException.class, () -> MessageCodec.decode("{\"inbox\":[1,\"x\"]}", InboxRowsReceived.class));
        assertThrows(MessageCodec.MalformedMessageException.class, () -> MessageCodec.decode("{\"request\":\"" + REQUEST + "\"}", StepDue.class));
        assertThrows(MessageCodec.MalformedMessageException.class,
                () -> MessageCodec.decode("{\"request\":\"" + REQUEST + "\",\"notice\":\"BIRTHDAY\"}", NoticeDue.class));
    }
}
