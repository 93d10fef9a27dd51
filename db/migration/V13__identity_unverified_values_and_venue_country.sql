-- A value a source reported that cannot be verified by its field's rules (a phone number that is not a
-- valid number, a national number from where no country is known, a range reserved for drama) is kept
-- as given rather than dropped; the reason stays with its provenance. NULL: the value is verified. The
-- reasons are fixed texts that never quote the value, so they are not personal data and not sealed.
ALTER TABLE idn_guest_field
    ADD COLUMN unverified_reason VARCHAR(200) NULL;

-- The country of a venue (ISO 3166-1 alpha-2), set by an operator: national phone numbers collected
-- there are read in it. NULL: the country of the venue's time zone.
ALTER TABLE idn_venue
    ADD COLUMN country CHAR(2) NULL;
