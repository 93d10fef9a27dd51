-- How a venue's pages for guests (the privacy center) look: its logo (a path on this origin), two colours
-- that must keep white text readable, and the link to its privacy notice. NULL: the neutral default.
ALTER TABLE idn_venue
    ADD COLUMN brand_logo_path      VARCHAR(200) NULL,
    ADD COLUMN brand_header_colour  CHAR(7)      NULL,
    ADD COLUMN brand_action_colour  CHAR(7)      NULL,
    ADD COLUMN privacy_notice_url   VARCHAR(300) NULL;
