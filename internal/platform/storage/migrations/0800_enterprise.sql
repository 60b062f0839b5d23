-- Enterprise work resumption (复工复产, SPEC §8): the enterprise register,
-- resumption filings and their workflow, suspensions, daily reports, relief
-- policies and what each enterprise applied for and received. Statistics
-- (resumption rate, workers back, capacity) are never stored: they are
-- computed from these records for any day.

-- One enterprise, in exactly one township or village (属地). principal,
-- officer and officer_phone are personal data (masked in lists).
-- current_filing_id points at the enterprise's latest filing (workflow state,
-- not a statistic); registered_on bounds "all above-size enterprises by D".
CREATE TABLE enterprises (
    id {{pk}},
    division_id BIGINT NOT NULL REFERENCES org_nodes(id),
    name TEXT NOT NULL,
    credit_code TEXT NOT NULL UNIQUE,
    industry TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    above_size BOOLEAN NOT NULL DEFAULT FALSE,
    key_project BOOLEAN NOT NULL DEFAULT FALSE,
    employees BIGINT NOT NULL DEFAULT 0,
    principal TEXT NOT NULL DEFAULT '',
    officer TEXT NOT NULL DEFAULT '',
    officer_phone TEXT NOT NULL DEFAULT '',
    registered_on {{date}} NOT NULL,
    current_filing_id BIGINT,
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX enterprises_division ON enterprises(division_id);
CREATE INDEX enterprises_industry ON enterprises(industry, id);

-- A resumption filing (复工备案). status is where it stands in the workflow:
-- filed → township_passed → approved | returned | refused, or effective on
-- submission in notice-and-commitment (告知承诺) mode. submitted_on is the day
-- of the latest (re)submission, the start of the 2-working-day answer clock;
-- resume_day is max(planned date, the day it was approved or became effective).
CREATE TABLE enterprise_filings (
    id {{pk}},
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    status TEXT NOT NULL,
    mode TEXT NOT NULL DEFAULT 'approval',
    planned_date {{date}} NOT NULL,
    expected_local BIGINT NOT NULL DEFAULT 0,
    expected_outside BIGINT NOT NULL DEFAULT 0,
    expected_key_regions BIGINT NOT NULL DEFAULT 0,
    masks_days BIGINT NOT NULL DEFAULT 0,
    thermometers BIGINT NOT NULL DEFAULT 0,
    disinfectant_days BIGINT NOT NULL DEFAULT 0,
    isolation_area BOOLEAN NOT NULL DEFAULT FALSE,
    isolation_note TEXT NOT NULL DEFAULT '',
    commitment BOOLEAN NOT NULL DEFAULT FALSE,
    notes TEXT NOT NULL DEFAULT '',
    first_submitted_on {{date}} NOT NULL,
    submitted_on {{date}} NOT NULL,
    decided_on {{date}},
    resume_day {{date}},
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX enterprise_filings_enterprise ON enterprise_filings(enterprise_id, id);
CREATE INDEX enterprise_filings_status ON enterprise_filings(status, submitted_on);

-- The seven measures of the 13 February meeting, one row per measure, with
-- the evidence the enterprise gives for it.
CREATE TABLE enterprise_filing_measures (
    filing_id BIGINT NOT NULL REFERENCES enterprise_filings(id),
    measure TEXT NOT NULL,
    done BOOLEAN NOT NULL DEFAULT FALSE,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (filing_id, measure)
);

-- Every step of a filing's workflow, timed: who, when (instant and county
-- day), from which status to which, and the reasons of a return or refusal.
-- "Pending as of D" replays these.
CREATE TABLE enterprise_filing_events (
    id {{pk}},
    filing_id BIGINT NOT NULL REFERENCES enterprise_filings(id),
    step TEXT NOT NULL,
    from_status TEXT NOT NULL DEFAULT '',
    to_status TEXT NOT NULL,
    day {{date}} NOT NULL,
    at {{time}} NOT NULL,
    actor TEXT NOT NULL,
    reasons TEXT NOT NULL DEFAULT ''
);
CREATE INDEX enterprise_filing_events_filing ON enterprise_filing_events(filing_id, id);
CREATE INDEX enterprise_filing_events_day ON enterprise_filing_events(day);

-- A stop of production (停产整顿, a fever case …) from from_day until to_day
-- (exclusive; NULL while it lasts). A suspended enterprise is not resumed.
CREATE TABLE enterprise_suspensions (
    id {{pk}},
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    from_day {{date}} NOT NULL,
    to_day {{date}},
    reason TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL
);
CREATE INDEX enterprise_suspensions_enterprise ON enterprise_suspensions(enterprise_id);

-- One daily report per enterprise and day (a second one for the same day
-- corrects the first, audited).
CREATE TABLE enterprise_reports (
    id {{pk}},
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    day {{date}} NOT NULL,
    on_site BIGINT NOT NULL DEFAULT 0,
    returned_today BIGINT NOT NULL DEFAULT 0,
    from_outside BIGINT NOT NULL DEFAULT 0,
    under_observation BIGINT NOT NULL DEFAULT 0,
    fever_cases BIGINT NOT NULL DEFAULT 0,
    capacity_pct BIGINT NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL,
    UNIQUE (enterprise_id, day)
);
CREATE INDEX enterprise_reports_day ON enterprise_reports(day);

-- Relief and support policies (税费减免和扶持政策).
CREATE TABLE enterprise_policies (
    id {{pk}},
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    issuer TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    valid_from {{date}},
    valid_to {{date}},
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);

-- Which enterprise applied for which policy, and what it received. Amounts
-- are in fen (分), so money is never a float.
CREATE TABLE enterprise_policy_applications (
    id {{pk}},
    policy_id BIGINT NOT NULL REFERENCES enterprise_policies(id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    status TEXT NOT NULL,
    amount_applied BIGINT NOT NULL DEFAULT 0,
    amount_granted BIGINT NOT NULL DEFAULT 0,
    applied_on {{date}} NOT NULL,
    decided_on {{date}},
    note TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    decided_by TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL,
    UNIQUE (policy_id, enterprise_id)
);
CREATE INDEX enterprise_policy_applications_enterprise ON enterprise_policy_applications(enterprise_id);
