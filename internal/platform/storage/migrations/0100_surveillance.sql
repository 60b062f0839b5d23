-- Epidemic surveillance (SPEC §1): cases and their status history.
-- Statistics are never stored: they are computed from case_events for any day.
CREATE TABLE cases (
    id {{pk}},
    division_id BIGINT NOT NULL REFERENCES org_nodes(id),
    name TEXT NOT NULL,
    id_number TEXT NOT NULL DEFAULT '',
    sex TEXT NOT NULL DEFAULT '',
    birth_date {{date}},
    phone TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    origin TEXT NOT NULL DEFAULT 'local',
    hospital TEXT NOT NULL DEFAULT '',
    onset_date {{date}},
    setting TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    status_date {{date}} NOT NULL,
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX cases_division ON cases(division_id);
CREATE INDEX cases_status ON cases(status, id);
CREATE INDEX cases_id_number ON cases(id_number);

-- One row per change of status, dated by the day it happened (not the day it
-- was typed in), so "as of D" replays history; a correction (核减) is a
-- 'struck' event, never a delete.
CREATE TABLE case_events (
    id {{pk}},
    case_id BIGINT NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL,
    day {{date}} NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL
);
CREATE INDEX case_events_case ON case_events(case_id, day);
CREATE INDEX case_events_day ON case_events(day, kind);
