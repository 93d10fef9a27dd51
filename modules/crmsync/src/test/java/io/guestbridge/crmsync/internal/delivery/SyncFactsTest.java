package io.guestbridge.crmsync.internal.delivery;

import io.guestbridge.consent.api.ConsentDecision;
import io.guestbridge.crmsync.internal.connectors.SyncTrigger;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Set;

import static io.guestbridge.crmsync.internal.connectors.SyncTrigger.CONSENT_CHANGE;
import static io.guestbridge.crmsync.internal.connectors.SyncTrigger.FIRST_LOGIN;
import static io.guestbridge.crmsync.internal.connectors.SyncTrigger.RETURN_VISIT;
import static io.guestbridge.crmsync.internal.connectors.SyncTrigger.STAY;
import static io.guestbridge.crmsync.internal.delivery.SyncFacts.NEVER_SYNCED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyncFactsTest {

    private static final Instant BOOKED = Instant.parse("2026-11-20T10:00:00Z");
    private static final Instant CHECKED_IN = Instant.parse("2026-11-25T15:00:00Z");

    private static SyncFacts facts(int visits, Instant stays, Long consent, ConsentDecision decision) {
        return new SyncFacts(visits, stays, consent, decision, null);
    }

    private static SyncFacts rectified(int visits, Instant rectifiedAt) {
        return new SyncFacts(visits, null, 4L, ConsentDecision.GRANTED, rectifiedAt);
    }

    @Test
    void aGuestNeverSyncedWithALoginHadAFirstLogin() {
        assertEquals(Set.of(FIRST_LOGIN), facts(1, null, null, null).firedSince(NEVER_SYNCED));
    }

    @Test
    void aGuestNeverSyncedWhoseOnlyFactIsAStayHadAStay() {
        assertEquals(Set.of(STAY), facts(0, BOOKED, null, null).firedSince(NEVER_SYNCED));
    }

    @Test
    void aGuestFirstSeenByAConnectorAfterManyVisitsHadAFirstLoginAndReturnVisits() {
        assertEquals(Set.of(FIRST_LOGIN, RETURN_VISIT), facts(3, null, null, null).firedSince(NEVER_SYNCED));
    }

    @Test
    void aSecondVisitIsAReturnVisitNotAFirstLogin() {
        assertEquals(Set.of(RETURN_VISIT), facts(2, null, 7L, ConsentDecision.GRANTED).firedSince(facts(1, null, 7L, ConsentDecision.GRANTED)));
    }

    @Test
    void aLaterBookingEventIsAStayAndTheSameOneIsNot() {
        SyncFacts synced = facts(1, BOOKED, null, null);
        assertEquals(Set.of(STAY), facts(1, CHECKED_IN, null, null).firedSince(synced));
        assertEquals(Set.of(), facts(1, BOOKED, null, null).firedSince(synced), "nothing happened since the last sync");
    }

    @Test
    void anotherConsentEntryInForceIsAConsentChange() {
        assertEquals(Set.of(CONSENT_CHANGE), facts(1, null, 9L, ConsentDecision.DENIED).firedSince(facts(1, null, 7L, ConsentDecision.GRANTED)));
        assertEquals(Set.of(CONSENT_CHANGE, FIRST_LOGIN), facts(1, null, 3L, ConsentDecision.GRANTED).firedSince(NEVER_SYNCED));
    }

    @Test
    void aConnectorOnEveryTriggerSendsEveryChangeEvenWhenNoneFired() {
        SyncFacts same = facts(2, BOOKED, 7L, ConsentDecision.GRANTED);
        assertTrue(same.decide(SyncTrigger.ALL, same).send(), "behaviour of connectors without triggers configured is unchanged");
    }

    @Test
    void aConnectorForStaysSkipsALoginAndSendsTheBooking() {
        SyncFacts loggedIn = facts(1, null, 4L, ConsentDecision.GRANTED);
        assertFalse(loggedIn.decide(Set.of(STAY), NEVER_SYNCED).send());
        // the login was skipped, so nothing was kept for this connector: the booking is compared with "never synced"
        assertTrue(facts(1, BOOKED, 4L, ConsentDecision.GRANTED).decide(Set.of(STAY), NEVER_SYNCED).send());
    }

    @Test
    void aConnectorForFirstLoginsSkipsAReturnVisit() {
        SyncFacts first = facts(1, null, null, null);
        assertTrue(first.decide(Set.of(FIRST_LOGIN), NEVER_SYNCED).send());
        SyncFacts.Decision back = facts(2, null, null, null).decide(Set.of(FIRST_LOGIN), first);
        assertFalse(back.send());
        assertEquals("none of FIRST_LOGIN fired", back.why());
    }

    @Test
    void aWithdrawalGoesWhateverTheTriggersOnceAndNotAgain() {
        SyncFacts granted = facts(1, null, 7L, ConsentDecision.GRANTED);
        SyncFacts withdrawn = facts(1, null, 8L, ConsentDecision.WITHDRAWN);
        SyncFacts.Decision decision = withdrawn.decide(Set.of(STAY), granted);
        assertTrue(decision.send());
        assertEquals("withdrawal", decision.why());
        assertFalse(facts(2, null, 8L, ConsentDecision.WITHDRAWN).decide(Set.of(STAY), withdrawn).send(),
                "a withdrawal the connector was sent is not a reason to send a later return visit");
        assertTrue(withdrawn.decide(Set.of(FIRST_LOGIN), NEVER_SYNCED).send(), "nor does a connector that never had the guest miss it");
    }

    @Test
    void aDeclineIsAConsentChangeOnlyNotAWithdrawal() {
        SyncFacts declined = facts(1, null, 8L, ConsentDecision.DENIED);
        assertFalse(declined.decide(Set.of(STAY), facts(1, null, 7L, ConsentDecision.GRANTED)).send(),
                "declining is not withdrawing: it goes only to connectors that sync consent changes");
        assertTrue(declined.decide(Set.of(CONSENT_CHANGE), facts(1, null, 7L, ConsentDecision.GRANTED)).send());
    }

    @Test
    void aRectificationGoesWhateverTheTriggersOnceAndNotAgain() {
        Instant corrected = Instant.parse("2026-11-26T09:00:00Z");
        SyncFacts synced = rectified(1, null);
        SyncFacts.Decision decision = rectified(1, corrected).decide(Set.of(STAY), synced);
        assertTrue(decision.send(), "every recipient is told of a rectification, whatever its triggers");
        assertEquals("rectification", decision.why());
        assertTrue(rectified(1, corrected).rectificationNotSentSince(synced));
        SyncFacts sent = rectified(1, corrected);
        SyncFacts.Decision visit = rectified(2, corrected).decide(Set.of(STAY), sent);
        assertFalse(visit.send(), "a rectification the connector was sent is not a reason to send a later return visit");
        assertEquals("none of STAY fired", visit.why());
    }

    @Test
    void aLaterRectificationGoesAgainAndAnOlderOneDoesNot() {
        Instant first = Instant.parse("2026-11-26T09:00:00Z");
        Instant second = Instant.parse("2026-11-27T09:00:00Z");
        assertTrue(rectified(1, second).decide(Set.of(FIRST_LOGIN), rectified(1, first)).send(), "a second correction is news to the connector");
        // the rectified field was overwritten by its master since: the latest standing correction is an older one
        assertFalse(rectified(1, first).decide(Set.of(FIRST_LOGIN), rectified(1, second)).send());
        assertFalse(rectified(1, null).decide(Set.of(FIRST_LOGIN), rectified(1, second)).send(), "no correction standing, nothing to tell");
    }

    @Test
    void aRectificationIsNotATriggerOfItsOwn() {
        Instant corrected = Instant.parse("2026-11-26T09:00:00Z");
        assertEquals(Set.of(), rectified(1, corrected).firedSince(rectified(1, null)), "it goes past the triggers, not through one");
        assertTrue(rectified(1, corrected).decide(SyncTrigger.ALL, rectified(1, corrected)).send(), "every trigger still sends every change");
    }
}
