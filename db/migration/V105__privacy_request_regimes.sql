-- The privacy law each request is answered under: its rights, its clock and its one extension follow it.
-- Requests taken before there was a choice were all answered under the GDPR.
ALTER TABLE prv_request
    ADD COLUMN regime VARCHAR(8) NOT NULL DEFAULT 'GDPR' AFTER type,
    ADD CONSTRAINT ck_prv_request_regime CHECK (regime IN ('GDPR', 'UK_GDPR', 'CCPA'));

-- The CCPA's right to opt out of the sale or sharing of personal information.
ALTER TABLE prv_request
    DROP CONSTRAINT ck_prv_request_type;
ALTER TABLE prv_request
    ADD CONSTRAINT ck_prv_request_type CHECK (type IN ('ERASURE', 'ACCESS', 'RECTIFICATION', 'OBJECTION', 'OPT_OUT'));

-- Lists filtered by regime, soonest due first.
CREATE INDEX ix_prv_request_regime ON prv_request (regime, state, due_at);
