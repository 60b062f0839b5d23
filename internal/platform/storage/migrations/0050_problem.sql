-- The shared problem workflow (SPEC §6, reused by §7 and §9): a difficulty
-- raised by a user for a division (and possibly an enterprise), assigned to a
-- department with a deadline, worked to resolution and confirmed by whoever
-- raised it. status is the current state; problem_events is the history that
-- "as of D" statistics replay, one row per step, dated by the county's day.
CREATE TABLE problems (
    id {{pk}},
    source TEXT NOT NULL,
    source_id BIGINT,
    category TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    raised_by BIGINT NOT NULL REFERENCES users(id),
    raised_on {{date}} NOT NULL,
    division_id BIGINT NOT NULL REFERENCES org_nodes(id),
    -- enterprises(id): that table comes with the enterprise module's
    -- migration (0800), after this one, so there is no foreign key.
    enterprise_id BIGINT,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    deadline {{date}} NOT NULL,
    status TEXT NOT NULL,
    resolved_on {{date}},
    confirmed_on {{date}},
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX problems_division ON problems(division_id, id);
CREATE INDEX problems_department ON problems(department_id, status);
CREATE INDEX problems_raised_by ON problems(raised_by, id);
CREATE INDEX problems_enterprise ON problems(enterprise_id);
CREATE INDEX problems_source ON problems(source, source_id);
CREATE INDEX problems_status ON problems(status, deadline);

-- to_status is empty for a comment; department_id and deadline record an
-- assignment (the raise and every reassignment).
CREATE TABLE problem_events (
    id {{pk}},
    problem_id BIGINT NOT NULL REFERENCES problems(id),
    action TEXT NOT NULL,
    from_status TEXT NOT NULL DEFAULT '',
    to_status TEXT NOT NULL DEFAULT '',
    day {{date}} NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    department_id BIGINT REFERENCES departments(id),
    deadline {{date}},
    actor_id BIGINT,
    actor TEXT NOT NULL,
    at {{time}} NOT NULL
);
CREATE INDEX problem_events_problem ON problem_events(problem_id, id);
CREATE INDEX problem_events_day ON problem_events(day);
