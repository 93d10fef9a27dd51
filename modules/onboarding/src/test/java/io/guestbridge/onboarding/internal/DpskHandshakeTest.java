package io.guestbridge.onboarding.internal;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DpskHandshakeTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void thePairwiseMasterKeyIsIeee80211iAnnexH4s() {
        assertEquals("f42c6fc52df0ebef9ebb4b90b38a5f902e83fe1b135a70e23aed762e9710a12e",
                HEX.formatHex(DpskHandshake.pairwiseMasterKey("password".getBytes(StandardCharsets.UTF_8), "IEEE")));
        assertEquals("0dc0d6eb90555ed6419756b9a15ec3e3209b63df707dd508d14581f8982721af",
                HEX.formatHex(DpskHandshake.pairwiseMasterKey("ThisIsAPassword".getBytes(StandardCharsets.UTF_8), "ThisIsASSID")));
    }

    /** A captured message 2 from FreeRADIUS's rlm_dpsk tests: its passphrase, SSID and the PMK they expect. */
    @Test
    void aCapturedHandshakeIsMadeWithItsPassphraseOnly() {
        byte[] frame = HEX.parseHex("0203007502010a00100000000000000001c3bb319516614aacfb44e933bf1671131fb1856e5b2721952d414ce3f5aa312b"
                + "000000000000000000000000000000000000000000000000000000000000000035cddcedad0dfb6a12a2eca55c17c323001630140100000fac040100000fac040100000fac028c00");
        DpskHandshake handshake = DpskHandshake.of(HEX.parseHex("8ab3a0ebd5e5"), HEX.parseHex("34efb6af489e"),
                HEX.parseHex("4df70a4285c5c61f177cdbfc29d7e3cac94167f6101f1bcab420dd50c4f8809d"), frame).orElseThrow();
        byte[] pmk = DpskHandshake.pairwiseMasterKey("Pancakes1124".getBytes(StandardCharsets.UTF_8), "Andrena_39_Lincoln");
        assertEquals("44a4f34b6270fccb7dffa8c9e610e3b80f021c8165bcf53c99c3f818167982ab", HEX.formatHex(pmk));
        assertTrue(handshake.madeWith(pmk));
        assertFalse(handshake.madeWith(DpskHandshake.pairwiseMasterKey("Pancakes1125".getBytes(StandardCharsets.UTF_8), "Andrena_39_Lincoln")));
        assertFalse(handshake.madeWith(DpskHandshake.pairwiseMasterKey("Pancakes1124".getBytes(StandardCharsets.UTF_8), "Andrena_39")),
                "the SSID salts the key");
        // the same frame from another device or access point is another handshake
        assertFalse(DpskHandshake.of(HEX.parseHex("8ab3a0ebd5e6"), HEX.parseHex("34efb6af489e"),
                HEX.parseHex("4df70a4285c5c61f177cdbfc29d7e3cac94167f6101f1bcab420dd50c4f8809d"), frame).orElseThrow().madeWith(pmk));
    }

    @Test
    void aSyntheticHandshakeSignedByAnIndependentPrf512IsRecognisedAndATamperedOneIsNot() throws Exception {
        SecureRandom random = new SecureRandom();
        for (int round = 0; round < 20; round++) {
            byte[] device = bytes(random, 6);
            byte[] accessPoint = bytes(random, 6);
            byte[] anonce = bytes(random, 32);
            byte[] snonce = bytes(random, 32);
            byte[] pmk = bytes(random, 32);
            byte[] frame = Synthetic.messageTwo(pmk, device, accessPoint, anonce, snonce);
            DpskHandshake handshake = DpskHandshake.of(device, accessPoint, anonce, frame).orElseThrow();
            assertTrue(handshake.madeWith(pmk), "round " + round);
            assertFalse(handshake.madeWith(bytes(random, 32)));
            byte[] tampered = frame.clone();
            tampered[frame.length - 1] ^= 1;
            assertFalse(DpskHandshake.of(device, accessPoint, anonce, tampered).orElseThrow().madeWith(pmk));
            assertFalse(DpskHandshake.of(device, accessPoint, bytes(random, 32), frame).orElseThrow().madeWith(pmk), "another ANonce");
        }
    }

    @Test
    void onlyHmacSha1HandshakesOfPlausibleShapeAreChecked() {
        SecureRandom random = new SecureRandom();
        byte[] frame = Synthetic.messageTwo(bytes(random, 32), bytes(random, 6), bytes(random, 6), bytes(random, 32), bytes(random, 32));
        byte[] version1 = frame.clone();
        version1[6] = (byte) ((version1[6] & 0xf8) | 1); // HMAC-MD5 / RC4: TKIP
        assertEquals(Optional.empty(), DpskHandshake.of(bytes(random, 6), bytes(random, 6), bytes(random, 32), version1));
        assertEquals(Optional.empty(), DpskHandshake.of(bytes(random, 6), bytes(random, 6), bytes(random, 31), frame));
        assertEquals(Optional.empty(), DpskHandshake.of(bytes(random, 5), bytes(random, 6), bytes(random, 32), frame));
        assertEquals(Optional.empty(), DpskHandshake.of(bytes(random, 6), bytes(random, 6), bytes(random, 32), Arrays.copyOf(frame, 98)));
        assertEquals(Optional.empty(), DpskHandshake.of(bytes(random, 6), null, bytes(random, 32), frame));
    }

    @Test
    void octetsAreReadInBothOfRlmRestsForms() {
        assertArrayEquals(new byte[] {0x34, (byte) 0xef, 0x00}, DpskHandshake.octets("0x34ef00").orElseThrow(), "3.2.1: 0x and hex");
        assertArrayEquals(new byte[] {2, 3, 0, (byte) 0xff, 'a'}, DpskHandshake.octets("\u0002\u0003\u0000\u00ffa").orElseThrow(),
                "later 3.2: the octets, one character each");
        assertArrayEquals("0xz1".getBytes(StandardCharsets.ISO_8859_1), DpskHandshake.octets("0xz1").orElseThrow());
        assertEquals(Optional.empty(), DpskHandshake.octets("\u0100"));
        assertEquals(Optional.empty(), DpskHandshake.octets(null));
        assertArrayEquals(HEX.parseHex("8ab3a0ebd5e5"), DpskHandshake.mac("8A-B3-A0-EB-D5-E5").orElseThrow());
        assertArrayEquals(HEX.parseHex("8ab3a0ebd5e5"), DpskHandshake.mac("8ab3.a0eb.d5e5").orElseThrow());
        assertEquals(Optional.empty(), DpskHandshake.mac("8ab3a0ebd5"));
    }

    private static byte[] bytes(SecureRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** A device's message 2 signed as IEEE 802.11 says, written out here without the class under test. */
    static final class Synthetic {

        static byte[] messageTwo(byte[] pmk, byte[] device, byte[] accessPoint, byte[] anonce, byte[] snonce) {
            try {
                ByteArrayOutputStream data = new ByteArrayOutputStream();
                boolean macs = Arrays.compareUnsigned(device, accessPoint) < 0;
                boolean nonces = Arrays.compareUnsigned(snonce, anonce) < 0;
                data.write(macs ? device : accessPoint);
                data.write(macs ? accessPoint : device);
                data.write(nonces ? snonce : anonce);
                data.write(nonces ? anonce : snonce);
                byte[] ptk = prf512(pmk, "Pairwise key expansion", data.toByteArray());
                byte[] kck = Arrays.copyOf(ptk, 16);
                byte[] rsn = HEX.parseHex("30140100000fac040100000fac040100000fac020000");
                ByteArrayOutputStream key = new ByteArrayOutputStream();
                key.write(2);                                           // descriptor type: RSN
                key.write(new byte[] {0x01, 0x0a});                     // key information: pairwise, MIC, version 2
                key.write(new byte[] {0x00, 0x00});                     // key length
                key.write(new byte[] {0, 0, 0, 0, 0, 0, 0, 1});         // replay counter
                key.write(snonce);
                key.write(new byte[16 + 8 + 8]);                        // IV, RSC, reserved
                key.write(new byte[16]);                                // MIC, zero while it is computed
                key.write(new byte[] {0, (byte) rsn.length});
                key.write(rsn);
                byte[] body = key.toByteArray();
                ByteArrayOutputStream frame = new ByteArrayOutputStream();
                frame.write(new byte[] {0x02, 0x03, (byte) (body.length >> 8), (byte) body.length});
                frame.write(body);
                byte[] out = frame.toByteArray();
                Mac hmac = Mac.getInstance("HmacSHA1");
                hmac.init(new SecretKeySpec(kck, "HmacSHA1"));
                System.arraycopy(hmac.doFinal(out), 0, out, 81, 16);
                return out;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        /** PRF-512 of IEEE 802.11: HMAC-SHA1(K, A ‖ 0 ‖ B ‖ i) for i = 0, 1, …, concatenated, 64 octets. */
        static byte[] prf512(byte[] key, String label, byte[] data) throws Exception {
            Mac hmac = Mac.getInstance("HmacSHA1");
            hmac.init(new SecretKeySpec(key, "HmacSHA1"));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; out.size() < 64; i++) {
                hmac.update(label.getBytes(StandardCharsets.US_ASCII));
                hmac.update((byte) 0);
                hmac.update(data);
                hmac.update((byte) i);
                out.write(hmac.doFinal());
            }
            return Arrays.copyOf(out.toByteArray(), 64);
        }
    }
}
