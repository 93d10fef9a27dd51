-- Where a sponsor is told that a guest it received has been erased (GDPR Art. 19, CCPA §1798.105(c)): the privacy
-- contact its agreement names, a business address. NULL for a sponsor registered without one: it is not told, and
-- the request's history says so.
ALTER TABLE crm_sponsor
    ADD COLUMN contact_email VARCHAR(254) NULL;
