-- Checkpoints and the passage log (SPEC §5), resident QR passes, and the
-- referrals the screening module takes over.

-- A checkpoint (卡口) belongs to one org node (a village or a township).
-- hours_from/hours_to are 'HH:MM' in the county's zone; both empty = 24 h.
CREATE TABLE checkpoints (
    id {{pk}},
    division_id BIGINT NOT NULL REFERENCES org_nodes(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    hours_from TEXT NOT NULL DEFAULT '',
    hours_to TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'open',
    notes TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX checkpoints_division ON checkpoints(division_id);

-- The passage log (出入登记): the hottest write path. client_id is the
-- device's UUID for the passage, so a retried or duplicated upload stores it
-- once; digest is a hash of the content, so the same id with other content is
-- told apart from a harmless retry. temp_tenths is the temperature in tenths
-- of a degree (0 = not measured). person_key is the identity co-presence
-- searches by (the ID number, else 'tel:' and the phone).
CREATE TABLE passages (
    id {{pk}},
    checkpoint_id BIGINT NOT NULL REFERENCES checkpoints(id),
    client_id TEXT NOT NULL,
    at {{time}} NOT NULL,
    direction TEXT NOT NULL,
    person_name TEXT NOT NULL DEFAULT '',
    id_number TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    person_key TEXT NOT NULL DEFAULT '',
    pass_serial BIGINT NOT NULL DEFAULT 0,
    plate TEXT NOT NULL DEFAULT '',
    external BOOLEAN NOT NULL DEFAULT FALSE,
    temp_tenths BIGINT NOT NULL DEFAULT 0,
    fever BOOLEAN NOT NULL DEFAULT FALSE,
    origin TEXT NOT NULL DEFAULT '',
    destination TEXT NOT NULL DEFAULT '',
    purpose TEXT NOT NULL DEFAULT '',
    decision TEXT NOT NULL,
    recorded_by TEXT NOT NULL DEFAULT '',
    digest TEXT NOT NULL,
    created_at {{time}} NOT NULL,
    UNIQUE (checkpoint_id, client_id)
);
-- Co-presence (same checkpoint within ±N minutes) and the per-day figures
-- read passages by checkpoint and time; a case's own passages by person.
CREATE INDEX passages_checkpoint_at ON passages(checkpoint_id, at);
CREATE INDEX passages_person_at ON passages(person_key, at);

-- Resident QR passes. The id is the pass's serial, printed in the signed
-- token; revoking sets revoked_at, and the revocation list is every serial
-- with one.
CREATE TABLE checkpoint_passes (
    id {{pk}},
    division_id BIGINT NOT NULL REFERENCES org_nodes(id),
    name TEXT NOT NULL,
    id_number TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    valid_from {{date}} NOT NULL,
    valid_to {{date}} NOT NULL,
    revoked_at {{time}},
    revoked_reason TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL
);
CREATE INDEX checkpoint_passes_division ON checkpoint_passes(division_id, id);
CREATE INDEX checkpoint_passes_revoked ON checkpoint_passes(revoked_at);

-- A passage whose decision was "sent to observation" leaves a referral here,
-- in the same transaction. The screening module takes pending referrals,
-- opens the observation and marks them taken (status 'taken', taken_ref =
-- its own record id).
CREATE TABLE checkpoint_referrals (
    id {{pk}},
    passage_id BIGINT NOT NULL UNIQUE REFERENCES passages(id),
    checkpoint_id BIGINT NOT NULL REFERENCES checkpoints(id),
    division_id BIGINT NOT NULL REFERENCES org_nodes(id),
    at {{time}} NOT NULL,
    person_name TEXT NOT NULL DEFAULT '',
    id_number TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    temp_tenths BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'pending',
    taken_at {{time}},
    taken_ref TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL
);
CREATE INDEX checkpoint_referrals_status ON checkpoint_referrals(status, id);
