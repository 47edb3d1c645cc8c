//! Reading orders: a buyer's own, a cooperative's parts, and its packing list per stop.
//! Each read is scoped to the viewer in SQL: another buyer's order is not found.
use super::{
    Order, OrderLine, OrderList, OrderPart, OrderStep, OrderSummary, PartList, PartSummary,
    PickupPlace,
};
use crate::accounts::CurrentUser;
use crate::cooperatives::service::membership;
use crate::db::Db;
use crate::domain::orders::{Fulfilment, PartStatus, PaymentMethod, PaymentStatus};
use crate::domain::Role;
use crate::error::AppError;
use sqlx::any::AnyRow;
use sqlx::Row;

fn line(row: &AnyRow) -> Result<OrderLine, sqlx::Error> {
    let unit_price: i64 = row.try_get("unit_price")?;
    let quantity: i64 = row.try_get("quantity")?;
    Ok(OrderLine {
        product_id: row.try_get("product_id")?,
        name_fr: row.try_get("name_fr")?,
        name_ar: row.try_get("name_ar")?,
        name_en: row.try_get("name_en")?,
        unit: row.try_get("unit")?,
        unit_price,
        quantity,
        total: unit_price * quantity,
    })
}

fn code<T>(raw: &str, parse: fn(&str) -> Option<T>) -> Result<T, AppError> {
    parse(raw).ok_or_else(|| {
        tracing::error!(raw, "unknown code in the orders tables");
        AppError::Internal
    })
}

async fn lines_of(db: &Db, part_id: i64) -> Result<Vec<OrderLine>, AppError> {
    Ok(sqlx::query(
        "SELECT product_id, name_fr, name_ar, name_en, unit, unit_price, quantity
         FROM order_lines WHERE part_id = $1 ORDER BY id",
    )
    .bind(part_id)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(line)
    .collect::<Result<_, _>>()?)
}

/// The salon or stop of a pickup order.
pub(super) async fn pickup_place(
    db: &Db,
    event_id: i64,
    stop_id: Option<i64>,
) -> Result<Option<PickupPlace>, AppError> {
    let row = match stop_id {
        Some(stop) => sqlx::query(
            "SELECT e.id AS event_id, e.status, e.name_fr AS event_fr, e.name_ar AS event_ar,
                    t.name_fr AS site_fr, t.name_ar AS site_ar, s.day, s.opens_at, s.closes_at
             FROM event_stops s JOIN events e ON e.id = s.event_id JOIN sites t ON t.id = s.site_id
             WHERE s.id = $1",
        )
        .bind(stop),
        None => sqlx::query(
            "SELECT e.id AS event_id, e.status, e.name_fr AS event_fr, e.name_ar AS event_ar,
                    t.name_fr AS site_fr, t.name_ar AS site_ar, e.starts_on AS day, e.opens_at, e.closes_at
             FROM events e JOIN sites t ON t.id = e.site_id WHERE e.id = $1",
        )
        .bind(event_id),
    }
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| pickup_place_of(&r, stop_id))
        .transpose()
        .map_err(|e: sqlx::Error| e.into())
}

/// A pickup place from a row with its event's and site's names, day and hours.
pub(super) fn pickup_place_of(
    r: &AnyRow,
    stop_id: Option<i64>,
) -> Result<PickupPlace, sqlx::Error> {
    Ok(PickupPlace {
        event_id: r.try_get("event_id")?,
        stop_id,
        event_fr: r.try_get("event_fr")?,
        event_ar: r.try_get("event_ar")?,
        site_fr: r.try_get("site_fr")?,
        site_ar: r.try_get("site_ar")?,
        day: r.try_get("day")?,
        opens_at: r.try_get("opens_at")?,
        closes_at: r.try_get("closes_at")?,
        cancelled: r.try_get::<String, _>("status")? == "cancelled",
    })
}

