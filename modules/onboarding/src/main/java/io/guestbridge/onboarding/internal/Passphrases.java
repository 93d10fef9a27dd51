package io.guestbridge.onboarding.internal;

import java.security.SecureRandom;

/**
 * Secrets a guest types on a phone: lower-case letters and digits without the look-alikes (i, l, o, 0, 1), so
 * no one reads "l" for "1" off a printed card. 31 symbols: 14 of them are about 69 bits, beyond any online
 * guessing a network allows.
 */
final class Passphrases {

    static final String ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
    static final int PASSPHRASE_LENGTH = 14;
    static final int USERNAME_RANDOM_LENGTH = 10;
    /** Every RADIUS account's user name starts so; a controller's MAC authentication never does. */
    static final String USERNAME_PREFIX = "wifi-";

    private final SecureRandom random;

    Passphrases(SecureRandom random) {
        this.random = random;
    }

    String passphrase() {
        return draw(PASSPHRASE_LENGTH);
    }

    /** A RADIUS user name that says nothing about the guest. */
    String username() {
        return USERNAME_PREFIX + draw(USERNAME_RANDOM_LENGTH);
    }

    private String draw(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }
}
