package io.guestbridge.identity.internal;

import io.guestbridge.identity.api.GuestField;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.platform.api.SecretBox;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * What the per-guest encryption costs one processed event, measured in this JVM: unwrapping the
 * guest's data key, decrypting the stored profile (8 fields), encrypting the changed fields (7 for a
 * new guest), the email's blind index and the device's peppered MAC hash and row key — the crypto
 * work processing does per event. Prints microseconds per event.
 */
public final class EncryptionCostBenchmark {

    public static void main(String[] args) {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        byte[] master = new byte[32];
        new SecureRandom().nextBytes(master);
        GuestCrypto crypto = new GuestCrypto(SecretBox.withKey(Base64.getEncoder().encodeToString(master)));
        GuestId guest = GuestId.random();
        GuestCrypto.DataKey created = crypto.newKey(guest);
        String wrapped = created.wrapped();
        GuestField[] fields = {GuestField.EMAIL, GuestField.FIRST_NAME, GuestField.LAST_NAME, GuestField.BIRTH_DATE, GuestField.GENDER,
                GuestField.LAST_VENUE, GuestField.DEVICE_TYPE, GuestField.OS};
        String[] sealed = new String[fields.length];
        for (int i = 0; i < fields.length; i++) {
            sealed[i] = created.encrypt(fields[i], "value of " + fields[i]);
        }
        NormalizedEmail email = NormalizedEmail.parse("jane.smith@example.com");
        long sink = 0;
        for (int round = 0; round < 2; round++) { // round 0 warms up
            long start = System.nanoTime();
            for (int e = 0; e < events; e++) {
                GuestCrypto.DataKey key = crypto.unwrap(guest, wrapped);
                for (int i = 0; i < fields.length; i++) {
                    sink += key.decrypt(fields[i], sealed[i]).length();
                }
                for (int i = 1; i < fields.length; i++) {
                    sink += key.encrypt(fields[i], "changed value " + e).length();
                }
                sink += crypto.blindIndex(email).length();
                String mac = crypto.macHash("0a1b2c3d4e5f");
                sink += crypto.deviceKey(guest, mac).length() + key.encrypt("device", mac).length();
            }
            if (round == 1) {
                double micros = (System.nanoTime() - start) / 1_000.0 / events;
                System.out.printf("crypto per_event_us=%.1f events=%d (sink %d)%n", micros, events, sink % 10);
            }
        }
    }
}
