-- One row per order line with everything the council's indicators and open data filter
-- and group by (the order's buyer, time, pickup and payment; the part's status; the
-- cooperative's province and region and the product's category when the order was
-- placed), so they read one table instead of joining seven. Derived data, kept by the
-- orders room in the same transaction as each change it mirrors (placement, a part's
-- status, a pickup moved): no foreign keys, ids as they were.
CREATE TABLE order_facts (
    line_id        INTEGER PRIMARY KEY,
    order_id       INTEGER NOT NULL,
    part_id        INTEGER NOT NULL,
    buyer_id       INTEGER NOT NULL,
    cooperative_id INTEGER NOT NULL,
    province_id    INTEGER NOT NULL,
    region_id      INTEGER NOT NULL,
    category_id    INTEGER NOT NULL,
    product_id     INTEGER NOT NULL,
    event_id       INTEGER NOT NULL,
    stop_id        INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    -- The day it falls on by Morocco's usual UTC+1, (created_at + 3600) / 86400: what
    -- the months chart groups by.
    day            INTEGER NOT NULL,
    payment        TEXT NOT NULL,
    fulfilment     TEXT NOT NULL,
    status         TEXT NOT NULL,
    quantity       INTEGER NOT NULL,
    amount         INTEGER NOT NULL
);
-- Each indicator reads one of these from end to end (a covering index, narrower than the
-- table, in the order the query groups by, with every column a filter may name), so
-- neither engine sorts nor visits the table for a Kingdom-wide year. They serve the
-- orders room's updates too (by part, by order).
CREATE INDEX order_facts_cube_idx ON order_facts (province_id, event_id, category_id, payment,
    status, created_at, region_id, cooperative_id, amount, quantity);
-- Also every column: a short period (see `council::scope`) reads its range of days here
-- whatever the query groups by.
CREATE INDEX order_facts_day_idx ON order_facts (day, payment, status, created_at, region_id,
    province_id, event_id, category_id, cooperative_id, amount, quantity, order_id, buyer_id,
    part_id, stop_id, fulfilment);
CREATE INDEX order_facts_order_idx ON order_facts (order_id, status, created_at, region_id,
    province_id, event_id, category_id, cooperative_id);
CREATE INDEX order_facts_buyer_idx ON order_facts (buyer_id, status, created_at, region_id,
    province_id, event_id, category_id, cooperative_id);
CREATE INDEX order_facts_part_idx ON order_facts (part_id, status, fulfilment, created_at,
    region_id, province_id, event_id, category_id, cooperative_id);
CREATE INDEX order_facts_stop_idx ON order_facts (stop_id, buyer_id, order_id, status,
    created_at, region_id, province_id, event_id, category_id, cooperative_id);
-- One cooperative, or a programme's: every column, so a cooperative's lines are read
-- from the index alone whatever the query groups by.
CREATE INDEX order_facts_coop_idx ON order_facts (cooperative_id, created_at, status, amount,
    region_id, province_id, event_id, category_id, order_id, buyer_id, part_id, stop_id, day,
    payment, fulfilment, quantity);
-- A region's or a province's lines: every column, as for a cooperative's.
CREATE INDEX order_facts_area_idx ON order_facts (region_id, province_id, status, created_at,
    order_id, buyer_id, quantity, amount, event_id, category_id, cooperative_id, part_id,
    stop_id, day, payment, fulfilment);

INSERT INTO order_facts (line_id, order_id, part_id, buyer_id, cooperative_id, province_id,
    region_id, category_id, product_id, event_id, stop_id, created_at, day, payment,
    fulfilment, status, quantity, amount)
SELECT l.id, o.id, pt.id, o.buyer_id, c.id, c.province_id, p.region_id, pr.category_id, pr.id,
       COALESCE(o.event_id, 0), COALESCE(o.stop_id, 0), o.created_at, (o.created_at + 3600) / 86400,
       o.payment, o.fulfilment,
       pt.status, l.quantity, l.quantity * l.unit_price
FROM order_lines l
JOIN order_parts pt ON pt.id = l.part_id
JOIN orders o ON o.id = pt.order_id
JOIN cooperatives c ON c.id = pt.cooperative_id
JOIN provinces p ON p.id = c.province_id
JOIN products pr ON pr.id = l.product_id;
