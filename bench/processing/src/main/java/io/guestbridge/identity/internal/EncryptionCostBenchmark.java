package io.guestbridge.identity.internal;

import io.guestbridge.identity.api.GuestField;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.platform.api.DataKey;
import io.guestbridge.platform.api.SecretBox;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * What the per-guest encryption costs one processed event, measured in this JVM: unwrapping the
 * guest's data key (as the key vault does when it is not in its cache), decrypting the stored profile
 * (8 fields), encrypting the changed fields (7 for a new guest), the email's blind index, the device's peppered MAC hash and row key, and the raw body
 * (sealed under its day key on intake, opened, sealed again under the guest's key) — the crypto work done
 * per event. Prints microseconds per event.
 */
public final class EncryptionCostBenchmark {

    public static void main(String[] args) {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        byte[] master = new byte[32];
        new SecureRandom().nextBytes(master);
        SecretBox box = SecretBox.withKey(Base64.getEncoder().encodeToString(master));
        GuestCrypto crypto = new GuestCrypto(box, null);
        GuestId guest = GuestId.random();
        DataKey generated = DataKey.generate(GuestCrypto.KEY_KIND, guest.value());
        GuestCrypto.DataKey created = new GuestCrypto.DataKey(guest, generated);
        // as the key vault stores it: wrapped under the master key, bound to its kind and id
        String wrapped = box.seal(generated.material(), GuestCrypto.KEY_KIND + ":" + guest.value());
        GuestField[] fields = {GuestField.EMAIL, GuestField.FIRST_NAME, GuestField.LAST_NAME, GuestField.BIRTH_DATE, GuestField.GENDER,
                GuestField.LAST_VENUE, GuestField.DEVICE_TYPE, GuestField.OS};
        String[] sealed = new String[fields.length];
        for (int i = 0; i < fields.length; i++) {
            sealed[i] = created.encrypt(fields[i], "value of " + fields[i]);
        }
        NormalizedEmail email = NormalizedEmail.parse("jane.smith@example.com");
        // a raw Purple login is about 1 KB: sealed under the day key by the inbox writer, opened by processing,
        // then sealed again under the guest's key
        DataKey day = DataKey.generate("inbox-day", "2026-11-24");
        byte[] raw = new byte[1024];
        new SecureRandom().nextBytes(raw);
        byte[] dayBinding = "inbox-body|source|sha256".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long sink = 0;
        for (int round = 0; round < 2; round++) { // round 0 warms up
            long start = System.nanoTime();
            for (int e = 0; e < events; e++) {
                GuestCrypto.DataKey key = new GuestCrypto.DataKey(guest,
                        new DataKey(GuestCrypto.KEY_KIND, guest.value(), box.open(wrapped, GuestCrypto.KEY_KIND + ":" + guest.value())));
                for (int i = 0; i < fields.length; i++) {
                    sink += key.decrypt(fields[i], sealed[i]).length();
                }
                for (int i = 1; i < fields.length; i++) {
                    sink += key.encrypt(fields[i], "changed value " + e).length();
                }
                byte[] daySealed = day.seal(raw, dayBinding);
                sink += day.open(daySealed, dayBinding).length;
                sink += key.seal("inbox:" + e, daySealed).length;
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
