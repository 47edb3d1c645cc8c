-- One row per order line with everything the council's indicators and open data filter
-- and group by (the order's buyer, time, pickup and payment; the part's status; the
-- cooperative's province and region and the product's category when the order was
-- placed), so they read one table instead of joining seven. Derived data, kept by the
-- orders room in the same transaction as each change it mirrors (placement, a part's
-- status, a pickup moved): no foreign keys, ids as they were.
CREATE TABLE order_facts (
    line_id        BIGINT PRIMARY KEY,
    order_id       BIGINT NOT NULL,
    part_id        BIGINT NOT NULL,
    buyer_id       BIGINT NOT NULL,
    cooperative_id BIGINT NOT NULL,
    province_id    BIGINT NOT NULL,
    region_id      BIGINT NOT NULL,
    category_id    BIGINT NOT NULL,
    product_id     BIGINT NOT NULL,
    event_id       BIGINT NOT NULL,
    stop_id        BIGINT NOT NULL,
    created_at     BIGINT NOT NULL,
    payment        TEXT NOT NULL,
    fulfilment     TEXT NOT NULL,
    status         TEXT NOT NULL,
    quantity       BIGINT NOT NULL,
    amount         BIGINT NOT NULL
);
CREATE INDEX order_facts_time_idx ON order_facts (created_at);
CREATE INDEX order_facts_coop_idx ON order_facts (cooperative_id, created_at);
CREATE INDEX order_facts_province_idx ON order_facts (province_id, created_at);
CREATE INDEX order_facts_part_idx ON order_facts (part_id);
CREATE INDEX order_facts_order_idx ON order_facts (order_id);

INSERT INTO order_facts (line_id, order_id, part_id, buyer_id, cooperative_id, province_id,
    region_id, category_id, product_id, event_id, stop_id, created_at, payment, fulfilment,
    status, quantity, amount)
SELECT l.id, o.id, pt.id, o.buyer_id, c.id, c.province_id, p.region_id, pr.category_id, pr.id,
       COALESCE(o.event_id, 0), COALESCE(o.stop_id, 0), o.created_at, o.payment, o.fulfilment,
       pt.status, l.quantity, l.quantity * l.unit_price
FROM order_lines l
JOIN order_parts pt ON pt.id = l.part_id
JOIN orders o ON o.id = pt.order_id
JOIN cooperatives c ON c.id = pt.cooperative_id
JOIN provinces p ON p.id = c.province_id
JOIN products pr ON pr.id = l.product_id;
