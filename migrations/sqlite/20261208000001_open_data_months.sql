-- How many times each cell of the monthly sums was changed (`orders::facts::fold`
-- adds one each time): a month whose count moved has lines that changed.
ALTER TABLE order_months ADD COLUMN changes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE order_cooperative_months ADD COLUMN changes INTEGER NOT NULL DEFAULT 0;

-- Open data's counts kept per month (`council::open_months`): the region's cells
-- (`province_id` 0) and the provinces', sold lines only, each month with the count of
-- changes of its sums it was counted at; a month whose count has moved since is counted
-- again from the lines.
CREATE TABLE open_data_months (
    month   INTEGER PRIMARY KEY,
    changes INTEGER NOT NULL
);
CREATE TABLE open_data_cells (
    month       INTEGER NOT NULL,
    region_id   INTEGER NOT NULL,
    province_id INTEGER NOT NULL,
    orders      INTEGER NOT NULL,
    buyers      INTEGER NOT NULL,
    units       INTEGER NOT NULL,
    amount      INTEGER NOT NULL,
    PRIMARY KEY (month, region_id, province_id)
);
