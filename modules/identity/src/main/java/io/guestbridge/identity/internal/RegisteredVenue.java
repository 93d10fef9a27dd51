package io.guestbridge.identity.internal;

import io.guestbridge.identity.api.Branding;
import io.guestbridge.identity.api.Country;
import io.guestbridge.identity.api.Venues.Venue;
import io.guestbridge.identity.api.Venues.VenueChange;
import io.guestbridge.identity.api.Venues.Wording;
import io.guestbridge.platform.api.InstantConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.Instant;
import java.time.ZoneId;

/**
 * A venue as the registry keeps it: where guests are seen, its zone and country, the wordings its portal shows
 * and its branding. Operators change it through {@link #apply}; what it is to the rest of the system is its
 * {@link #view()}.
 */
@Entity
@Table(name = "idn_venue")
@NamedQuery(name = "RegisteredVenue.byRef", query = "SELECT v FROM RegisteredVenue v WHERE v.ref = :ref")
@NamedQuery(name = "RegisteredVenue.all", query = "SELECT v FROM RegisteredVenue v ORDER BY v.name, v.id")
public class RegisteredVenue {

    @Id
    private String id;

    @Column(nullable = false, updatable = false)
    private String ref;

    @Column(nullable = false)
    private String name;

    @Column(name = "time_zone", nullable = false)
    private String timeZone;

    @Column(name = "terms_wording_id")
    private String termsWordingId;

    @Column(name = "terms_wording_version")
    private String termsWordingVersion;

    @Column(name = "marketing_wording_id")
    private String marketingWordingId;

    @Column(name = "marketing_wording_version")
    private String marketingWordingVersion;

    private String country;

    @Column(name = "brand_logo_path")
    private String logoPath;

    @Column(name = "brand_header_colour")
    private String headerColour;

    @Column(name = "brand_action_colour")
    private String actionColour;

    @Column(name = "privacy_notice_url")
    private String privacyNoticeUrl;

    @Column(name = "created_at", nullable = false, updatable = false)
    @Convert(converter = InstantConverter.class)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    @Convert(converter = InstantConverter.class)
    private Instant updatedAt;

    protected RegisteredVenue() {
        // for JPA
    }

    /**
     * Applies an operator's change: parts left null stay as they are, an empty country goes back to the zone's,
     * a branding replaces the whole branding.
     */
    void apply(VenueChange change, Instant at) {
        if (change.name() != null) {
            name = change.name();
        }
        if (change.zone() != null) {
            timeZone = change.zone().getId();
        }
        if (change.terms() != null) {
            termsWordingId = change.terms().id();
            termsWordingVersion = change.terms().version();
        }
        if (change.marketing() != null) {
            marketingWordingId = change.marketing().id();
            marketingWordingVersion = change.marketing().version();
        }
        if (change.country() != null) {
            country = change.country().map(Country::code).orElse(null);
        }
        if (change.branding() != null) {
            logoPath = change.branding().logoPath();
            headerColour = change.branding().headerColour();
            actionColour = change.branding().actionColour();
            privacyNoticeUrl = change.branding().privacyNoticeUrl();
        }
        updatedAt = at;
    }

    Venue view() {
        return new Venue(id, ref, name, ZoneId.of(timeZone),
                termsWordingId == null ? null : new Wording(termsWordingId, termsWordingVersion),
                marketingWordingId == null ? null : new Wording(marketingWordingId, marketingWordingVersion), country,
                new Branding(logoPath, headerColour, actionColour, privacyNoticeUrl));
    }

    String ref() {
        return ref;
    }
}
