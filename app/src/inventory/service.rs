//! The stock ledger on the server. `record_movement` is the one way stock changes: a
//! conditional update (never read-then-write) and the movement row, in the caller's
//! transaction, so the level can never go below zero on either engine.
use super::{LowStock, Movement, MovementPage, StockMismatch};
use crate::accounts::CurrentUser;
use crate::catalogue::service::product_member;
use crate::db::Db;
use crate::domain::catalogue::parse_text;
use crate::domain::{ErrorCode, MovementKind};
use crate::error::AppError;
use sqlx::{Any, Row, Transaction};

/// One signed change to a product's stock, as the ledger records it.
#[derive(Debug, Clone, Copy)]
pub struct StockChange<'a> {
    pub product_id: i64,
    pub kind: MovementKind,
    pub quantity: i64,
    pub reason: &'a str,
    /// Who made it (none for the system: seeds, jobs).
    pub user_id: Option<i64>,
    /// The order it holds stock for or gives stock back from.
    pub order_id: Option<i64>,
    pub at: i64,
}

/// Applies a change to a product's stock and records it; refuses (changing nothing)
/// when the level would go below zero. Returns the new level.
pub async fn record_movement(
    tx: &mut Transaction<'static, Any>,
    change: StockChange<'_>,
) -> Result<i64, AppError> {
    let StockChange {
        product_id,
        kind,
        quantity,
        reason,
        user_id,
        order_id,
        at,
    } = change;
    let level = sqlx::query(
        "UPDATE products SET available = available + $1
         WHERE id = $2 AND available + $1 >= 0 RETURNING available",
    )
    .bind(quantity)
    .bind(product_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(level) = level else {
        return Err(AppError::conflict(ErrorCode::StockInsufficient));
    };
    sqlx::query(
        "INSERT INTO stock_movements (product_id, kind, quantity, reason, user_id, created_at, order_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(product_id)
    .bind(kind.as_str())
    .bind(quantity)
    .bind(reason)
    .bind(user_id)
    .bind(at)
    .bind(order_id)
    .execute(&mut **tx)
    .await?;
    Ok(level.try_get("available")?)
}

/// A member records goods received into stock.
pub async fn receive(
    db: &Db,
    user: &CurrentUser,
    product_id: i64,
    quantity: i64,
    note: &str,
) -> Result<i64, AppError> {
    product_member(db, user, product_id).await?;
    let note = parse_text(note, 200, false).map_err(|code| AppError::field("note", code))?;
    let mut tx = db.begin_write().await?;
    let level = record_movement(
        &mut tx,
        StockChange {
            product_id,
            kind: MovementKind::Received,
            quantity,
            reason: &note,
            user_id: Some(user.id),
            order_id: None,
            at: db.now(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(level)
}

/// A member corrects the stock (a count, breakage, spoilage) with a reason.
pub async fn adjust(
    db: &Db,
    user: &CurrentUser,
    product_id: i64,
    delta: i64,
    reason: &str,
) -> Result<i64, AppError> {
    product_member(db, user, product_id).await?;
    let reason = parse_text(reason, 200, true).map_err(|code| {
        AppError::field(
            "reason",
            if code == ErrorCode::Required {
                ErrorCode::ReasonRequired
            } else {
                code
            },
        )
    })?;
    let mut tx = db.begin_write().await?;
    let level = record_movement(
        &mut tx,
        StockChange {
            product_id,
            kind: MovementKind::Adjusted,
            quantity: delta,
            reason: &reason,
            user_id: Some(user.id),
            order_id: None,
            at: db.now(),
        },
    )
    .await
    .map_err(|e| match e {
        AppError::Refused(ErrorCode::StockInsufficient) => {
            AppError::field("delta", ErrorCode::StockInsufficient)
        }
        other => other,
    })?;
    tx.commit().await?;
    Ok(level)
}

/// A product's movements, newest first, for its cooperative's members.
pub async fn movements(
    db: &Db,
    user: &CurrentUser,
    product_id: i64,
    page: u32,
    per_page: u32,
) -> Result<MovementPage, AppError> {
    product_member(db, user, product_id).await?;
    let page = crate::domain::Page::new(page, per_page, 100)?;
    let head = sqlx::query(
        "SELECT available, (SELECT COUNT(*) FROM stock_movements WHERE product_id = $1) AS n
         FROM products WHERE id = $1",
    )
    .bind(product_id)
    .fetch_one(db.pool())
    .await?;
    let rows = sqlx::query(
        "SELECT m.id, m.kind, m.quantity, m.reason, u.display_name, m.created_at
         FROM stock_movements m LEFT JOIN users u ON u.id = m.user_id
         WHERE m.product_id = $1 ORDER BY m.id DESC LIMIT $2 OFFSET $3",
    )
    .bind(product_id)
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(db.pool())
    .await?;
    let items = rows
        .iter()
        .map(|r| {
            let kind: String = r.try_get("kind")?;
            Ok(Movement {
                id: r.try_get("id")?,
                kind: MovementKind::from_code(&kind).unwrap_or(MovementKind::Adjusted),
                quantity: r.try_get("quantity")?,
                reason: r.try_get("reason")?,
                by: r.try_get("display_name")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok(MovementPage {
        items,
        available: head.try_get("available")?,
        page: page.number(),
        per_page: page.per_page(),
        total: head.try_get("n")?,
    })
}

/// Active products of a cooperative at or below their threshold (a threshold of 0 means
/// no alert).
pub async fn low_stock(db: &Db, cooperative_id: i64) -> Result<Vec<LowStock>, AppError> {
    Ok(sqlx::query(
        "SELECT id, name_fr, name_ar, name_en, available, low_stock_threshold FROM products
         WHERE cooperative_id = $1 AND status = 'active' AND low_stock_threshold > 0
           AND available <= low_stock_threshold
         ORDER BY available, name_fr",
    )
    .bind(cooperative_id)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| {
        Ok(LowStock {
            product_id: r.try_get("id")?,
            name_fr: r.try_get("name_fr")?,
            name_ar: r.try_get("name_ar")?,
            name_en: r.try_get("name_en")?,
            available: r.try_get("available")?,
            threshold: r.try_get("low_stock_threshold")?,
        })
    })
    .collect::<Result<_, sqlx::Error>>()?)
}

/// Every product whose level differs from the sum of its ledger (`souk check stock`).
pub async fn check_stock(db: &Db) -> Result<Vec<StockMismatch>, AppError> {
    Ok(sqlx::query(
        "SELECT p.id, p.available, CAST(COALESCE(SUM(m.quantity), 0) AS BIGINT) AS ledger
         FROM products p LEFT JOIN stock_movements m ON m.product_id = p.id
         GROUP BY p.id, p.available
         HAVING p.available <> CAST(COALESCE(SUM(m.quantity), 0) AS BIGINT)
         ORDER BY p.id",
    )
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| {
        Ok(StockMismatch {
            product_id: r.try_get("id")?,
            available: r.try_get("available")?,
            ledger: r.try_get("ledger")?,
        })
    })
    .collect::<Result<_, sqlx::Error>>()?)
}

/// How many products and movements the check looked at.
pub async fn ledger_size(db: &Db) -> Result<(i64, i64), AppError> {
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM products) AS products, (SELECT COUNT(*) FROM stock_movements) AS movements",
    )
    .fetch_one(db.pool())
    .await?;
    Ok((row.try_get("products")?, row.try_get("movements")?))
}
