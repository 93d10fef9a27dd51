package io.guestbridge.onboarding.internal;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PassphrasesTest {

    @Test
    void passphrasesAreLongTypeableAndDifferent() {
        Passphrases passphrases = new Passphrases(new SecureRandom());
        Set<String> seen = new HashSet<>();
        Set<Character> used = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String p = passphrases.passphrase();
            assertTrue(p.length() >= 12, p.length() + " characters");
            assertTrue(p.matches("[a-hjkmnp-z2-9]+"), "only typeable characters without look-alikes");
            p.chars().forEach(ch -> used.add((char) ch));
            seen.add(p);
        }
        assertEquals(2000, seen.size(), "no repeats");
        assertEquals(Passphrases.ALPHABET.length(), used.size(), "every symbol of the alphabet is drawn");
        for (char lookAlike : "ilo01IO".toCharArray()) {
            assertTrue(Passphrases.ALPHABET.indexOf(lookAlike) < 0, "no " + lookAlike);
        }
    }

    @Test
    void usernamesSayNothingAboutTheGuest() {
        String username = new Passphrases(new SecureRandom()).username();
        assertTrue(username.matches("wifi-[a-hjkmnp-z2-9]{10}"), username);
    }
}
