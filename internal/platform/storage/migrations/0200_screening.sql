-- Key-population screening (排查, SPEC §2): the person register with travel
-- history, household visits, medical observations with their twice-daily
-- follow-ups, fever alerts with their transfer timeline, and resident
-- self-registration. Every figure (under observation, due and missed
-- follow-ups, screening progress) is computed from these rows for any day.

-- One person is one record. id_number is unique over every row, merged ones
-- included: a merged record keeps its number and points at the kept record,
-- so a later registration under either number finds the person.
CREATE TABLE persons (
    id {{pk}},
    division_id BIGINT NOT NULL REFERENCES org_nodes(id),
    name TEXT NOT NULL,
    id_number TEXT NOT NULL,
    sex TEXT NOT NULL DEFAULT '',
    birth_date {{date}},
    phone TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    workplace TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT 'form',
    screened_on {{date}} NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    merged_into BIGINT REFERENCES persons(id),
    version BIGINT NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE UNIQUE INDEX persons_id_number ON persons(id_number);
CREATE INDEX persons_phone ON persons(phone);
CREATE INDEX persons_name ON persons(name);
CREATE INDEX persons_division ON persons(division_id, id);

-- Journeys: from where, through where, by what, arriving when.
CREATE TABLE person_travels (
    id {{pk}},
    person_id BIGINT NOT NULL REFERENCES persons(id),
    from_place TEXT NOT NULL DEFAULT '',
    via TEXT NOT NULL DEFAULT '',
    transport TEXT NOT NULL DEFAULT '',
    transport_no TEXT NOT NULL DEFAULT '',
    arrived_on {{date}},
    created_by TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL
);
CREATE INDEX person_travels_person ON person_travels(person_id, arrived_on);

-- A merge moves the merged record's history to the kept one; this row says
-- what moved, so the merge can be read (and audited) later.
CREATE TABLE person_merges (
    id {{pk}},
    kept_id BIGINT NOT NULL REFERENCES persons(id),
    merged_id BIGINT NOT NULL REFERENCES persons(id),
    reason TEXT NOT NULL DEFAULT '',
    moved_json TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL
);
CREATE INDEX person_merges_kept ON person_merges(kept_id);
CREATE INDEX person_merges_merged ON person_merges(merged_id);

-- Door-to-door screening: one row per household visited. Progress per village
-- is these rows against org_nodes.households and population.
CREATE TABLE screening_households (
    id {{pk}},
    division_id BIGINT NOT NULL REFERENCES org_nodes(id),
    address TEXT NOT NULL,
    members BIGINT NOT NULL,
    visited_on {{date}} NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL
);
CREATE UNIQUE INDEX screening_households_address ON screening_households(division_id, address);

-- Medical observation (医学观察). basis/basis_date is the event the period
-- counts from (arrival, last exposure, test, start); planned_end is
-- basis_date + period_days, moved by adjustments (observation_changes).
-- end_date is set by a release or a transfer. division_id is the person's
-- village, kept in step with the person, for scoped reads.
CREATE TABLE observations (
    id {{pk}},
    person_id BIGINT NOT NULL REFERENCES persons(id),
    division_id BIGINT NOT NULL REFERENCES org_nodes(id),
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    basis TEXT NOT NULL,
    basis_date {{date}} NOT NULL,
    start_date {{date}} NOT NULL,
    period_days BIGINT NOT NULL,
    planned_end {{date}} NOT NULL,
    end_date {{date}},
    status TEXT NOT NULL,
    case_id BIGINT,
    notes TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX observations_person ON observations(person_id);
CREATE INDEX observations_division ON observations(division_id, start_date);
CREATE INDEX observations_status ON observations(status, planned_end);
CREATE INDEX observations_end ON observations(end_date);

-- Every change of an observation's period or state, with its reason.
CREATE TABLE observation_changes (
    id {{pk}},
    observation_id BIGINT NOT NULL REFERENCES observations(id),
    kind TEXT NOT NULL,
    day {{date}} NOT NULL,
    old_end {{date}},
    new_end {{date}},
    reason TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL
);
CREATE INDEX observation_changes_obs ON observation_changes(observation_id, id);

-- Twice-daily follow-ups: one row per observation, day and slot (am, pm).
-- Temperatures are stored in tenths of a degree, exactly.
CREATE TABLE followups (
    id {{pk}},
    observation_id BIGINT NOT NULL REFERENCES observations(id),
    day {{date}} NOT NULL,
    slot TEXT NOT NULL,
    temp_tenths BIGINT NOT NULL,
    symptoms TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    alarm BOOLEAN NOT NULL DEFAULT FALSE,
    created_by TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL,
    UNIQUE (observation_id, day, slot)
);
CREATE INDEX followups_day ON followups(day, observation_id);

-- A fever or symptom alert and its transfer task. stage moves opened →
-- notified → transferred → closed; the timeline is alert_events.
CREATE TABLE alerts (
    id {{pk}},
    observation_id BIGINT NOT NULL REFERENCES observations(id),
    person_id BIGINT NOT NULL REFERENCES persons(id),
    division_id BIGINT NOT NULL REFERENCES org_nodes(id),
    followup_id BIGINT REFERENCES followups(id),
    opened_on {{date}} NOT NULL,
    temp_tenths BIGINT NOT NULL,
    symptoms TEXT NOT NULL DEFAULT '',
    stage TEXT NOT NULL,
    result TEXT NOT NULL DEFAULT '',
    closed_on {{date}},
    hospital TEXT NOT NULL DEFAULT '',
    case_id BIGINT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX alerts_division ON alerts(division_id, id);
CREATE INDEX alerts_observation ON alerts(observation_id);
CREATE INDEX alerts_opened ON alerts(opened_on);

CREATE TABLE alert_events (
    id {{pk}},
    alert_id BIGINT NOT NULL REFERENCES alerts(id),
    kind TEXT NOT NULL,
    at {{time}} NOT NULL,
    day {{date}} NOT NULL,
    result TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL
);
CREATE INDEX alert_events_alert ON alert_events(alert_id, at);

-- Resident self-registration: what a resident sent through the village's
-- link, waiting for a cadre to confirm it into the register.
CREATE TABLE person_registrations (
    id {{pk}},
    division_id BIGINT NOT NULL REFERENCES org_nodes(id),
    name TEXT NOT NULL,
    id_number TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    workplace TEXT NOT NULL DEFAULT '',
    from_place TEXT NOT NULL DEFAULT '',
    via TEXT NOT NULL DEFAULT '',
    transport TEXT NOT NULL DEFAULT '',
    transport_no TEXT NOT NULL DEFAULT '',
    arrived_on {{date}},
    tags TEXT NOT NULL DEFAULT '',
    remote_addr TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    person_id BIGINT REFERENCES persons(id),
    reason TEXT NOT NULL DEFAULT '',
    decided_by TEXT NOT NULL DEFAULT '',
    decided_at {{time}},
    created_at {{time}} NOT NULL
);
CREATE INDEX person_registrations_queue ON person_registrations(division_id, status, id);

-- Self-registration attempts per client address, for the rate limit (kept in
-- the database so every replica counts the same).
CREATE TABLE screening_selfreg_hits (
    id {{pk}},
    remote_addr TEXT NOT NULL,
    at {{time}} NOT NULL
);
CREATE INDEX screening_selfreg_hits_addr ON screening_selfreg_hits(remote_addr, at);

-- The generation of each village's self-registration link: rotating it
-- invalidates the printed QR codes of the old one.
CREATE TABLE screening_links (
    division_id BIGINT PRIMARY KEY REFERENCES org_nodes(id),
    generation BIGINT NOT NULL,
    updated_at {{time}} NOT NULL
);

-- The key that signs self-registration links, made once on first use and
-- shared by every replica.
CREATE TABLE screening_keys (
    name TEXT PRIMARY KEY,
    secret TEXT NOT NULL,
    created_at {{time}} NOT NULL
);
