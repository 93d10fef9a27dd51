package io.guestbridge.onboarding.internal;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.identity.api.GuestDirectory;
import io.guestbridge.identity.api.GuestDirectory.StayEntry;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.identity.api.Venues;
import io.guestbridge.onboarding.api.CredentialKind;
import io.guestbridge.onboarding.api.WifiAccess;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.WorkQueue;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The life of the guests' WiFi credentials. A credential follows the guest's stays at a venue whose network is
 * configured: issued when a stay gives access, its window moved when the stays move (the same passphrase: the
 * guest may already have typed it), revoked at once when no stay gives access any more (cancellation, early
 * check-out). Every change is audited in its transaction, by ids: never the passphrase.
 */
@ApplicationScoped
public class Credentials implements WifiAccess {

    private static final Logger LOG = Logger.getLogger(Credentials.class.getName());

    private final OnboardingStore store = new OnboardingStore();
    private final Passphrases passphrases = new Passphrases(new SecureRandom());

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    GuestDirectory guests;

    @Inject
    Venues venues;

    @Inject
    AuditTrail trail;

    @Inject
    WorkQueue queue;

    @Inject
    PairwiseMasterKeys pmks;

    /** What happened to one credential, for the audit record. */
    private record Change(String action, StoredCredential credential, ValidityWindow window, String reason) {
    }

    /** Brings the guest's credentials in line with their stays as they are now. Joins the caller's transaction. */
    @Transactional(TxType.MANDATORY)
    public void follow(GuestId guest, Instant now, String actor) {
        if (!Jdbc.inConnection(dataSource, "onboarding", store::anyNetwork)) {
            return; // no venue gives credentials: nothing to read about the guest
        }
        List<StayEntry> stays = guests.stays(guest);
        Set<String> sources = stays.stream().map(StayEntry::sourceId).collect(Collectors.toSet());
        List<Network> networks = Jdbc.inConnection(dataSource, "onboarding", c -> store.networksTouching(c, sources, guest));
        for (Network network : networks) {
            Optional<ZoneId> zone = venues.find(network.venueId()).map(Venues.Venue::zone);
            if (zone.isEmpty()) {
                LOG.warning(() -> "onboarding: the network of venue " + network.venueId() + " names no known venue; its credentials are left as they are");
                continue;
            }
            AccessPlan plan = AccessPlan.of(stays, network.bookingSourceId(), network.policy(), zone.get(), now);
            apply(guest, network, plan, now).ifPresent(change -> {
                audit(guest, change, actor);
                pushIfMeraki(network, change.credential());
            });
        }
    }

    private Optional<Change> apply(GuestId guest, Network network, AccessPlan plan, Instant now) {
        return Jdbc.inConnection(dataSource, "onboarding", c -> {
            Optional<StoredCredential> current = store.activeForUpdate(c, guest, network.venueId());
            if (plan.window().isEmpty()) {
                if (current.isPresent() && store.revoke(c, current.get().id(), plan.endReason(), now)) {
                    pmks.forget(current.get().id());
                    return Optional.of(new Change("WIFI_CREDENTIAL_REVOKED", current.get(), current.get().window(), plan.endReason()));
                }
                return Optional.empty();
            }
            ValidityWindow window = plan.window().get();
            if (current.isPresent()) {
                if (current.get().window().equals(window) || !store.moveWindow(c, current.get().id(), window, now)) {
                    return Optional.empty();
                }
                return Optional.of(new Change("WIFI_CREDENTIAL_WINDOW_MOVED", current.get(), window, null));
            }
            if (store.revokedByOperator(c, guest, network.venueId(), window)) {
                return Optional.empty(); // staff ended this stay's access: a later booking event does not bring it back
            }
            String id = UUID.randomUUID().toString();
            Optional<byte[]> sealed = guests.seal(guest, StoredCredential.sealLabel(id), passphrases.passphrase().getBytes(StandardCharsets.UTF_8));
            if (sealed.isEmpty()) {
                return Optional.empty(); // the guest's data key is gone: an erased guest gets nothing new
            }
            StoredCredential issued = new StoredCredential(id, guest, network.venueId(), network.kind(), passphrases.username(), sealed.get(),
                    window, StoredCredential.State.ACTIVE, null, null, now, null);
            store.insert(c, issued);
            return Optional.of(new Change("WIFI_CREDENTIAL_ISSUED", issued, window, null));
        });
    }

