-- Salons and travelling markets, cooperatives' applications and stands, and the
-- notification outbox (SQLite). Days are 'YYYY-MM-DD' text (they sort as text),
-- opening hours are minutes after midnight, fees are integer centimes of MAD.

-- Organisers add sites; an address helps visitors find them.
ALTER TABLE sites ADD COLUMN address TEXT NOT NULL DEFAULT '';

-- A salon (one venue, a date range, daily hours, a stand plan) or a tour (stops).
-- accepted_count follows the accepted applications: the capacity check is a conditional
-- update of this row, so two organisers accepting at once cannot overfill it.
CREATE TABLE events (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CONSTRAINT events_kind_check CHECK (kind IN ('salon', 'tour')),
    status          TEXT NOT NULL CONSTRAINT events_status_check CHECK (status IN ('draft', 'open', 'published', 'running', 'closed', 'cancelled')),
    name_fr         TEXT NOT NULL,
    name_ar         TEXT NOT NULL,
    description_fr  TEXT NOT NULL,
    description_ar  TEXT NOT NULL,
    site_id         INTEGER CONSTRAINT events_site_fk REFERENCES sites (id),
    starts_on       TEXT NOT NULL,
    ends_on         TEXT NOT NULL,
    opens_at        INTEGER NOT NULL,
    closes_at       INTEGER NOT NULL,
    capacity        INTEGER NOT NULL,
    accepted_count  INTEGER NOT NULL DEFAULT 0,
    multiple_stands INTEGER NOT NULL CONSTRAINT events_multiple_check CHECK (multiple_stands IN (0, 1)),
    cancel_reason   TEXT NOT NULL DEFAULT '',
    organiser_id    INTEGER CONSTRAINT events_organiser_fk REFERENCES users (id) ON DELETE SET NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    CONSTRAINT events_dates_check CHECK (ends_on >= starts_on),
    CONSTRAINT events_hours_check CHECK (closes_at > opens_at),
    CONSTRAINT events_capacity_check CHECK (accepted_count >= 0 AND accepted_count <= capacity),
    CONSTRAINT events_salon_site_check CHECK (kind = 'tour' OR site_id IS NOT NULL)
);
CREATE INDEX events_status_idx ON events (status, starts_on);

-- A tour's stops: one site, one day, the market's hours there.
CREATE TABLE event_stops (
    id        INTEGER PRIMARY KEY,
    event_id  INTEGER NOT NULL CONSTRAINT stops_event_fk REFERENCES events (id) ON DELETE CASCADE,
    site_id   INTEGER NOT NULL CONSTRAINT stops_site_fk REFERENCES sites (id),
    day       TEXT NOT NULL,
    opens_at  INTEGER NOT NULL,
    closes_at INTEGER NOT NULL,
    CONSTRAINT stops_hours_check CHECK (closes_at > opens_at)
);
CREATE INDEX event_stops_event_idx ON event_stops (event_id, day);
CREATE INDEX event_stops_day_idx ON event_stops (day);

-- A salon's numbered stands. A stand is assigned by a conditional update
-- (cooperative_id IS NULL), so it can never be booked twice.
CREATE TABLE stands (
    id             INTEGER PRIMARY KEY,
    event_id       INTEGER NOT NULL CONSTRAINT stands_event_fk REFERENCES events (id) ON DELETE CASCADE,
    number         INTEGER NOT NULL,
    size_m2        INTEGER NOT NULL,
    fee            INTEGER NOT NULL CONSTRAINT stands_fee_check CHECK (fee >= 0),
    cooperative_id INTEGER CONSTRAINT stands_cooperative_fk REFERENCES cooperatives (id),
    CONSTRAINT stands_number_key UNIQUE (event_id, number)
);
CREATE INDEX stands_cooperative_idx ON stands (event_id, cooperative_id);

-- One application per cooperative and event. categories: comma-separated category
-- codes; a tour application lists its stops in application_stops (none: every stop).
-- stand_count counts its stands: assigning one is a conditional update of this row.
CREATE TABLE applications (
    id             INTEGER PRIMARY KEY,
    event_id       INTEGER NOT NULL CONSTRAINT applications_event_fk REFERENCES events (id) ON DELETE CASCADE,
    cooperative_id INTEGER NOT NULL CONSTRAINT applications_cooperative_fk REFERENCES cooperatives (id),
    status         TEXT NOT NULL CONSTRAINT applications_status_check CHECK (status IN ('pending', 'accepted', 'waitlisted', 'rejected', 'withdrawn')),
    categories     TEXT NOT NULL,
    note           TEXT NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    stand_count    INTEGER NOT NULL DEFAULT 0 CONSTRAINT applications_stands_check CHECK (stand_count >= 0),
    created_at     INTEGER NOT NULL,
    decided_at     INTEGER,
    CONSTRAINT applications_event_cooperative_key UNIQUE (event_id, cooperative_id)
);
CREATE INDEX applications_cooperative_idx ON applications (cooperative_id);

CREATE TABLE application_stops (
    application_id INTEGER NOT NULL CONSTRAINT application_stops_application_fk REFERENCES applications (id) ON DELETE CASCADE,
    stop_id        INTEGER NOT NULL CONSTRAINT application_stops_stop_fk REFERENCES event_stops (id) ON DELETE CASCADE,
    PRIMARY KEY (application_id, stop_id)
);

-- The outbox: every message to a user, shown in the app; email_state drives the
-- sender ('none' when no SMTP server is configured). A sender claims rows by setting
-- claimed_until, inside SQLite's single writer so two servers never send one twice.
CREATE TABLE notifications (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL CONSTRAINT notifications_user_fk REFERENCES users (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    event_id        INTEGER CONSTRAINT notifications_event_fk REFERENCES events (id) ON DELETE SET NULL,
    params          TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    read_at         INTEGER,
    email_state     TEXT NOT NULL CONSTRAINT notifications_email_check CHECK (email_state IN ('none', 'pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    claimed_until   INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id);
CREATE INDEX notifications_outbox_idx ON notifications (email_state, next_attempt_at);
