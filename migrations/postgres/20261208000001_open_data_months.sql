-- How many times each cell of the monthly sums was changed (`orders::facts::fold`
-- adds one each time): a month whose count moved has lines that changed.
ALTER TABLE order_months ADD COLUMN changes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE order_cooperative_months ADD COLUMN changes BIGINT NOT NULL DEFAULT 0;

-- Open data's counts kept per month (`council::open_months`): the region's cells
-- (`province_id` 0) and the provinces', sold lines only, each month with the count of
-- changes of its sums it was counted at; a month whose count has moved since is counted
-- again from the lines.
CREATE TABLE open_data_months (
    month   BIGINT PRIMARY KEY,
    changes BIGINT NOT NULL
);
CREATE TABLE open_data_cells (
    month       BIGINT NOT NULL,
    region_id   BIGINT NOT NULL,
    province_id BIGINT NOT NULL,
    orders      BIGINT NOT NULL,
    buyers      BIGINT NOT NULL,
    units       BIGINT NOT NULL,
    amount      BIGINT NOT NULL,
    PRIMARY KEY (month, region_id, province_id)
);
