package io.guestbridge.identity.internal;

import io.guestbridge.identity.api.GuestId;
import io.guestbridge.platform.api.SecretBox;
import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DevicesTest {

    @Test
    void macsAreNormalisedWhateverTheSeparatorsAndNonsenseIsNotAMac() {
        assertEquals("0001020304ab", Devices.normalizeMac("00-01-02-03-04-AB").orElseThrow());
        assertEquals("0001020304ab", Devices.normalizeMac("00:01:02:03:04:ab").orElseThrow());
        assertEquals("0001020304ab", Devices.normalizeMac("0001.0203.04ab").orElseThrow());
        assertTrue(Devices.normalizeMac("not a mac").isEmpty());
        assertTrue(Devices.normalizeMac("00:00:00:00:00:00").isEmpty(), "an all-zero MAC identifies nothing");
        assertTrue(Devices.normalizeMac(null).isEmpty());
    }

    @Test
    void locallyAdministeredMacsAreFlaggedRandomised() {
        assertFalse(Devices.randomised("000102030405"), "a manufacturer's (universally administered) MAC");
        assertTrue(Devices.randomised("da0102030405"), "iOS/Android private addresses set the locally administered bit");
        assertTrue(Devices.randomised("020102030405"));
        assertTrue(Devices.randomised("f60102030405"));
        assertFalse(Devices.randomised("fc0102030405"));
    }

    @Test
    void userAgentsBecomeDeviceTypeAndOs() {
        Devices.Parsed iphone = Devices.parse("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
                + "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1");
        assertEquals("iPhone", iphone.deviceType());
        assertEquals("iOS 17", iphone.os());
        Devices.Parsed desktop = Devices.parse("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/64.0.3282.85 Safari/537.36");
        assertEquals("Desktop", desktop.deviceType());
        assertEquals("Linux", desktop.os());
        assertEquals(new Devices.Parsed(null, null), Devices.parse(""));
    }

    @Test
    void theMacHashIsKeyedByThePepperAndTheRowKeyDoesNotLinkGuests() {
        SecretBox master = SecretBox.withKey(Base64.getEncoder().encodeToString(new byte[32]));
        GuestCrypto one = new GuestCrypto(master, null, "pepper-one".getBytes());
        GuestCrypto two = new GuestCrypto(master, null, "pepper-two".getBytes());
        assertNotEquals(one.macHash("000102030405"), two.macHash("000102030405"), "without the pepper the hash cannot be recomputed");
        assertEquals(one.macHash("000102030405"), one.macHash("000102030405"));
        String hash = one.macHash("000102030405");
        assertNotEquals(one.deviceKey(GuestId.random(), hash), one.deviceKey(GuestId.random(), hash),
                "the same device of two guests gets two unrelated row keys");
    }
}
