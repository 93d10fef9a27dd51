-- A venue's own words for the credential it sends its guests, per channel (email: subject and body; sms: body) and
-- language (en, fr). Without a row the built-in words of that language apply. The texts are the venue's, with
-- placeholders such as {passphrase} filled in at sending time: they hold no personal data.
CREATE TABLE onb_delivery_template (
    venue_id    CHAR(36)      NOT NULL,
    channel     VARCHAR(8)    NOT NULL,
    language    VARCHAR(8)    NOT NULL,
    subject     VARCHAR(200)  NULL,
    body        TEXT          NOT NULL,
    updated_at  DATETIME(6)   NOT NULL,
    PRIMARY KEY (venue_id, channel, language)
) ENGINE = InnoDB;