    /** A venue whose PPSKs live on a Meraki dashboard is told of the change after this transaction, by the queue. */
    private void pushIfMeraki(Network network, StoredCredential credential) {
        if (network.meraki() != null && credential.kind() == CredentialKind.PPSK) {
            queue.publish(IdentityPskDue.follow(credential));
        }
    }

    private void audit(GuestId guest, Change change, String actor) {
        AuditEvent.Builder event = AuditEvent.of("onboarding", change.action()).by(actor).about(guest.subjectRef())
                .with("credential", change.credential().id()).with("venue", change.credential().venueId())
                .with("kind", change.credential().kind()).with("validFrom", change.window().from()).with("validUntil", change.window().until());
        if (change.reason() != null) {
            event.with("reason", change.reason());
        }
        trail.record(event.build());
    }

    /** A venue's credentials for staff, newest first, without passphrases. */
    @Transactional(TxType.SUPPORTS)
    public List<StoredCredential> ofVenue(String venueId, StoredCredential.State state, int limit) {
        return Jdbc.inConnection(dataSource, "onboarding", c -> store.ofVenue(c, venueId, state, limit));
    }

    /** What a staff action found. */
    enum StaffOutcome { DONE, NOT_FOUND, NOT_ACTIVE, GUEST_ERASED }

    /** Ends a credential at once, by a person (e.g. a guest who lost their phone); audited with the person as actor. */
    @Transactional
    public StaffOutcome revokeByStaff(String id, String actor) {
        return Jdbc.inConnection(dataSource, "onboarding", c -> {
            Optional<StoredCredential> found = store.byIdForUpdate(c, id);
            if (found.isEmpty()) {
                return StaffOutcome.NOT_FOUND;
            }
            if (!store.revoke(c, id, OnboardingStore.OPERATOR, Instant.now())) {
                return StaffOutcome.NOT_ACTIVE;
            }
            pmks.forget(id);
            audit(found.get().guest(), new Change("WIFI_CREDENTIAL_REVOKED", found.get(), found.get().window(), OnboardingStore.OPERATOR), actor);
            store.network(c, found.get().venueId()).ifPresent(network -> pushIfMeraki(network, found.get()));
            return StaffOutcome.DONE;
        });
    }

    /**
     * Gives an active credential a new passphrase (the old one stops working at once) and delivers it again on every
     * channel; the user name and window stay. Audited with the person as actor, never the passphrase.
     */
    @Transactional
    public StaffOutcome reissue(String id, String actor) {
        return Jdbc.inConnection(dataSource, "onboarding", c -> {
            Optional<StoredCredential> found = store.byIdForUpdate(c, id);
            if (found.isEmpty()) {
                return StaffOutcome.NOT_FOUND;
            }
            StoredCredential credential = found.get();
            if (credential.state() != StoredCredential.State.ACTIVE) {
                return StaffOutcome.NOT_ACTIVE;
            }
            Optional<byte[]> sealed = guests.seal(credential.guest(), StoredCredential.sealLabel(id),
                    passphrases.passphrase().getBytes(StandardCharsets.UTF_8));
            if (sealed.isEmpty()) {
                return StaffOutcome.GUEST_ERASED;
            }
            store.replacePassphrase(c, id, sealed.get(), Instant.now());
            pmks.forget(id);
            audit(credential.guest(), new Change("WIFI_CREDENTIAL_REISSUED", credential, credential.window(), null), actor);
            store.network(c, credential.venueId()).ifPresent(network -> pushIfMeraki(network, credential));
            return StaffOutcome.DONE;
        });
    }

