-- Centralized isolation sites (集中隔离点, SPEC §3): sites with their rooms and
-- the stays of people under centralized observation. Occupancy, free beds and
-- the day's follow-ups at a site are computed from these rows and screening's
-- observations and follow-ups, for any day. Staff are accounts holding a
-- site_staff grant whose scope is the site (grants.scope_kind = 'site').
CREATE TABLE isolation_sites (
    id {{pk}},
    division_id BIGINT NOT NULL REFERENCES org_nodes(id),
    name TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    capacity BIGINT NOT NULL,
    hospital TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE UNIQUE INDEX isolation_sites_name ON isolation_sites(division_id, name);

-- version is bumped by every admission to the room: the row lock that keeps
-- two admissions from filling the last bed twice.
CREATE TABLE isolation_rooms (
    id {{pk}},
    site_id BIGINT NOT NULL REFERENCES isolation_sites(id),
    number TEXT NOT NULL,
    beds BIGINT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_at {{time}} NOT NULL
);
CREATE UNIQUE INDEX isolation_rooms_number ON isolation_rooms(site_id, number);

-- A stay occupies its bed from check_in until check_out (exclusive); an open
-- stay occupies it until it is checked out, planned_out being the plan.
CREATE TABLE isolation_stays (
    id {{pk}},
    site_id BIGINT NOT NULL REFERENCES isolation_sites(id),
    room_id BIGINT NOT NULL REFERENCES isolation_rooms(id),
    person_id BIGINT NOT NULL REFERENCES persons(id),
    observation_id BIGINT REFERENCES observations(id),
    check_in {{date}} NOT NULL,
    planned_out {{date}} NOT NULL,
    check_out {{date}},
    note TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX isolation_stays_site ON isolation_stays(site_id, check_in);
CREATE INDEX isolation_stays_room ON isolation_stays(room_id, check_in);
CREATE INDEX isolation_stays_person ON isolation_stays(person_id);
CREATE INDEX isolation_stays_observation ON isolation_stays(observation_id);
