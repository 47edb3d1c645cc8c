-- A category's lines, for what a category filter counts by order, part, stop or buyer;
-- and narrow indexes of part of the lines, for the indicators that read only those:
-- each order's first line (`order_head`), by stop and buyer and by buyer, where a filter
-- leaves orders whole (the buyers reached per stop and in all, counted from an order's
-- one line instead of all of them); the lines sold, by cooperative (the programmes' sales
-- before and after joining; open data, which counts sold lines only, reads it whole). The conditions are written as the council's queries write
-- them (`orders::facts::sold_list`), so both engines see the index applies.
CREATE INDEX order_facts_stop_head_idx ON order_facts (stop_id, buyer_id, status, created_at,
    day, event_id) WHERE order_head = 1;
CREATE INDEX order_facts_buyer_head_idx ON order_facts (buyer_id, status, created_at, day,
    event_id) WHERE order_head = 1;
CREATE INDEX order_facts_sold_idx ON order_facts (cooperative_id, created_at, amount, day,
    region_id, province_id, event_id, category_id, order_id, buyer_id, quantity)
    WHERE status IN ('handed_over', 'shipped', 'delivered');
CREATE INDEX order_facts_category_idx ON order_facts (category_id, created_at, status, order_id,
    buyer_id, part_id, stop_id, fulfilment, day, event_id, region_id, province_id,
    cooperative_id);
