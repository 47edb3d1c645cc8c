-- Orders, reservations and payments (PostgreSQL). Money is integer centimes of MAD;
-- times are Unix seconds. An order is one buyer's checkout; it has one part per
-- cooperative (each cooperative sees and fulfils its own part) and lines per part.

-- What a cooperative charges to deliver to a province; no row: no delivery there.
CREATE TABLE delivery_fees (
    cooperative_id BIGINT NOT NULL CONSTRAINT delivery_fees_coop_fk REFERENCES cooperatives (id) ON DELETE CASCADE,
    province_id    BIGINT NOT NULL CONSTRAINT delivery_fees_province_fk REFERENCES provinces (id),
    fee            BIGINT NOT NULL CONSTRAINT delivery_fees_fee_check CHECK (fee >= 0),
    PRIMARY KEY (cooperative_id, province_id)
);

-- Where a cooperative is paid out by Stripe Connect, when it has an account there.
ALTER TABLE cooperatives ADD COLUMN stripe_account TEXT;

-- The cart lives on the server: the same on every device, and usable without the wasm.
CREATE TABLE cart_items (
    user_id    BIGINT NOT NULL CONSTRAINT cart_items_user_fk REFERENCES users (id) ON DELETE CASCADE,
    product_id BIGINT NOT NULL CONSTRAINT cart_items_product_fk REFERENCES products (id) ON DELETE CASCADE,
    quantity   BIGINT NOT NULL CONSTRAINT cart_items_quantity_check CHECK (quantity > 0),
    added_at   BIGINT NOT NULL,
    PRIMARY KEY (user_id, product_id)
);

-- An order. (buyer_id, idempotency_key) is unique: a double click or a retried request
-- finds the first order instead of making a second; request_hash tells a retry from a
-- different order sent under the same key. A pickup order names its salon (event_id)
-- or tour stop (stop_id) and must be collected by collect_by; a delivery order names a
-- province and an address. An unpaid card order holds its stock until hold_expires_at.
CREATE TABLE orders (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    buyer_id        BIGINT NOT NULL CONSTRAINT orders_buyer_fk REFERENCES users (id),
    idempotency_key TEXT NOT NULL,
    request_hash    TEXT NOT NULL,
    fulfilment      TEXT NOT NULL CONSTRAINT orders_fulfilment_check CHECK (fulfilment IN ('pickup', 'delivery')),
    event_id        BIGINT CONSTRAINT orders_event_fk REFERENCES events (id),
    stop_id         BIGINT CONSTRAINT orders_stop_fk REFERENCES event_stops (id),
    collect_by      BIGINT,
    province_id     BIGINT CONSTRAINT orders_province_fk REFERENCES provinces (id),
    address         TEXT NOT NULL DEFAULT '',
    payment         TEXT NOT NULL CONSTRAINT orders_payment_check CHECK (payment IN ('cash', 'card')),
    payment_status  TEXT NOT NULL CONSTRAINT orders_payment_status_check CHECK (payment_status IN ('cash', 'pending', 'paid', 'expired', 'refunded')),
    subtotal        BIGINT NOT NULL,
    fees            BIGINT NOT NULL,
    total           BIGINT NOT NULL,
    pickup_code     TEXT NOT NULL,
    hold_expires_at BIGINT,
    checkout_id     TEXT,
    checkout_url    TEXT,
    payment_ref     TEXT,
    refunded        BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    CONSTRAINT orders_idempotency_key UNIQUE (buyer_id, idempotency_key),
    CONSTRAINT orders_total_check CHECK (total = subtotal + fees AND subtotal > 0 AND fees >= 0),
    CONSTRAINT orders_refunded_check CHECK (refunded >= 0 AND refunded <= total),
    CONSTRAINT orders_where_check CHECK (
        (fulfilment = 'pickup' AND event_id IS NOT NULL AND collect_by IS NOT NULL)
        OR (fulfilment = 'delivery' AND province_id IS NOT NULL AND address <> ''))
);
CREATE INDEX orders_buyer_idx ON orders (buyer_id, id);
CREATE INDEX orders_holds_idx ON orders (payment_status, hold_expires_at);
CREATE UNIQUE INDEX orders_checkout_key ON orders (checkout_id) WHERE checkout_id IS NOT NULL;

-- One cooperative's part of an order. Its status moves by conditional updates
-- (... WHERE status IN (...)), so a release happens once however many workers race.
-- A wrong pickup code counts in code_failures; after five, codes wait until code_locked_until.
CREATE TABLE order_parts (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id          BIGINT NOT NULL CONSTRAINT order_parts_order_fk REFERENCES orders (id),
    cooperative_id    BIGINT NOT NULL CONSTRAINT order_parts_coop_fk REFERENCES cooperatives (id),
    status            TEXT NOT NULL CONSTRAINT order_parts_status_check CHECK (status IN ('awaiting_payment', 'placed', 'ready', 'handed_over', 'shipped', 'delivered', 'cancelled', 'expired', 'no_show')),
    subtotal          BIGINT NOT NULL,
    delivery_fee      BIGINT NOT NULL,
    cancel_reason     TEXT NOT NULL DEFAULT '',
    code_failures     BIGINT NOT NULL DEFAULT 0,
    code_locked_until BIGINT NOT NULL DEFAULT 0,
    updated_at        BIGINT NOT NULL,
    CONSTRAINT order_parts_order_coop_key UNIQUE (order_id, cooperative_id)
);
CREATE INDEX order_parts_coop_idx ON order_parts (cooperative_id, status);
CREATE INDEX order_parts_status_idx ON order_parts (status, order_id);

-- The lines, with the product's names, unit and price as they were when ordered.
CREATE TABLE order_lines (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    part_id    BIGINT NOT NULL CONSTRAINT order_lines_part_fk REFERENCES order_parts (id),
    product_id BIGINT NOT NULL CONSTRAINT order_lines_product_fk REFERENCES products (id),
    name_fr    TEXT NOT NULL,
    name_ar    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    unit       TEXT NOT NULL,
    unit_price BIGINT NOT NULL CONSTRAINT order_lines_price_check CHECK (unit_price > 0),
    quantity   BIGINT NOT NULL CONSTRAINT order_lines_quantity_check CHECK (quantity > 0),
    CONSTRAINT order_lines_part_product_key UNIQUE (part_id, product_id)
);
CREATE INDEX order_lines_product_idx ON order_lines (product_id);

-- The buyer's status timeline: one row per step of the order or of one of its parts.
CREATE TABLE order_history (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id BIGINT NOT NULL CONSTRAINT order_history_order_fk REFERENCES orders (id),
    part_id  BIGINT CONSTRAINT order_history_part_fk REFERENCES order_parts (id),
    status   TEXT NOT NULL,
    note     TEXT NOT NULL DEFAULT '',
    at       BIGINT NOT NULL
);
CREATE INDEX order_history_order_idx ON order_history (order_id, id);

-- Stock moved for an order names it: the check can prove each hold was released once.
ALTER TABLE stock_movements ADD COLUMN order_id BIGINT CONSTRAINT movements_order_fk REFERENCES orders (id);
CREATE INDEX stock_movements_order_idx ON stock_movements (order_id);