/// An order for its buyer, or for a member of a cooperative with a part in it (who sees
/// that part only, and not the pickup code). Anyone else: not found.
pub async fn order(
    db: &Db,
    base_url: &str,
    viewer: &CurrentUser,
    id: i64,
) -> Result<Order, AppError> {
    let row = sqlx::query(
        "SELECT o.*, u.display_name, p.code AS province_code FROM orders o
         JOIN users u ON u.id = o.buyer_id LEFT JOIN provinces p ON p.id = o.province_id
         WHERE o.id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?
    .ok_or_else(AppError::not_found)?;
    let buyer_id: i64 = row.try_get("buyer_id")?;
    let is_buyer = buyer_id == viewer.id;
    let only_cooperative = if is_buyer {
        None
    } else if viewer.role == Role::Cooperative {
        let member = membership(db, viewer)
            .await
            .map_err(|_| AppError::not_found())?;
        Some(member.cooperative_id)
    } else {
        return Err(AppError::not_found());
    };
    let part_rows = sqlx::query(
        "SELECT p.id, p.cooperative_id, c.name_fr, c.name_ar, p.status, p.subtotal, p.delivery_fee, p.cancel_reason
         FROM order_parts p JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE p.order_id = $1 AND ($2 = 0 OR p.cooperative_id = $2) ORDER BY p.id",
    )
    .bind(id)
    .bind(only_cooperative.unwrap_or(0))
    .fetch_all(db.pool())
    .await?;
    if part_rows.is_empty() {
        return Err(AppError::not_found());
    }
    let mut parts = Vec::new();
    for r in &part_rows {
        let part_id: i64 = r.try_get("id")?;
        let status: String = r.try_get("status")?;
        parts.push(OrderPart {
            id: part_id,
            cooperative_id: r.try_get("cooperative_id")?,
            cooperative_fr: r.try_get("name_fr")?,
            cooperative_ar: r.try_get("name_ar")?,
            status: code(&status, PartStatus::from_code)?,
            subtotal: r.try_get("subtotal")?,
            delivery_fee: r.try_get("delivery_fee")?,
            cancel_reason: r.try_get("cancel_reason")?,
            lines: lines_of(db, part_id).await?,
        });
    }
    let history = sqlx::query(
        "SELECT part_id, status, note, at FROM order_history WHERE order_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| {
        Ok(OrderStep {
            part_id: r.try_get("part_id")?,
            status: r.try_get("status")?,
            note: r.try_get("note")?,
            at: r.try_get("at")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?
    .into_iter()
    .filter(|step| {
        only_cooperative.is_none()
            || step.part_id.is_none()
            || parts.iter().any(|p| Some(p.id) == step.part_id)
    })
    .collect();
    let fulfilment: String = row.try_get("fulfilment")?;
    let fulfilment = code(&fulfilment, Fulfilment::from_code)?;
    let payment: String = row.try_get("payment")?;
    let payment_status: String = row.try_get("payment_status")?;
    let payment_status = code(&payment_status, PaymentStatus::from_code)?;
    let event_id: Option<i64> = row.try_get("event_id")?;
    let pickup = match event_id {
        Some(event) => pickup_place(db, event, row.try_get("stop_id")?).await?,
        None => None,
    };
    let pickup_code: String = row.try_get("pickup_code")?;
    let show_code = is_buyer && fulfilment == Fulfilment::Pickup;
    Ok(Order {
        id,
        mine: is_buyer,
        buyer_name: row.try_get("display_name")?,
        fulfilment,
        pickup,
        province: row.try_get("province_code")?,
        address: row.try_get("address")?,
        payment: code(&payment, PaymentMethod::from_code)?,
        payment_status,
        subtotal: row.try_get("subtotal")?,
        fees: row.try_get("fees")?,
        total: row.try_get("total")?,
        refunded: row.try_get("refunded")?,
        pickup_qr: show_code
            .then(|| super::qr::svg_of(&super::qr::pickup_url(base_url, id, &pickup_code))),
        pickup_code: show_code.then_some(pickup_code),
        checkout_url: if is_buyer && payment_status == PaymentStatus::Pending {
            row.try_get("checkout_url")?
        } else {
            None
        },
        hold_expires_at: row.try_get("hold_expires_at")?,
        parts,
        history,
        created_at: row.try_get("created_at")?,
    })
}

/// A buyer's orders, newest first.
pub async fn my_orders(
    db: &Db,
    buyer: &CurrentUser,
    page: u32,
    per_page: u32,
) -> Result<OrderList, AppError> {
    let page = crate::domain::Page::new(page, per_page, 100)?;
    let total: i64 = sqlx::query("SELECT COUNT(*) AS n FROM orders WHERE buyer_id = $1")
        .bind(buyer.id)
        .fetch_one(db.pool())
        .await?
        .try_get("n")?;
    let rows = sqlx::query(
        "SELECT id, fulfilment, payment_status, total, created_at FROM orders
         WHERE buyer_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3",
    )
    .bind(buyer.id)
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(db.pool())
    .await?;
    let mut items = Vec::new();
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        let statuses =
            sqlx::query("SELECT status FROM order_parts WHERE order_id = $1 ORDER BY id")
                .bind(id)
                .fetch_all(db.pool())
                .await?
                .iter()
                .map(|s| {
                    let status: String = s.try_get("status")?;
                    Ok(PartStatus::from_code(&status).unwrap_or(PartStatus::Placed))
                })
                .collect::<Result<_, sqlx::Error>>()?;
        let fulfilment: String = r.try_get("fulfilment")?;
        let payment_status: String = r.try_get("payment_status")?;
        items.push(OrderSummary {
            id,
            fulfilment: code(&fulfilment, Fulfilment::from_code)?,
            payment_status: code(&payment_status, PaymentStatus::from_code)?,
            total: r.try_get("total")?,
            statuses,
            created_at: r.try_get("created_at")?,
        });
    }
    Ok(OrderList {
        items,
        page: page.number(),
        per_page: page.per_page(),
        total,
    })
}

pub(super) const PART_COLUMNS: &str =
    "p.id AS part_id, p.order_id, p.status, p.subtotal + p.delivery_fee AS part_total,
    o.fulfilment, o.payment, o.payment_status, o.created_at, u.display_name,
    COALESCE(st.day, e.starts_on, '') AS day,
    COALESCE(ss.name_fr, es.name_fr, pr.name_fr, '') AS place";

pub(super) const PART_JOINS: &str = "FROM order_parts p JOIN orders o ON o.id = p.order_id
    JOIN users u ON u.id = o.buyer_id
    LEFT JOIN event_stops st ON st.id = o.stop_id LEFT JOIN sites ss ON ss.id = st.site_id
    LEFT JOIN events e ON e.id = o.event_id LEFT JOIN sites es ON es.id = e.site_id
    LEFT JOIN provinces pr ON pr.id = o.province_id";

pub(super) async fn part_summary(db: &Db, r: &AnyRow) -> Result<PartSummary, AppError> {
    let part_id: i64 = r.try_get("part_id")?;
    let fulfilment: String = r.try_get("fulfilment")?;
    let payment: String = r.try_get("payment")?;
    let payment_status: String = r.try_get("payment_status")?;
    let status: String = r.try_get("status")?;
    Ok(PartSummary {
        part_id,
        order_id: r.try_get("order_id")?,
        buyer_name: r.try_get("display_name")?,
        fulfilment: code(&fulfilment, Fulfilment::from_code)?,
        payment: code(&payment, PaymentMethod::from_code)?,
        payment_status: code(&payment_status, PaymentStatus::from_code)?,
        status: code(&status, PartStatus::from_code)?,
        place: r.try_get("place")?,
        day: r.try_get("day")?,
        total: r.try_get("part_total")?,
        lines: lines_of(db, part_id).await?,
        created_at: r.try_get("created_at")?,
    })
}

/// A cooperative's parts, newest first; `open` keeps those still to fulfil.
pub async fn cooperative_parts(
    db: &Db,
    cooperative_id: i64,
    open: bool,
    page: u32,
    per_page: u32,
) -> Result<PartList, AppError> {
    let page = crate::domain::Page::new(page, per_page, 100)?;
    let filter = if open {
        "AND p.status IN ('awaiting_payment', 'placed', 'ready', 'shipped')"
    } else {
        ""
    };
    let total: i64 = sqlx::query(&format!(
        "SELECT COUNT(*) AS n FROM order_parts p WHERE p.cooperative_id = $1 {filter}"
    ))
    .bind(cooperative_id)
    .fetch_one(db.pool())
    .await?
    .try_get("n")?;
    let rows = sqlx::query(&format!(
        "SELECT {PART_COLUMNS} {PART_JOINS} WHERE p.cooperative_id = $1 {filter}
         ORDER BY p.id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(cooperative_id)
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(db.pool())
    .await?;
    let mut items = Vec::new();
    for r in &rows {
        items.push(part_summary(db, r).await?);
    }
    Ok(PartList {
        items,
        page: page.number(),
        per_page: page.per_page(),
        total,
    })
}
