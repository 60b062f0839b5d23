-- Duty rosters of the checkpoints (SPEC §5 "24小时轮流做好值守"): the duty
-- pool of each township, each checkpoint's shift pattern, its shifts and who
-- stands them, with the duty check-in and check-out.

-- A person of a duty pool. division_id is the pool's node (a township, or
-- the county for police serving everywhere); username links the account
-- that checks in for the person ('' = none).
CREATE TABLE checkpoint_duty_people (
    id {{pk}},
    division_id BIGINT NOT NULL REFERENCES org_nodes(id),
    name TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    username TEXT NOT NULL DEFAULT '',
    available BOOLEAN NOT NULL DEFAULT TRUE,
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX checkpoint_duty_people_division ON checkpoint_duty_people(division_id);
CREATE INDEX checkpoint_duty_people_username ON checkpoint_duty_people(username);

-- A checkpoint's shift pattern ('3x8', '2x12', 'custom' with its windows).
CREATE TABLE checkpoint_shift_patterns (
    checkpoint_id BIGINT PRIMARY KEY REFERENCES checkpoints(id),
    kind TEXT NOT NULL,
    custom TEXT NOT NULL DEFAULT '',
    min_staff BIGINT NOT NULL,
    updated_at {{time}} NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);

-- One shift of a checkpoint, in UTC. min_staff is copied from the pattern
-- when the shift is laid, so a later pattern change leaves old shifts be.
CREATE TABLE checkpoint_shifts (
    id {{pk}},
    checkpoint_id BIGINT NOT NULL REFERENCES checkpoints(id),
    starts_at {{time}} NOT NULL,
    ends_at {{time}} NOT NULL,
    min_staff BIGINT NOT NULL,
    UNIQUE (checkpoint_id, starts_at)
);
CREATE INDEX checkpoint_shifts_ends ON checkpoint_shifts(ends_at, starts_at);

-- A person on a shift. override marks a hand edit accepted despite a rule
-- (it stays flagged); checked_in_at/checked_out_at are the duty check-in.
CREATE TABLE checkpoint_assignments (
    id {{pk}},
    shift_id BIGINT NOT NULL REFERENCES checkpoint_shifts(id),
    person_id BIGINT NOT NULL REFERENCES checkpoint_duty_people(id),
    override BOOLEAN NOT NULL DEFAULT FALSE,
    checked_in_at {{time}},
    checked_out_at {{time}},
    created_at {{time}} NOT NULL,
    UNIQUE (shift_id, person_id)
);
CREATE INDEX checkpoint_assignments_person ON checkpoint_assignments(person_id, shift_id);
