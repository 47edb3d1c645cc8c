-- Tour routing (SQLite). A solve is a row: the server running it writes its progress
-- here twice a second and reads stop requests from it, so any server behind the load
-- balancer can answer the page's polling. Times are minutes after midnight; km as REAL.
CREATE TABLE tour_solves (
    id             INTEGER PRIMARY KEY,
    event_id       INTEGER CONSTRAINT tour_solves_event_fk REFERENCES events (id) ON DELETE CASCADE,
    requested_by   INTEGER NOT NULL CONSTRAINT tour_solves_user_fk REFERENCES users (id) ON DELETE CASCADE,
    request        TEXT NOT NULL,
    state          TEXT NOT NULL CONSTRAINT tour_solves_state_check CHECK (state IN ('queued', 'running', 'done', 'stopped', 'failed')),
    seconds        INTEGER NOT NULL,
    elapsed_ms     INTEGER NOT NULL DEFAULT 0,
    generations    INTEGER NOT NULL DEFAULT 0,
    best_km        REAL,
    best_unvisited INTEGER,
    stop_requested INTEGER NOT NULL DEFAULT 0,
    plan           TEXT,
    errors         TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX tour_solves_event_idx ON tour_solves (event_id, state);
-- One unfinished solve per tour: a second Optimise click gets 409, not a second solve.
CREATE UNIQUE INDEX tour_solves_unfinished_key ON tour_solves (event_id) WHERE state IN ('queued', 'running');

-- The plan a tour was accepted from, with the constraints it was made under: hand
-- edits of the stops are measured against them.
CREATE TABLE tour_plans (
    event_id    INTEGER PRIMARY KEY CONSTRAINT tour_plans_event_fk REFERENCES events (id) ON DELETE CASCADE,
    request     TEXT NOT NULL,
    plan        TEXT NOT NULL,
    accepted_by INTEGER CONSTRAINT tour_plans_user_fk REFERENCES users (id) ON DELETE SET NULL,
    accepted_at INTEGER NOT NULL
);
