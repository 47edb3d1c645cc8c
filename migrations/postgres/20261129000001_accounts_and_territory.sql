-- Accounts, sessions and the reference territory (PostgreSQL).
-- Timestamps are integer Unix seconds; ids are BIGINT identity columns and come
-- back to the application with RETURNING. Booleans are 0/1 integers so that one
-- portable query layer (sqlx Any) reads both engines the same way.

-- Regions: another region is a row here and its provinces, never code.
CREATE TABLE regions (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code    TEXT NOT NULL CONSTRAINT regions_code_key UNIQUE,
    name_fr TEXT NOT NULL,
    name_ar TEXT NOT NULL,
    name_en TEXT NOT NULL
);

-- Prefectures and provinces, each with its seat's coordinates.
CREATE TABLE provinces (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region_id BIGINT NOT NULL CONSTRAINT provinces_region_fk REFERENCES regions (id),
    code      TEXT NOT NULL CONSTRAINT provinces_code_key UNIQUE,
    kind      TEXT NOT NULL CONSTRAINT provinces_kind_check CHECK (kind IN ('prefecture', 'province')),
    name_fr   TEXT NOT NULL,
    name_ar   TEXT NOT NULL,
    name_en   TEXT NOT NULL,
    seat_fr   TEXT NOT NULL,
    seat_ar   TEXT NOT NULL,
    seat_lat  DOUBLE PRECISION NOT NULL,
    seat_lon  DOUBLE PRECISION NOT NULL
);
CREATE INDEX provinces_region_idx ON provinces (region_id);

-- Market squares and salon venues.
CREATE TABLE sites (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    province_id BIGINT NOT NULL CONSTRAINT sites_province_fk REFERENCES provinces (id),
    code        TEXT NOT NULL CONSTRAINT sites_code_key UNIQUE,
    kind        TEXT NOT NULL CONSTRAINT sites_kind_check CHECK (kind IN ('market', 'venue')),
    name_fr     TEXT NOT NULL,
    name_ar     TEXT NOT NULL,
    lat         DOUBLE PRECISION NOT NULL,
    lon         DOUBLE PRECISION NOT NULL
);
CREATE INDEX sites_province_idx ON sites (province_id);

-- Users: buyers register themselves; an admin creates the other roles.
CREATE TABLE users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         TEXT NOT NULL CONSTRAINT users_email_key UNIQUE,
    password_hash TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CONSTRAINT users_role_check CHECK (role IN ('buyer', 'cooperative', 'organiser', 'admin')),
    created_at    BIGINT NOT NULL
);

-- Sessions live in the database so several servers share them. Only a SHA-256 of the
-- cookie's token is stored: a leaked table does not let anyone sign in.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL CONSTRAINT sessions_user_fk REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- Failed sign-ins, counted per email over a window to rate-limit guessing on every server.
CREATE TABLE login_failures (
    id     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email  TEXT NOT NULL,
    ip     TEXT NOT NULL,
    at     BIGINT NOT NULL
);
CREATE INDEX login_failures_email_idx ON login_failures (email, at);
CREATE INDEX login_failures_ip_idx ON login_failures (ip, at);
