-- Leader liaison (县领导包联制度, SPEC §6): which county leader answers for
-- which township, village or enterprise in which period, and their visits
-- with photos. Problems raised here live in the shared problems table
-- (source 'liaison'). division_id is the target's division — for an
-- enterprise, the enterprise's own — so scope filters use one column.
-- enterprise_id points at enterprises(id), created by a later migration
-- (0800), hence no foreign key.
CREATE TABLE liaison_assignments (
    id {{pk}},
    leader_id BIGINT NOT NULL REFERENCES users(id),
    division_id BIGINT NOT NULL REFERENCES org_nodes(id),
    enterprise_id BIGINT,
    from_date {{date}} NOT NULL,
    to_date {{date}} NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX liaison_assignments_leader ON liaison_assignments(leader_id, from_date);
CREATE INDEX liaison_assignments_division ON liaison_assignments(division_id);

CREATE TABLE liaison_visits (
    id {{pk}},
    leader_id BIGINT NOT NULL REFERENCES users(id),
    division_id BIGINT NOT NULL REFERENCES org_nodes(id),
    enterprise_id BIGINT,
    day {{date}} NOT NULL,
    kind TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX liaison_visits_leader ON liaison_visits(leader_id, day);
CREATE INDEX liaison_visits_division ON liaison_visits(division_id, day);

-- Photos are kept in the database, not the data directory: replicas share
-- them, backups and the personal-data purge cover them, and a photo commits
-- with its visit and audit entry or not at all. content_type is what the
-- bytes were sniffed as (JPEG, PNG or WebP), never what the client claimed.
CREATE TABLE liaison_photos (
    id {{pk}},
    visit_id BIGINT NOT NULL REFERENCES liaison_visits(id),
    name TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    data {{blob}} NOT NULL,
    created_by TEXT NOT NULL,
    created_at {{time}} NOT NULL
);
CREATE INDEX liaison_photos_visit ON liaison_photos(visit_id, id);
