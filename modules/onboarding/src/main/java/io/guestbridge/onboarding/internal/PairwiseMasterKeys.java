package io.guestbridge.onboarding.internal;

import jakarta.enterprise.context.ApplicationScoped;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The pairwise master keys of PPSK credentials, per credential and SSID, in this instance's memory only: deriving one
 * costs 4096 rounds of PBKDF2, and a Ruckus DPSK check needs one per candidate passphrase. An entry is named by the
 * credential, the SSID and a digest of the sealed passphrase, so a passphrase reissued on another instance never meets
 * this one's old key; it is dropped at once when this instance revokes, reissues or erases the credential, and the least
 * recently used go past {@value #CAPACITY}. Never logged, never written anywhere.
 */
@ApplicationScoped
public class PairwiseMasterKeys {

    /** A hotel's worth of in-house guests on a few SSIDs, many times over: 32 octets and a key each, about 3 MB. */
    static final int CAPACITY = 20_000;

    private record Entry(String credentialId, String ssid, String sealedDigest) {
    }

    private final Map<Entry, byte[]> keys = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Entry, byte[]> eldest) {
            if (size() > CAPACITY) {
                Arrays.fill(eldest.getValue(), (byte) 0);
                return true;
            }
            return false;
        }
    };

    /** The credential's key on the SSID if this instance derived it from the passphrase sealed as {@code sealed}; a copy. */
    Optional<byte[]> find(StoredCredential credential, String ssid) {
        Entry entry = entry(credential, ssid);
        synchronized (keys) {
            byte[] pmk = keys.get(entry);
            return pmk == null ? Optional.empty() : Optional.of(pmk.clone());
        }
    }

    void keep(StoredCredential credential, String ssid, byte[] pmk) {
        Entry entry = entry(credential, ssid);
        synchronized (keys) {
            keys.put(entry, pmk.clone());
        }
    }

    /** Drops every key of the credential (revoked, reissued, erased). */
    void forget(String credentialId) {
        synchronized (keys) {
            for (Iterator<Map.Entry<Entry, byte[]>> it = keys.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Entry, byte[]> e = it.next();
                if (e.getKey().credentialId().equals(credentialId)) {
                    Arrays.fill(e.getValue(), (byte) 0);
                    it.remove();
                }
            }
        }
    }

    int size() {
        synchronized (keys) {
            return keys.size();
        }
    }

    private static Entry entry(StoredCredential credential, String ssid) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(credential.sealedPassphrase());
            return new Entry(credential.id(), ssid, HexFormat.of().formatHex(digest, 0, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return "PairwiseMasterKeys[" + size() + " keys, hidden]";
    }
}
