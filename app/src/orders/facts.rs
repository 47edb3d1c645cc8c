//! The order lines as the council reads them (`order_facts`): one row per line with the
//! buyer, time, pickup, payment, status, the cooperative's province and region and the
//! product's category copied in, so the indicators and open data scan one table instead
//! of joining seven; and their sums per month, region, province, event, category and
//! cooperative (`order_months`), so a year is read in a fourth of the rows. Written here only, in the
//! transaction of each change they mirror: an order placed (`record`), a part moved
//! (`restate_part`), a pickup moved (`restate_pickup`).
use crate::db::Db;
use crate::error::AppError;
use sqlx::{Any, Row, Transaction};
use std::collections::BTreeMap;

mod days;
pub use days::{day_number, day_of, day_sql, month_of, next_month, start_of};

/// Part statuses that are a sale.
pub const SOLD: [&str; 3] = ["handed_over", "shipped", "delivered"];

/// Part statuses that never became an order (an unpaid card order, all its parts alike).
pub const NOT_PLACED: [&str; 2] = ["awaiting_payment", "expired"];

/// `SOLD` as an SQL list.
pub fn sold_list() -> String {
    listed(&SOLD)
}

/// `NOT_PLACED` as an SQL list.
pub fn not_placed_list() -> String {
    listed(&NOT_PLACED)
}

fn listed(codes: &[&str]) -> String {
    codes
        .iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The facts of the orders `filter` selects (`WHERE ...`, or empty), computed from the
/// orders' own rows (the migration that made the table ran the same query over every
/// order, with a day by the usual UTC+1 that `redate` puts right). A line is its order's
/// head (`order_head`) or its part's (`part_head`) when it is the first of them, so a sum
/// of heads counts orders or parts where lines are summed.
fn facts_of(filter: &str) -> String {
    format!(
        "SELECT l.id AS line_id, o.id AS order_id, pt.id AS part_id, o.buyer_id,
                c.id AS cooperative_id, c.province_id, p.region_id, pr.category_id,
                pr.id AS product_id, COALESCE(o.event_id, 0) AS event_id,
                COALESCE(o.stop_id, 0) AS stop_id, o.created_at,
                {} AS day, o.payment, o.fulfilment,
                pt.status, l.quantity, l.quantity * l.unit_price AS amount,
                CASE WHEN l.id = (SELECT MIN(hl.id) FROM order_lines hl
                                  JOIN order_parts hp ON hp.id = hl.part_id
                                  WHERE hp.order_id = o.id) THEN 1 ELSE 0 END AS order_head,
                CASE WHEN l.id = (SELECT MIN(hl.id) FROM order_lines hl
                                  WHERE hl.part_id = pt.id) THEN 1 ELSE 0 END AS part_head
         FROM order_lines l
         JOIN order_parts pt ON pt.id = l.part_id
         JOIN orders o ON o.id = pt.order_id
         JOIN cooperatives c ON c.id = pt.cooperative_id
         JOIN provinces p ON p.id = c.province_id
         JOIN products pr ON pr.id = l.product_id {filter}",
        day_sql("o.created_at")
    )
}

/// How many changes the cells of each month from `first` to `last` (`month`s of
/// `order_months`) have had: a month's count moves with each change of its lines. A
/// month with no line has none.
pub async fn month_changes(db: &Db, first: i64, last: i64) -> Result<BTreeMap<i64, i64>, AppError> {
    let rows = sqlx::query(
        "SELECT month, CAST(SUM(changes) AS BIGINT) AS changes FROM order_months
         WHERE month >= $1 AND month <= $2 GROUP BY month",
    )
    .bind(first)
    .bind(last)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("month")?, row.try_get("changes")?)))
        .collect()
}

/// The columns of `order_facts`, in `facts_of`'s order.
pub const COLUMNS: &str = "line_id, order_id, part_id, buyer_id, cooperative_id, province_id, \
     region_id, category_id, product_id, event_id, stop_id, created_at, day, payment, \
     fulfilment, status, quantity, amount, order_head, part_head";

/// A table of monthly sums of the lines (`SUMS`), and what it sums them by besides the
/// month (columns of `order_facts`, and its own of the same names).
pub struct Months {
    pub table: &'static str,
    cell: &'static [&'static str],
}

