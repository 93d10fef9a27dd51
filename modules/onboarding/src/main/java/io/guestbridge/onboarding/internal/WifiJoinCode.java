package io.guestbridge.onboarding.internal;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.ReaderException;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import io.guestbridge.onboarding.api.CredentialKind;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;

/**
 * The Wi-Fi join code a phone camera reads to join the network: the {@code WIFI:} text that Android and iOS cameras
 * (and ZXing, whose format it is) understand, as a QR code. A personal pre-shared key joins as WPA
 * ({@code WIFI:T:WPA;S:<ssid>;P:<passphrase>;;}); a RADIUS account as WPA2-Enterprise with PAP inside TTLS, the
 * method our RADIUS answers (it checks the password itself, so the password must reach it as typed).
 */
final class WifiJoinCode {

    /** Pixels per QR module: a code of a short passphrase is about 300 px wide, readable from a screen or print. */
    private static final int MODULE_PIXELS = 8;

    private WifiJoinCode() {
    }

    static String text(CredentialKind kind, String ssid, String username, String passphrase) {
        return switch (kind) {
            case PPSK -> "WIFI:T:WPA;S:" + escape(ssid) + ";P:" + escape(passphrase) + ";;";
            case RADIUS -> "WIFI:T:WPA2-EAP;S:" + escape(ssid) + ";E:TTLS;PH2:PAP;I:" + escape(username) + ";P:" + escape(passphrase) + ";;";
        };
    }

    /** The format's escaping: a backslash before each of \ ; , " : (an SSID may hold any of them). */
    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 4);
        for (char ch : value.toCharArray()) {
            if (ch == '\\' || ch == ';' || ch == ',' || ch == '"' || ch == ':') {
                out.append('\\');
            }
            out.append(ch);
        }
        return out.toString();
    }

    /**
     * The QR code of {@code text} as a PNG that a quick scanner finds. The mask ZXing chooses by the standard's
     * penalty score can still draw a pattern that its own quick finder-pattern search misses (about one passphrase in
     * 300): each drawn code is read back, and one that is not found is drawn again with the next of the eight masks.
     */
    static byte[] png(String text) {
        for (int mask = -1; mask < 8; mask++) {
            BufferedImage image = draw(text, mask);
            if (readsBack(image, text)) {
                return encode(image);
            }
        }
        throw new IllegalStateException("no mask draws a QR code of the join text that reads back");
    }

    private static BufferedImage draw(String text, int mask) {
        Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
        hints.put(EncodeHintType.CHARACTER_SET, "UTF-8");
        hints.put(EncodeHintType.MARGIN, 4);
        hints.put(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M);
        if (mask >= 0) {
            hints.put(EncodeHintType.QR_MASK_PATTERN, mask);
        }
        BitMatrix matrix;
        try {
            matrix = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, hints);
        } catch (WriterException e) {
            throw new IllegalArgumentException("a Wi-Fi join text of " + text.length() + " characters does not fit a QR code", e);
        }
        int size = matrix.getWidth() * MODULE_PIXELS;
        BufferedImage image = new BufferedImage(size, matrix.getHeight() * MODULE_PIXELS, BufferedImage.TYPE_BYTE_BINARY);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < size; x++) {
                image.setRGB(x, y, matrix.get(x / MODULE_PIXELS, y / MODULE_PIXELS) ? 0xFF000000 : 0xFFFFFFFF);
            }
        }
        return image;
    }

    private static boolean readsBack(BufferedImage image, String text) {
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        try {
            return text.equals(new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
                    new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels)))).getText());
        } catch (ReaderException e) {
            return false;
        }
    }

    private static byte[] encode(BufferedImage image) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", png)) {
                throw new IllegalStateException("this Java has no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png.toByteArray();
    }
}
