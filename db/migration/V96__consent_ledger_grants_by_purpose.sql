-- Who granted a purpose: a sponsor's export starts from every guest who ever granted 'sponsor:<id>' and keeps
-- those whose decision in force is still the grant. Without this index that search reads the whole ledger.
CREATE INDEX ix_cns_ledger_purpose_grants ON cns_ledger (purpose, decision, guest_id);
