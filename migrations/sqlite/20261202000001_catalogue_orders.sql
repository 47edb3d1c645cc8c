-- The catalogue's sort orders, each walked in order and stopped after one page instead
-- of sorting every listed product: newest first, by price, by name, and a category's
-- products newest first (carrying the cooperative and the stock, so a category filtered
-- by province and stock is read from the index alone).
CREATE INDEX products_newest_idx ON products (status, created_at, id);
CREATE INDEX products_price_idx ON products (status, price_centimes, id);
CREATE INDEX products_name_idx ON products (status, name_fr, id);
CREATE INDEX products_category_idx ON products (category_id, status, id, cooperative_id, available);
