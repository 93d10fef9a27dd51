package io.guestbridge.onboarding.internal;

import io.guestbridge.platform.api.Jsonp;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class RadiusVendorTest {

    private static JsonObject reply(RadiusVendor vendor) {
        JsonObjectBuilder reply = Jsonp.JSON.createObjectBuilder();
        vendor.addPassphrase(reply, "abc%{User-Name}");
        return reply.build();
    }

    @Test
    void ciscoAndMerakiGetTwoAvPairsAddedNotReplacedAndNeverExpanded() {
        JsonObject avPair = reply(RadiusVendor.CISCO_MERAKI).getJsonObject("reply:Cisco-AVPair");
        assertEquals("+=", avPair.getString("op"), "both values kept: := would leave the last one only");
        assertFalse(avPair.getBoolean("do_xlat"), "a passphrase is not a FreeRADIUS expansion");
        assertEquals(2, avPair.getJsonArray("value").size());
        assertEquals("psk-mode=ascii", avPair.getJsonArray("value").getString(0));
        assertEquals("psk=abc%{User-Name}", avPair.getJsonArray("value").getString(1));
        assertNull(reply(RadiusVendor.CISCO_MERAKI).get("reply:Aruba-MPSK-Passphrase"));
    }

    @Test
    void arubaGetsItsMpskPassphrase() {
        JsonObject mpsk = reply(RadiusVendor.ARUBA).getJsonObject("reply:Aruba-MPSK-Passphrase");
        assertEquals("abc%{User-Name}", mpsk.getJsonArray("value").getString(0));
        assertFalse(mpsk.getBoolean("do_xlat"));
        assertNull(reply(RadiusVendor.ARUBA).get("reply:Cisco-AVPair"));
    }

    @Test
    void ruckusGetsThePairwiseMasterKeyAsOctetsAndNeverAPassphrase() {
        JsonObjectBuilder reply = Jsonp.JSON.createObjectBuilder();
        byte[] pmk = new byte[32];
        pmk[0] = (byte) 0xf4;
        pmk[31] = 0x2e;
        RadiusVendor.addRuckusPairwiseMasterKey(reply, pmk);
        JsonObject dpsk = reply.build().getJsonObject("reply:Ruckus-Dpsk");
        assertEquals("0xf4" + "00".repeat(30) + "2e", dpsk.getJsonArray("value").getString(0));
        assertFalse(dpsk.getBoolean("do_xlat"));
        assertFalse(RadiusVendor.RUCKUS.answersWithPassphrase(), "a MAC authentication from a Ruckus network gets no passphrase");
        org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class, () -> reply(RadiusVendor.RUCKUS));
        org.junit.jupiter.api.Assertions.assertTrue(RadiusVendor.ARUBA.answersWithPassphrase() && RadiusVendor.CISCO_MERAKI.answersWithPassphrase());
    }

    @Test
    void vendorsAreReadWhateverTheirCaseAndAnythingElseIsNone() {
        assertEquals(Optional.of(RadiusVendor.ARUBA), RadiusVendor.parse(" aruba "));
        assertEquals(Optional.of(RadiusVendor.CISCO_MERAKI), RadiusVendor.parse("cisco_meraki"));
        assertEquals(Optional.of(RadiusVendor.RUCKUS), RadiusVendor.parse("ruckus"));
        assertEquals(Optional.empty(), RadiusVendor.parse("MIKROTIK"));
        assertEquals(Optional.empty(), RadiusVendor.parse(null));
    }

    @Test
    void theSsidIsReadAfterTheAccessPointsMacInCalledStationId() {
        assertEquals("Grand Hotel Guests", RadiusResource.ssid("0C-8D-DB-11-22-33:Grand Hotel Guests"));
        assertEquals("Guests:5G", RadiusResource.ssid("0c:8d:db:11:22:33:Guests:5G"));
        assertNull(RadiusResource.ssid("0C-8D-DB-11-22-33"), "the access point's MAC alone names no SSID");
        assertNull(RadiusResource.ssid("Guests"));
        assertNull(RadiusResource.ssid(null));
        assertEquals("0c:8d:db:11:22:33", RadiusResource.accessPointMac("0c:8d:db:11:22:33:Guests:5G"));
        assertEquals("0C-8D-DB-11-22-33", RadiusResource.accessPointMac("0C-8D-DB-11-22-33:Grand Hotel Guests"));
        assertNull(RadiusResource.accessPointMac("Guests"));
    }
}