    /**
     * Checks a RADIUS account's user name and password at {@code at}: the time left in its window when the
     * credential is active, of the RADIUS kind, inside its window and the password matches; empty otherwise.
     * Also empty once the guest's data key is destroyed (erasure), whatever rows remain. Not transactional (it reads;
     * FreeRADIUS asks outside any transaction, and an interceptor on every RADIUS request costs for nothing).
     */
    public Optional<Duration> authenticate(String username, String password, Instant at) {
        if (username == null || password == null || username.length() > 32) {
            return Optional.empty();
        }
        Optional<StoredCredential> found = Jdbc.inConnection(dataSource, "onboarding", c -> store.byUsername(c, username));
        if (found.isEmpty() || found.get().state() != StoredCredential.State.ACTIVE || found.get().kind() != CredentialKind.RADIUS
                || !found.get().window().contains(at)) {
            return Optional.empty();
        }
        StoredCredential credential = found.get();
        Optional<byte[]> passphrase = guests.open(credential.guest(), StoredCredential.sealLabel(credential.id()), credential.sealedPassphrase());
        if (passphrase.isEmpty() || !MessageDigest.isEqual(passphrase.get(), password.getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        return Optional.of(credential.window().leftAt(at));
    }

    /** How many devices one PPSK credential may have bound: a guest's phone, laptop, tablet and a few more. */
    static final int DEVICES_PER_CREDENTIAL = 8;

    /** What binding a device found. */
    enum DeviceOutcome { BOUND, ALREADY_BOUND, UNBOUND, NOT_BOUND, NOT_FOUND, NOT_ACTIVE, NOT_PPSK, NOT_A_MAC, HELD_BY_ANOTHER, TOO_MANY }

    /**
     * Lets a device join the credential's PPSK network with its passphrase (what a controller asking by MAC gets back).
     * Kept as the deployment's keyed device hash only; audited with the person as actor, by ids (never the MAC or hash).
     */
    @Transactional
    public DeviceOutcome bindDevice(String id, String mac, String actor) {
        return onDevice(id, mac, (c, credential, hash) -> bind(c, credential, hash, actor));
    }

    private DeviceOutcome bind(Connection c, StoredCredential credential, String hash, String actor) throws SQLException {
        String id = credential.id();
        if (credential.state() != StoredCredential.State.ACTIVE) {
            return DeviceOutcome.NOT_ACTIVE;
        }
        if (credential.kind() != CredentialKind.PPSK) {
            return DeviceOutcome.NOT_PPSK;
        }
        if (store.activeHolderAtVenue(c, credential.venueId(), hash, id).isPresent()) {
            return DeviceOutcome.HELD_BY_ANOTHER;
        }
        int devices = store.devicesOf(c, id);
        if (devices >= DEVICES_PER_CREDENTIAL) {
            return DeviceOutcome.TOO_MANY;
        }
        if (!store.bindDevice(c, id, hash, Instant.now())) {
            return DeviceOutcome.ALREADY_BOUND;
        }
        trail.record(AuditEvent.of("onboarding", "WIFI_CREDENTIAL_DEVICE_BOUND").by(actor).about(credential.guest().subjectRef())
                .with("credential", id).with("venue", credential.venueId()).with("devices", devices + 1).build());
        return DeviceOutcome.BOUND;
    }

    /**
     * Stops a device joining with the credential's passphrase (a device bound by mistake, or one the guest no longer
     * has): its next MAC authentication is rejected. Audited with the person as actor, by ids.
     */
    @Transactional
    public DeviceOutcome unbindDevice(String id, String mac, String actor) {
        return onDevice(id, mac, (c, credential, hash) -> {
            if (!store.unbindDevice(c, id, hash)) {
                return DeviceOutcome.NOT_BOUND;
            }
            trail.record(AuditEvent.of("onboarding", "WIFI_CREDENTIAL_DEVICE_UNBOUND").by(actor).about(credential.guest().subjectRef())
                    .with("credential", id).with("venue", credential.venueId()).with("devices", store.devicesOf(c, id)).build());
            return DeviceOutcome.UNBOUND;
        });
    }

    /** What binding or unbinding does once the MAC is a MAC and the credential is found, locked. */
    @FunctionalInterface
    private interface DeviceChange {
        DeviceOutcome apply(Connection c, StoredCredential credential, String deviceHash) throws SQLException;
    }

    private DeviceOutcome onDevice(String id, String mac, DeviceChange change) {
        Optional<String> hash = guests.deviceHash(mac);
        if (hash.isEmpty()) {
            return DeviceOutcome.NOT_A_MAC;
        }
        return Jdbc.inConnection(dataSource, "onboarding", c -> {
            Optional<StoredCredential> found = store.byIdForUpdate(c, id);
            return found.isEmpty() ? DeviceOutcome.NOT_FOUND : change.apply(c, found.get(), hash.get());
        });
    }

    /** What a PPSK device asking over RADIUS is answered: the time left, the vendor's attributes, the passphrase. */
    record DeviceAccess(Duration left, RadiusVendor vendor, byte[] passphrase) {
        @Override
        public String toString() {
            return "DeviceAccess[" + left + " " + vendor + ", passphrase hidden]";
        }
    }

    /**
     * The passphrase a device (by its MAC, as a controller's MAC authentication sends it) joins with at {@code at}: only
     * for a device bound to exactly one active PPSK credential inside its window, on a network that names its RADIUS
     * vendor (and, when the controller says which SSID it asks for, the one of that SSID). Empty otherwise, and once the
     * guest's data key is destroyed (erasure). Not transactional, as {@link #authenticate}.
     */
    public Optional<DeviceAccess> device(String mac, String ssid, Instant at) {
        Optional<String> hash = guests.deviceHash(mac);
        if (hash.isEmpty()) {
            return Optional.empty();
        }
        List<OnboardingStore.DeviceCredential> candidates = Jdbc.inConnection(dataSource, "onboarding", c -> store.activeForDevice(c, hash.get()))
                .stream().filter(d -> d.radiusVendor() != null && d.radiusVendor().answersWithPassphrase() && d.credential().window().contains(at))
                .filter(d -> ssid == null || ssid.equals(d.ssid())).toList();
        if (candidates.size() != 1) {
            return Optional.empty(); // unknown, outside every window, or two venues' networks and no SSID to choose
        }
        StoredCredential credential = candidates.get(0).credential();
        return guests.open(credential.guest(), StoredCredential.sealLabel(credential.id()), credential.sealedPassphrase())
                .map(passphrase -> new DeviceAccess(credential.window().leftAt(at), candidates.get(0).radiusVendor(), passphrase));
    }

    /** Who bound a device that proved a passphrase in a Ruckus DPSK handshake, in the audit trail. */
    static final String DPSK_ACTOR = "radius:ruckus-dpsk";

    /**
     * How many credentials an unbound device's handshake is checked against: the network's PPSK credentials valid now,
     * newest window first. Checking one whose key is derived costs two HMACs (microseconds), so this only bounds a
     * request's reads and memory: a hotel's in-house guests fit many times.
     */
    static final int DPSK_CANDIDATES = 1000;

    /**
     * How many pairwise master keys one request may derive (4096 PBKDF2 rounds each, about 7 ms on a loaded 2-core
     * machine): about 170 ms at most, well inside rlm_rest's 4 s timeout and an access point's RADIUS timeout, so a burst
     * of unknown devices cannot hold the server's threads for long. The keys derived are kept; a device whose passphrase
     * was not reached is rejected this time and checked further on its next attempt.
     */
    static final int DPSK_DERIVATIONS_PER_REQUEST = 24;

    /** What a Ruckus access point asking with a device's DPSK handshake is answered: the time left and the pairwise master key. */
    record DpskAccess(Duration left, byte[] pairwiseMasterKey) {
        @Override
        public String toString() {
            return "DpskAccess[" + left + ", key hidden]";
        }
    }

    private record DpskMatch(StoredCredential credential, byte[] pairwiseMasterKey) {
    }

    /**
     * Which guest's passphrase made the device's handshake on the Ruckus network named {@code ssid}, at {@code at}. A device
     * bound to a credential there is checked against that credential only; an unbound one against the network's PPSK
     * credentials inside their window (at most {@value #DPSK_CANDIDATES}, deriving at most
     * {@value #DPSK_DERIVATIONS_PER_REQUEST} new keys), and on a match it is bound to that credential as staff would bind
     * it (the per-credential device limit holds; audited by ids, with {@value #DPSK_ACTOR} as actor). Empty when no
     * passphrase matches, and once the guest's data key is destroyed (erasure).
     */
    @Transactional
    public Optional<DpskAccess> dpsk(String mac, String ssid, DpskHandshake handshake, Instant at) {
        Optional<String> hash = guests.deviceHash(mac);
        if (hash.isEmpty() || ssid == null) {
            return Optional.empty();
        }
        return Jdbc.inConnection(dataSource, "onboarding", c -> {
            List<StoredCredential> bound = store.activeForDevice(c, hash.get()).stream()
                    .filter(d -> d.radiusVendor() == RadiusVendor.RUCKUS && ssid.equals(d.ssid()) && d.credential().window().contains(at))
                    .map(OnboardingStore.DeviceCredential::credential).toList();
            List<StoredCredential> candidates = bound.isEmpty() ? store.dpskCandidates(c, ssid, at, DPSK_CANDIDATES) : bound;
            Optional<DpskMatch> match = matching(candidates, ssid, handshake);
            if (match.isEmpty()) {
                return Optional.empty();
            }
            if (bound.isEmpty()) {
                Optional<StoredCredential> locked = store.byIdForUpdate(c, match.get().credential().id());
                if (locked.isEmpty() || bind(c, locked.get(), hash.get(), DPSK_ACTOR) != DeviceOutcome.BOUND) {
                    return Optional.empty(); // revoked meanwhile, the device held at the venue by another stay, or too many devices
                }
            }
            return Optional.of(new DpskAccess(match.get().credential().window().leftAt(at), match.get().pairwiseMasterKey()));
        });
    }

    private Optional<DpskMatch> matching(List<StoredCredential> candidates, String ssid, DpskHandshake handshake) {
        List<StoredCredential> underived = new java.util.ArrayList<>();
        for (StoredCredential candidate : candidates) {
            Optional<byte[]> pmk = pmks.find(candidate, ssid);
            if (pmk.isEmpty()) {
                underived.add(candidate);
            } else if (handshake.madeWith(pmk.get())) {
                return Optional.of(new DpskMatch(candidate, pmk.get()));
            }
        }
        for (StoredCredential candidate : underived.subList(0, Math.min(underived.size(), DPSK_DERIVATIONS_PER_REQUEST))) {
            Optional<byte[]> passphrase = guests.open(candidate.guest(), StoredCredential.sealLabel(candidate.id()), candidate.sealedPassphrase());
            if (passphrase.isEmpty()) {
                continue; // the guest is being erased
            }
            byte[] pmk = DpskHandshake.pairwiseMasterKey(passphrase.get(), ssid);
            java.util.Arrays.fill(passphrase.get(), (byte) 0);
            pmks.keep(candidate, ssid, pmk);
            if (handshake.madeWith(pmk)) {
                return Optional.of(new DpskMatch(candidate, pmk));
            }
        }
        return Optional.empty();
    }

    @Override
    @Transactional(TxType.SUPPORTS)
    public List<Credential> credentials(GuestId guest) {
        return Jdbc.inConnection(dataSource, "onboarding", c -> store.ofGuest(c, guest)).stream().map(Credentials::view).toList();
    }

    static Credential view(StoredCredential c) {
        return new Credential(c.id(), c.venueId(), c.kind(), c.username(), c.window().from(), c.window().until(), c.state().name(),
                c.revokedReason(), c.deliveredAt());
    }
}
