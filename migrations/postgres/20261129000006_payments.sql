-- Card payments, refunds and settlements (PostgreSQL). Money is integer centimes of MAD.

-- Each webhook event of the payment provider, recorded in the transaction that applies
-- it: an event delivered twice is applied once.
CREATE TABLE payment_events (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    received_at BIGINT NOT NULL
);

-- Refunds owed to buyers. A row is written in the transaction that cancels a paid part
-- (or finds a payment too late); the sender then asks the provider under the row's
-- idempotency key, so a retry never refunds twice.
CREATE TABLE refunds (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id        BIGINT NOT NULL CONSTRAINT refunds_order_fk REFERENCES orders (id),
    part_id         BIGINT CONSTRAINT refunds_part_fk REFERENCES order_parts (id),
    amount          BIGINT NOT NULL CONSTRAINT refunds_amount_check CHECK (amount > 0),
    idempotency_key TEXT NOT NULL CONSTRAINT refunds_key UNIQUE,
    status          TEXT NOT NULL CONSTRAINT refunds_status_check CHECK (status IN ('pending', 'sent', 'succeeded', 'failed')),
    provider_id     TEXT,
    attempts        BIGINT NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX refunds_status_idx ON refunds (status, id);
CREATE UNIQUE INDEX refunds_part_key ON refunds (part_id) WHERE part_id IS NOT NULL;

-- Payouts to cooperatives: a statement for a period, settled by bank transfer (the
-- normal path in Morocco) or by a Stripe Connect transfer.
CREATE TABLE payouts (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cooperative_id BIGINT NOT NULL CONSTRAINT payouts_coop_fk REFERENCES cooperatives (id),
    period_from    TEXT NOT NULL,
    period_to      TEXT NOT NULL,
    amount         BIGINT NOT NULL,
    method         TEXT NOT NULL CONSTRAINT payouts_method_check CHECK (method IN ('bank', 'stripe')),
    status         TEXT NOT NULL CONSTRAINT payouts_status_check CHECK (status IN ('pending', 'settled', 'failed')),
    reference      TEXT NOT NULL DEFAULT '',
    settled_by     BIGINT CONSTRAINT payouts_user_fk REFERENCES users (id) ON DELETE SET NULL,
    created_at     BIGINT NOT NULL,
    settled_at     BIGINT
);
CREATE INDEX payouts_coop_idx ON payouts (cooperative_id, id);

-- What each cooperative is owed from card payments: a sale (+), the platform's fee (-),
-- and their reversals when a paid part is refunded. A payout takes the entries it pays.
CREATE TABLE settlement_entries (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cooperative_id BIGINT NOT NULL CONSTRAINT settlement_coop_fk REFERENCES cooperatives (id),
    order_id       BIGINT NOT NULL CONSTRAINT settlement_order_fk REFERENCES orders (id),
    part_id        BIGINT NOT NULL CONSTRAINT settlement_part_fk REFERENCES order_parts (id),
    kind           TEXT NOT NULL CONSTRAINT settlement_kind_check CHECK (kind IN ('sale', 'fee', 'refund', 'fee_refund')),
    amount         BIGINT NOT NULL,
    payout_id      BIGINT CONSTRAINT settlement_payout_fk REFERENCES payouts (id),
    created_at     BIGINT NOT NULL,
    CONSTRAINT settlement_part_kind_key UNIQUE (part_id, kind)
);
CREATE INDEX settlement_coop_idx ON settlement_entries (cooperative_id, payout_id, created_at);
