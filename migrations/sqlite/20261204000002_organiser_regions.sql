-- The regions an organiser (or admin) plans, decides and pays out in. An organiser with
-- no row acts across the Kingdom (a national organiser); with rows, only there.
CREATE TABLE user_regions (
    user_id   INTEGER NOT NULL CONSTRAINT user_regions_user_fk REFERENCES users (id) ON DELETE CASCADE,
    region_id INTEGER NOT NULL CONSTRAINT user_regions_region_fk REFERENCES regions (id),
    PRIMARY KEY (user_id, region_id)
);
CREATE INDEX user_regions_region_idx ON user_regions (region_id);