impl Months {
    /// Its cell's columns, each read from `alias` (`""`: bare).
    pub fn cell(&self, alias: &str) -> String {
        let dot = if alias.is_empty() { "" } else { "." };
        self.cell
            .iter()
            .map(|column| format!("{alias}{dot}{column}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Per region, province, event and category: the Kingdom's year in a few thousand rows.
pub const AREA_MONTHS: Months = Months {
    table: "order_months",
    cell: &["region_id", "province_id", "event_id", "category_id"],
};

/// The same per cooperative too: a programme's or a cooperative's months.
pub const COOPERATIVE_MONTHS: Months = Months {
    table: "order_cooperative_months",
    cell: &[
        "cooperative_id",
        "region_id",
        "province_id",
        "event_id",
        "category_id",
    ],
};

/// Every table of monthly sums, kept together.
const MONTHS: [Months; 2] = [AREA_MONTHS, COOPERATIVE_MONTHS];

/// The sums each table of monthly sums keeps, in its columns' order.
pub const SUMS: [&str; 7] = [
    "cash",
    "card",
    "sold_units",
    "reserved_units",
    "orders",
    "collected",
    "no_shows",
];

/// What a line of `order_facts f` adds to each of `SUMS`: its money sold in cash or by
/// card, its units sold and reserved, its order placed (on the order's head), its pickup
/// part collected or not (on the part's head).
pub fn sums_of_line() -> [String; 7] {
    let (sold, not_placed) = (sold_list(), not_placed_list());
    [
        format!("CASE WHEN f.status IN ({sold}) AND f.payment <> 'card' THEN f.amount ELSE 0 END"),
        format!("CASE WHEN f.status IN ({sold}) AND f.payment = 'card' THEN f.amount ELSE 0 END"),
        format!("CASE WHEN f.status IN ({sold}) THEN f.quantity ELSE 0 END"),
        format!("CASE WHEN f.status NOT IN ({not_placed}) THEN f.quantity ELSE 0 END"),
        format!("CASE WHEN f.order_head = 1 AND f.status NOT IN ({not_placed}) THEN 1 ELSE 0 END"),
        "CASE WHEN f.part_head = 1 AND f.fulfilment = 'pickup' AND f.status = 'handed_over' \
         THEN 1 ELSE 0 END"
            .to_owned(),
        "CASE WHEN f.part_head = 1 AND f.fulfilment = 'pickup' AND f.status = 'no_show' \
         THEN 1 ELSE 0 END"
            .to_owned(),
    ]
}

/// Each of `SUMS` as `wrap` writes it around what a line adds (`sums_of_line`), named.
pub fn sums_as(wrap: impl Fn(&str) -> String) -> String {
    sums_of_line()
        .iter()
        .zip(SUMS)
        .map(|(line, name)| format!("{} AS {name}", wrap(line)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The lines whose facts differ from what their orders' rows say now, either way (a
/// line missing, one too many, a field that drifted): empty while every change went
/// through this room and no cooperative moved province nor product changed category
/// since (the facts keep those as they were when the order was placed).
pub async fn check(db: &Db) -> Result<Vec<i64>, AppError> {
    let rows = sqlx::query(&format!(
        "SELECT line_id FROM (SELECT {COLUMNS} FROM order_facts EXCEPT {}) kept
         UNION
         SELECT line_id FROM ({} EXCEPT SELECT {COLUMNS} FROM order_facts) recomputed
         ORDER BY line_id",
        facts_of(""),
        facts_of("")
    ))
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|row| row.try_get("line_id"))
        .collect::<Result<_, _>>()?)
}

/// A cell of a table of monthly sums: the month, then its `cell` columns.
type Cell = Vec<i64>;

/// The cells of each table of monthly sums that differ from the sums of the facts (zeros
/// and missing cells alike), each with what it holds and what the facts sum to.
pub async fn check_months(db: &Db) -> Result<Vec<String>, AppError> {
    let sums = sums_as(|line| format!("CAST(SUM({line}) AS BIGINT)"));
    let mut out = Vec::new();
    for months in &MONTHS {
        let (table, cell) = (months.table, months.cell("f"));
        let columns = months.cell.len();
        let mut summed: BTreeMap<Cell, [i64; 7]> = BTreeMap::new();
        let lines = sqlx::query(&format!(
            "SELECT f.day AS month, {cell}, {sums} FROM order_facts f GROUP BY f.day, {cell}"
        ))
        .fetch_all(db.pool())
        .await?;
        for row in &lines {
            let (mut key, values) = cell_of(row, columns)?;
            key[0] = month_of(key[0]);
            let kept = summed.entry(key).or_default();
            for (sum, value) in kept.iter_mut().zip(values) {
                *sum += value;
            }
        }
        let mut kept: BTreeMap<Cell, [i64; 7]> = BTreeMap::new();
        let names = SUMS.join(", ");
        let rows = sqlx::query(&format!(
            "SELECT month, {}, {names} FROM {table}",
            months.cell("")
        ))
        .fetch_all(db.pool())
        .await?;
        for row in &rows {
            let (key, values) = cell_of(row, columns)?;
            kept.insert(key, values);
        }
        let cells: std::collections::BTreeSet<&Cell> = summed.keys().chain(kept.keys()).collect();
        for key in cells {
            let (has, should) = (kept.get(key).copied(), summed.get(key).copied());
            if has.unwrap_or_default() != should.unwrap_or_default() {
                out.push(format!("{table} {key:?}: kept {has:?}, lines {should:?}"));
            }
        }
    }
    Ok(out)
}

/// A row's month and `columns` cell columns, then its sums.
fn cell_of(row: &sqlx::any::AnyRow, columns: usize) -> Result<(Cell, [i64; 7]), AppError> {
    let key = (0..=columns)
        .map(|i| row.try_get(i))
        .collect::<Result<Cell, _>>()?;
    let mut values = [0; 7];
    for (value, name) in values.iter_mut().zip(SUMS) {
        *value = row.try_get(name)?;
    }
    Ok((key, values))
}

/// Adds (`sign` 1) or takes away (-1) the sums of the facts of one order or part
/// (`key` = `id`) to their cells of each table of monthly sums, and counts one change in
/// each of those cells (`changes`: what open data's kept months are checked against).
/// Its lines share one order, so one month.
async fn fold(
    tx: &mut Transaction<'static, Any>,
    key: &str,
    id: i64,
    sign: i64,
) -> Result<(), AppError> {
    let day = sqlx::query(&format!(
        "SELECT day FROM order_facts WHERE {key} = $1 LIMIT 1"
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(day) = day else { return Ok(()) };
    let month = month_of(day.try_get("day")?);
    let sums = sums_as(|line| format!("{sign} * SUM({line})"));
    let names = SUMS.join(", ");
    for months in &MONTHS {
        let (table, cell, cells) = (months.table, months.cell("f"), months.cell(""));
        let added = SUMS
            .iter()
            .map(|name| format!("{name} = {table}.{name} + excluded.{name}"))
            .collect::<Vec<_>>()
            .join(", ");
        sqlx::query(&format!(
            "INSERT INTO {table} (month, {cells}, {names}, changes)
             SELECT $1, {cell}, {sums}, 1 FROM order_facts f WHERE f.{key} = $2 GROUP BY {cell}
             ON CONFLICT (month, {cells}) DO UPDATE SET {added}, changes = {table}.changes + 1"
        ))
        .bind(month)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Puts right the facts whose `day` is not Morocco's date of their instant (`day_sql`):
/// those written by the usual UTC+1 (the migration that made the table, a build before
/// the zone's change) for an order placed in an hour the clocks kept otherwise. Each such
/// order's lines move to their day with their months, a hundred orders per transaction.
/// Returns how many orders moved.
pub async fn redate(db: &Db) -> Result<usize, AppError> {
    let day = day_sql("created_at");
    let orders = sqlx::query(&format!(
        "SELECT DISTINCT order_id FROM order_facts WHERE day <> {day} ORDER BY order_id"
    ))
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|row| row.try_get("order_id"))
    .collect::<Result<Vec<i64>, _>>()?;
    for batch in orders.chunks(100) {
        let mut tx = db.begin_write().await?;
        for &id in batch {
            fold(&mut tx, "order_id", id, -1).await?;
            sqlx::query(&format!(
                "UPDATE order_facts SET day = {day} WHERE order_id = $1"
            ))
            .bind(id)
            .execute(&mut *tx)
            .await?;
            fold(&mut tx, "order_id", id, 1).await?;
        }
        tx.commit().await?;
    }
    Ok(orders.len())
}

/// Writes the facts of one order just placed (its parts and lines written), and adds them
/// to their months. Read from the order by its id, so each engine starts from that one
/// row.
pub async fn record(tx: &mut Transaction<'static, Any>, order_id: i64) -> Result<(), AppError> {
    sqlx::query(&format!(
        "INSERT INTO order_facts ({COLUMNS}) {}",
        facts_of("WHERE o.id = $1")
    ))
    .bind(order_id)
    .execute(&mut **tx)
    .await?;
    fold(tx, "order_id", order_id, 1).await
}

/// A part's new status, on its lines' facts and their months.
pub(super) async fn restate_part(
    tx: &mut Transaction<'static, Any>,
    part_id: i64,
    status: &str,
) -> Result<(), AppError> {
    fold(tx, "part_id", part_id, -1).await?;
    sqlx::query("UPDATE order_facts SET status = $1 WHERE part_id = $2")
        .bind(status)
        .bind(part_id)
        .execute(&mut **tx)
        .await?;
    fold(tx, "part_id", part_id, 1).await
}

/// An order's new pickup point, on its lines' facts and their months.
pub(super) async fn restate_pickup(
    tx: &mut Transaction<'static, Any>,
    order_id: i64,
    event_id: i64,
    stop_id: Option<i64>,
) -> Result<(), AppError> {
    fold(tx, "order_id", order_id, -1).await?;
    sqlx::query("UPDATE order_facts SET event_id = $1, stop_id = $2 WHERE order_id = $3")
        .bind(event_id)
        .bind(stop_id.unwrap_or_default())
        .bind(order_id)
        .execute(&mut **tx)
        .await?;
    fold(tx, "order_id", order_id, 1).await
}
