-- Scoped and per-actor audit searches stay fast at province scale.
CREATE INDEX audit_log_division ON audit_log(division_id, id);
CREATE INDEX audit_log_actor ON audit_log(actor, id);
