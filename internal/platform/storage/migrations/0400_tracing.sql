-- Contact tracing (流调, SPEC §4): exposures between two persons of the
-- register, from the source (a case, or a contact of one) to the exposed
-- person, with the day and the setting. The chain of transmission and the
-- clusters are computed from these rows and the cases (matched to persons by
-- ID number), never stored. division_id is the exposed person's village, for
-- scoped reads. is_close marks a close contact (密切接触者): their observation
-- counts from their last close exposure.
CREATE TABLE tracing_exposures (
    id {{pk}},
    source_id BIGINT NOT NULL REFERENCES persons(id),
    contact_id BIGINT NOT NULL REFERENCES persons(id),
    division_id BIGINT NOT NULL REFERENCES org_nodes(id),
    kind TEXT NOT NULL,
    day {{date}} NOT NULL,
    setting TEXT NOT NULL DEFAULT '',
    is_close BOOLEAN NOT NULL DEFAULT FALSE,
    case_id BIGINT REFERENCES cases(id),
    observation_id BIGINT REFERENCES observations(id),
    notes TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL
);
CREATE INDEX tracing_exposures_source ON tracing_exposures(source_id, day);
CREATE INDEX tracing_exposures_contact ON tracing_exposures(contact_id, day);
CREATE INDEX tracing_exposures_division ON tracing_exposures(division_id, day);
CREATE INDEX tracing_exposures_day ON tracing_exposures(day);
