-- The council's follow-up of its programmes: a cooperative's enrolment (dates, status,
-- the support received as text and its amount in centimes of MAD), and the hub's
-- accompaniment sessions (training, incubation, workspace or laboratory use) with the
-- cooperatives present. starts_at is starts_on's midnight in Morocco (Unix seconds), so
-- sales before and after joining compare as numbers.
CREATE TABLE programme_enrolments (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cooperative_id BIGINT NOT NULL CONSTRAINT enrolments_coop_fk REFERENCES cooperatives (id) ON DELETE CASCADE,
    programme_id   BIGINT NOT NULL CONSTRAINT enrolments_programme_fk REFERENCES programmes (id),
    starts_on      TEXT NOT NULL,
    starts_at      BIGINT NOT NULL,
    ends_on        TEXT,
    status         TEXT NOT NULL CONSTRAINT enrolments_status_check CHECK (status IN ('active', 'completed', 'withdrawn')),
    support        TEXT NOT NULL,
    amount         BIGINT NOT NULL CONSTRAINT enrolments_amount_check CHECK (amount >= 0),
    recorded_by    BIGINT CONSTRAINT enrolments_user_fk REFERENCES users (id) ON DELETE SET NULL,
    created_at     BIGINT NOT NULL,
    CONSTRAINT enrolments_dates_check CHECK (ends_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX programme_enrolments_coop_idx ON programme_enrolments (cooperative_id, starts_on);
CREATE INDEX programme_enrolments_programme_idx ON programme_enrolments (programme_id);

CREATE TABLE accompaniment_sessions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         TEXT NOT NULL CONSTRAINT sessions_kind_check CHECK (kind IN ('training', 'incubation', 'workspace', 'laboratory')),
    held_on      TEXT NOT NULL,
    place        TEXT NOT NULL,
    topic        TEXT NOT NULL,
    programme_id BIGINT CONSTRAINT sessions_programme_fk REFERENCES programmes (id),
    recorded_by  BIGINT CONSTRAINT sessions_user_fk REFERENCES users (id) ON DELETE SET NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX accompaniment_sessions_day_idx ON accompaniment_sessions (held_on);

CREATE TABLE session_attendance (
    session_id     BIGINT NOT NULL CONSTRAINT attendance_session_fk REFERENCES accompaniment_sessions (id) ON DELETE CASCADE,
    cooperative_id BIGINT NOT NULL CONSTRAINT attendance_coop_fk REFERENCES cooperatives (id) ON DELETE CASCADE,
    PRIMARY KEY (session_id, cooperative_id)
);
CREATE INDEX session_attendance_coop_idx ON session_attendance (cooperative_id);

-- The indicators read orders by period.
CREATE INDEX orders_created_idx ON orders (created_at);
