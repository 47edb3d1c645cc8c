-- The Kingdom's territory as data: ISO codes, how each seat is known, and outlines.
-- Outlines are GeoJSON MultiPolygon coordinates ([[[lon, lat], ...]] per polygon),
-- simplified to at most a few hundred points per province; a province row without an
-- outline (a region loaded from an older file) is still listed and placed by its seat.
ALTER TABLE regions ADD COLUMN iso TEXT;
ALTER TABLE regions ADD COLUMN outline TEXT;
ALTER TABLE provinces ADD COLUMN iso TEXT;
ALTER TABLE provinces ADD COLUMN seat_status TEXT NOT NULL DEFAULT 'sourced'
    CONSTRAINT provinces_seat_status_check CHECK (seat_status IN ('sourced', 'confirmed'));
ALTER TABLE provinces ADD COLUMN seat_source TEXT NOT NULL DEFAULT '';
ALTER TABLE provinces ADD COLUMN outline TEXT;
