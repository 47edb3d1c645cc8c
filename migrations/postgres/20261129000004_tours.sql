-- Tour routing (PostgreSQL). A solve is a row: the server running it writes its progress
-- here twice a second and reads stop requests from it, so any server behind the load
-- balancer can answer the page's polling. Times are minutes after midnight; km as REAL.
CREATE TABLE tour_solves (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id       BIGINT CONSTRAINT tour_solves_event_fk REFERENCES events (id) ON DELETE CASCADE,
    requested_by   BIGINT NOT NULL CONSTRAINT tour_solves_user_fk REFERENCES users (id) ON DELETE CASCADE,
    request        TEXT NOT NULL,
    state          TEXT NOT NULL CONSTRAINT tour_solves_state_check CHECK (state IN ('queued', 'running', 'done', 'stopped', 'failed')),
    seconds        BIGINT NOT NULL,
    elapsed_ms     BIGINT NOT NULL DEFAULT 0,
    generations    BIGINT NOT NULL DEFAULT 0,
    best_km        DOUBLE PRECISION,
    best_unvisited BIGINT,
    stop_requested BIGINT NOT NULL DEFAULT 0,
    plan           TEXT,
    errors         TEXT,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX tour_solves_event_idx ON tour_solves (event_id, state);
-- One unfinished solve per tour: a second Optimise click gets 409, not a second solve.
CREATE UNIQUE INDEX tour_solves_unfinished_key ON tour_solves (event_id) WHERE state IN ('queued', 'running');

-- The plan a tour was accepted from, with the constraints it was made under: hand
-- edits of the stops are measured against them.
CREATE TABLE tour_plans (
    event_id    BIGINT PRIMARY KEY CONSTRAINT tour_plans_event_fk REFERENCES events (id) ON DELETE CASCADE,
    request     TEXT NOT NULL,
    plan        TEXT NOT NULL,
    accepted_by BIGINT CONSTRAINT tour_plans_user_fk REFERENCES users (id) ON DELETE SET NULL,
    accepted_at BIGINT NOT NULL
);
