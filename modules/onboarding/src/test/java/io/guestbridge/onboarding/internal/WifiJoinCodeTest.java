package io.guestbridge.onboarding.internal;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import io.guestbridge.onboarding.api.CredentialKind;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WifiJoinCodeTest {

    @Test
    void aPersonalKeyJoinsAsWpa() {
        assertEquals("WIFI:T:WPA;S:Grand Hotel Guests;P:abcd2345efgh67;;",
                WifiJoinCode.text(CredentialKind.PPSK, "Grand Hotel Guests", "wifi-x", "abcd2345efgh67"));
    }

    @Test
    void aRadiusAccountJoinsAsEnterpriseWithPapInsideTtls() {
        assertEquals("WIFI:T:WPA2-EAP;S:Guests;E:TTLS;PH2:PAP;I:wifi-abc;P:secret;;",
                WifiJoinCode.text(CredentialKind.RADIUS, "Guests", "wifi-abc", "secret"));
    }

    @Test
    void theFormatsSpecialCharactersAreEscaped() {
        assertEquals("Caf\\\\\\;\\,\\\"\\:e", WifiJoinCode.escape("Caf\\;,\":e"));
        assertEquals("WIFI:T:WPA;S:Bar\\;Lounge;P:p\\:w;;", WifiJoinCode.text(CredentialKind.PPSK, "Bar;Lounge", null, "p:w"));
    }

    @Test
    void thePngDecodesToTheJoinText() throws Exception {
        String text = WifiJoinCode.text(CredentialKind.PPSK, "Hôtel \"Étoile\"; Guests", null, "abcd2345efgh67");
        assertEquals(text, decode(WifiJoinCode.png(text)));
    }

    @Test
    void everyDrawnCodeIsFoundByTheQuickSearchToo() throws Exception {
        // a mailed code is read by whatever scanner the guest has: ZXing's quick search (no hints) must find each one
        java.util.Random random = new java.util.Random(7);
        java.util.List<String> missed = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            StringBuilder passphrase = new StringBuilder();
            for (int c = 0; c < Passphrases.PASSPHRASE_LENGTH; c++) {
                passphrase.append(Passphrases.ALPHABET.charAt(random.nextInt(Passphrases.ALPHABET.length())));
            }
            String text = i % 2 == 0 ? WifiJoinCode.text(CredentialKind.PPSK, "Onboarding Hotel Guests", null, passphrase.toString())
                    : WifiJoinCode.text(CredentialKind.RADIUS, "Onboarding Hotel Guests", "wifi-" + passphrase.substring(0, 10), passphrase.toString());
            try {
                assertEquals(text, decode(WifiJoinCode.png(text)));
            } catch (com.google.zxing.NotFoundException e) {
                missed.add(text);
            }
        }
        assertEquals(java.util.List.of(), missed, "codes the quick search did not find");
    }

    static String decode(byte[] png) throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels))))
                .getText();
    }
}
