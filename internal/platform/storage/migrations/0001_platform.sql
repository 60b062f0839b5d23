-- Platform tables: the org tree, departments, accounts, sessions, audit, settings.

-- The territory (属地): county → township/street → village/community.
-- path is the chain of ids ('/1/4/27/'), so "this node's subtree" is one
-- indexed prefix match: scope filters use it on every read.
CREATE TABLE org_nodes (
    id {{pk}},
    parent_id BIGINT REFERENCES org_nodes(id),
    code TEXT NOT NULL UNIQUE,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    level TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT '',
    path TEXT NOT NULL DEFAULT '',
    population BIGINT NOT NULL DEFAULT 0,
    households BIGINT NOT NULL DEFAULT 0,
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX org_nodes_path ON org_nodes(path);
CREATE INDEX org_nodes_parent ON org_nodes(parent_id);

-- Departments (部门): a second, flat list.
CREATE TABLE departments (
    id {{pk}},
    code TEXT NOT NULL UNIQUE,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);

CREATE TABLE users (
    id {{pk}},
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    lang TEXT NOT NULL DEFAULT 'zh',
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);

-- A grant is role + scope. scope_kind is node, department, enterprise,
-- checkpoint or site; scope_id points into that table.
CREATE TABLE grants (
    id {{pk}},
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    scope_kind TEXT NOT NULL,
    scope_id BIGINT NOT NULL,
    created_at {{time}} NOT NULL,
    UNIQUE (user_id, role, scope_kind, scope_id)
);

-- Sessions live in the database so any replica can serve any request.
-- Only a hash of the token is stored.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at {{time}} NOT NULL,
    expires_at {{time}} NOT NULL,
    last_seen_at {{time}} NOT NULL,
    remote_addr TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

-- Failed logins, counted per account and per address for throttling.
CREATE TABLE login_failures (
    id {{pk}},
    username TEXT NOT NULL,
    remote_addr TEXT NOT NULL,
    at {{time}} NOT NULL
);
CREATE INDEX login_failures_user ON login_failures(username, at);
CREATE INDEX login_failures_addr ON login_failures(remote_addr, at);

-- The append-only audit log. Rows are only ever inserted; division_id lets
-- scoped auditors see the entries of their own territory.
CREATE TABLE audit_log (
    id {{pk}},
    at {{time}} NOT NULL,
    actor_id BIGINT,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL DEFAULT '',
    division_id BIGINT,
    before_json TEXT NOT NULL DEFAULT '',
    after_json TEXT NOT NULL DEFAULT '',
    remote_addr TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);

-- County-wide settings (fever threshold, cluster threshold …) as key/value text.
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at {{time}} NOT NULL
);

-- Long imports report their progress here, so any replica can show it.
CREATE TABLE import_jobs (
    id {{pk}},
    user_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    rows_total BIGINT NOT NULL DEFAULT 0,
    rows_done BIGINT NOT NULL DEFAULT 0,
    rows_ok BIGINT NOT NULL DEFAULT 0,
    rows_bad BIGINT NOT NULL DEFAULT 0,
    report_json TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
