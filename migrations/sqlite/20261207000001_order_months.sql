-- Each order's first line and each part's first line are marked, so summing lines can
-- count orders and parts; the lines are summed per month, region, province, event and
-- category (a year of the Kingdom in a few thousand rows), and per cooperative too (a
-- programme's or a cooperative's months). Derived data, kept by the orders room
-- (`orders::facts`) in the same transaction as the facts.
ALTER TABLE order_facts ADD COLUMN order_head INTEGER NOT NULL DEFAULT 0;
ALTER TABLE order_facts ADD COLUMN part_head INTEGER NOT NULL DEFAULT 0;
UPDATE order_facts SET
    order_head = CASE WHEN line_id = (SELECT MIN(g.line_id) FROM order_facts g
                                      WHERE g.order_id = order_facts.order_id) THEN 1 ELSE 0 END,
    part_head = CASE WHEN line_id = (SELECT MIN(g.line_id) FROM order_facts g
                                     WHERE g.part_id = order_facts.part_id) THEN 1 ELSE 0 END;

-- The indexes a range of days, a cooperative or an area is read from carry the marks.
DROP INDEX order_facts_day_idx;
CREATE INDEX order_facts_day_idx ON order_facts (day, payment, status, created_at, region_id,
    province_id, event_id, category_id, cooperative_id, amount, quantity, order_id, buyer_id,
    part_id, stop_id, fulfilment, order_head, part_head);
DROP INDEX order_facts_coop_idx;
CREATE INDEX order_facts_coop_idx ON order_facts (cooperative_id, created_at, status, amount,
    region_id, province_id, event_id, category_id, order_id, buyer_id, part_id, stop_id, day,
    payment, fulfilment, quantity, order_head, part_head);
DROP INDEX order_facts_area_idx;
CREATE INDEX order_facts_area_idx ON order_facts (region_id, province_id, status, created_at,
    order_id, buyer_id, quantity, amount, event_id, category_id, cooperative_id, part_id,
    stop_id, day, payment, fulfilment, order_head, part_head);

-- `month` is the facts' day its month starts on; the sums are `orders::facts::SUMS`;
-- the cells `orders::facts::AREA_MONTHS` and `COOPERATIVE_MONTHS`.
CREATE TABLE order_months (
    month          INTEGER NOT NULL,
    region_id      INTEGER NOT NULL,
    province_id    INTEGER NOT NULL,
    event_id       INTEGER NOT NULL,
    category_id    INTEGER NOT NULL,
    cash           INTEGER NOT NULL,
    card           INTEGER NOT NULL,
    sold_units     INTEGER NOT NULL,
    reserved_units INTEGER NOT NULL,
    orders         INTEGER NOT NULL,
    collected      INTEGER NOT NULL,
    no_shows       INTEGER NOT NULL,
    PRIMARY KEY (month, region_id, province_id, event_id, category_id)
);

-- By cooperative first: one cooperative's months, or a programme's cooperatives', are
-- read from it directly.
CREATE TABLE order_cooperative_months (
    month          INTEGER NOT NULL,
    cooperative_id INTEGER NOT NULL,
    region_id      INTEGER NOT NULL,
    province_id    INTEGER NOT NULL,
    event_id       INTEGER NOT NULL,
    category_id    INTEGER NOT NULL,
    cash           INTEGER NOT NULL,
    card           INTEGER NOT NULL,
    sold_units     INTEGER NOT NULL,
    reserved_units INTEGER NOT NULL,
    orders         INTEGER NOT NULL,
    collected      INTEGER NOT NULL,
    no_shows       INTEGER NOT NULL,
    PRIMARY KEY (cooperative_id, month, region_id, province_id, event_id, category_id)
);

-- What each line adds, as `orders::facts::sums_of_line` writes it.
INSERT INTO order_cooperative_months (month, cooperative_id, region_id, province_id, event_id,
    category_id, cash, card, sold_units, reserved_units, orders, collected, no_shows)
SELECT x.month, x.cooperative_id, x.region_id, x.province_id, x.event_id, x.category_id,
       SUM(x.cash), SUM(x.card), SUM(x.sold_units), SUM(x.reserved_units), SUM(x.orders),
       SUM(x.collected), SUM(x.no_shows)
FROM (SELECT CAST(strftime('%s', f.day * 86400, 'unixepoch', 'start of month') AS INTEGER) / 86400 AS month,
             f.cooperative_id, f.region_id, f.province_id, f.event_id, f.category_id,
             CASE WHEN f.status IN ('handed_over', 'shipped', 'delivered') AND f.payment <> 'card'
                  THEN f.amount ELSE 0 END AS cash,
             CASE WHEN f.status IN ('handed_over', 'shipped', 'delivered') AND f.payment = 'card'
                  THEN f.amount ELSE 0 END AS card,
             CASE WHEN f.status IN ('handed_over', 'shipped', 'delivered')
                  THEN f.quantity ELSE 0 END AS sold_units,
             CASE WHEN f.status NOT IN ('awaiting_payment', 'expired')
                  THEN f.quantity ELSE 0 END AS reserved_units,
             CASE WHEN f.order_head = 1 AND f.status NOT IN ('awaiting_payment', 'expired')
                  THEN 1 ELSE 0 END AS orders,
             CASE WHEN f.part_head = 1 AND f.fulfilment = 'pickup' AND f.status = 'handed_over'
                  THEN 1 ELSE 0 END AS collected,
             CASE WHEN f.part_head = 1 AND f.fulfilment = 'pickup' AND f.status = 'no_show'
                  THEN 1 ELSE 0 END AS no_shows
      FROM order_facts f) x
GROUP BY x.month, x.cooperative_id, x.region_id, x.province_id, x.event_id, x.category_id;

-- The same sums without the cooperative.
INSERT INTO order_months (month, region_id, province_id, event_id, category_id, cash, card,
    sold_units, reserved_units, orders, collected, no_shows)
SELECT month, region_id, province_id, event_id, category_id, SUM(cash), SUM(card),
       SUM(sold_units), SUM(reserved_units), SUM(orders), SUM(collected), SUM(no_shows)
FROM order_cooperative_months
GROUP BY month, region_id, province_id, event_id, category_id;
