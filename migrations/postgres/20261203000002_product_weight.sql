-- What one unit of a product weighs on the road, in grams, as its cooperative estimates
-- it: needed for products sold by the piece, whose unit says nothing of their weight.
-- A tour's planner sums the quantities reserved at each stop with it.
ALTER TABLE products ADD COLUMN weight_g BIGINT
    CONSTRAINT products_weight_g_check CHECK (weight_g IS NULL OR weight_g > 0);
