//! The cart on the server (one per user, the same on every device), and what checkout
//! can offer for it: the coming salons and stops where its cooperatives take part, and
//! their delivery fees.
use super::pickup::PARTICIPANTS;
use super::{Cart, CartLine, DeliveryFee, PickupOption};
use crate::accounts::CurrentUser;
use crate::db::Db;
use crate::domain::markets::Day;
use crate::domain::orders::MAX_LINE_QUANTITY;
use crate::domain::ErrorCode;
use crate::error::AppError;
use sqlx::{Any, Row, Transaction};

/// Puts `quantity` more of a product in the cart (at most `MAX_LINE_QUANTITY` in all).
pub async fn add(
    db: &Db,
    user: &CurrentUser,
    product_id: i64,
    quantity: i64,
) -> Result<(), AppError> {
    if !(1..=MAX_LINE_QUANTITY).contains(&quantity) {
        return Err(AppError::field("quantity", ErrorCode::QuantityInvalid));
    }
    let for_sale = sqlx::query(
        "SELECT 1 AS ok FROM products p JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE p.id = $1 AND p.status = 'active' AND c.status = 'verified'",
    )
    .bind(product_id)
    .fetch_optional(db.pool())
    .await?;
    if for_sale.is_none() {
        return Err(AppError::not_found());
    }
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO cart_items (user_id, product_id, quantity, added_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, product_id)
         DO UPDATE SET quantity = MIN_OF(cart_items.quantity + excluded.quantity, $5)"
            .replace("MIN_OF", db.least())
            .as_str(),
    )
    .bind(user.id)
    .bind(product_id)
    .bind(quantity)
    .bind(db.now())
    .bind(MAX_LINE_QUANTITY)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a line's quantity; 0 takes the product out.
pub async fn set_quantity(
    db: &Db,
    user: &CurrentUser,
    product_id: i64,
    quantity: i64,
) -> Result<(), AppError> {
    if !(0..=MAX_LINE_QUANTITY).contains(&quantity) {
        return Err(AppError::field("quantity", ErrorCode::QuantityInvalid));
    }
    // Each statement gets exactly its own parameters: PostgreSQL refuses a third value
    // for the two of the DELETE (an answer of 500 that SQLite never showed).
    let query = if quantity == 0 {
        sqlx::query("DELETE FROM cart_items WHERE user_id = $1 AND product_id = $2")
            .bind(user.id)
            .bind(product_id)
    } else {
        sqlx::query("UPDATE cart_items SET quantity = $3 WHERE user_id = $1 AND product_id = $2")
            .bind(user.id)
            .bind(product_id)
            .bind(quantity)
    };
    query.execute(db.pool()).await?;
    Ok(())
}

/// Takes ordered products out of the cart, in the placing transaction: one commit per
/// order (a second write transaction for the cart had cost most of a placement's time).
pub(super) async fn remove(
    tx: &mut Transaction<'static, Any>,
    user_id: i64,
    product_ids: &[i64],
) -> Result<(), AppError> {
    for id in product_ids {
        sqlx::query("DELETE FROM cart_items WHERE user_id = $1 AND product_id = $2")
            .bind(user_id)
            .bind(*id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// How many units the cart holds, for the header's cart link.
pub async fn units(db: &Db, user: &CurrentUser) -> Result<i64, AppError> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) AS units FROM cart_items WHERE user_id = $1",
    )
    .bind(user.id)
    .fetch_one(db.pool())
    .await?;
    Ok(row.try_get("units")?)
}

/// The cart with today's prices and stock, and what checkout can offer for it.
pub async fn cart(db: &Db, user: &CurrentUser, card_enabled: bool) -> Result<Cart, AppError> {
    let lines: Vec<CartLine> = sqlx::query(
        "SELECT p.id, p.name_fr, p.name_ar, p.name_en, p.unit, p.price_centimes, p.available,
                i.quantity, c.id AS cooperative_id, c.name_fr AS coop_fr, c.name_ar AS coop_ar
         FROM cart_items i JOIN products p ON p.id = i.product_id
         JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE i.user_id = $1 AND p.status = 'active' AND c.status = 'verified'
         ORDER BY c.name_fr, i.added_at, p.id",
    )
    .bind(user.id)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| {
        Ok(CartLine {
            product_id: r.try_get("id")?,
            name_fr: r.try_get("name_fr")?,
            name_ar: r.try_get("name_ar")?,
            name_en: r.try_get("name_en")?,
            unit: r.try_get("unit")?,
            unit_price: r.try_get("price_centimes")?,
            quantity: r.try_get("quantity")?,
            available: r.try_get("available")?,
            cooperative_id: r.try_get("cooperative_id")?,
            cooperative_fr: r.try_get("coop_fr")?,
            cooperative_ar: r.try_get("coop_ar")?,
        })
    })
    .collect::<Result<_, sqlx::Error>>()?;
    let mut cooperatives: Vec<i64> = lines.iter().map(|l| l.cooperative_id).collect();
    cooperatives.sort_unstable();
    cooperatives.dedup();
    let pickups = pickup_options(db, &cooperatives).await?;
    let mut delivery_fees = Vec::new();
    for cooperative in &cooperatives {
        let rows = sqlx::query(
            "SELECT p.code, f.fee FROM delivery_fees f JOIN provinces p ON p.id = f.province_id
             WHERE f.cooperative_id = $1 ORDER BY p.code",
        )
        .bind(*cooperative)
        .fetch_all(db.pool())
        .await?;
        for r in &rows {
            delivery_fees.push(DeliveryFee {
                cooperative_id: *cooperative,
                province_code: r.try_get("code")?,
                fee: r.try_get("fee")?,
            });
        }
    }
    let checkout_key = {
        use argon2::password_hash::rand_core::{OsRng, RngCore};
        let mut bytes = [0u8; 16];
        OsRng.fill_bytes(&mut bytes);
        format!("checkout-{}", hex::encode(bytes))
    };
    Ok(Cart {
        lines,
        pickups,
        delivery_fees,
        card_enabled,
        checkout_key,
    })
}

/// The coming salons and tour stops (published or running, not yet closed) where at
/// least one of `cooperatives` takes part, soonest first.
pub async fn pickup_options(db: &Db, cooperatives: &[i64]) -> Result<Vec<PickupOption>, AppError> {
    if cooperatives.is_empty() {
        return Ok(Vec::new());
    }
    let today = db.clock().today().to_string();
    let points = sqlx::query(
        "SELECT e.id AS event_id, 0 AS stop_id, e.name_fr, e.name_ar, t.name_fr AS site_fr,
                t.name_ar AS site_ar, e.starts_on AS day, e.ends_on AS last_day, e.closes_at
         FROM events e JOIN sites t ON t.id = e.site_id
         WHERE e.kind = 'salon' AND e.status IN ('published', 'running') AND e.ends_on >= $1
         UNION ALL
         SELECT e.id AS event_id, s.id AS stop_id, e.name_fr, e.name_ar, t.name_fr AS site_fr,
                t.name_ar AS site_ar, s.day, s.day AS last_day, s.closes_at
         FROM event_stops s JOIN events e ON e.id = s.event_id JOIN sites t ON t.id = s.site_id
         WHERE e.kind = 'tour' AND e.status IN ('published', 'running') AND s.day >= $1
         ORDER BY day, event_id, stop_id
         LIMIT 200",
    )
    .bind(&today)
    .fetch_all(db.pool())
    .await?;
    let now = db.now();
    let mut options = Vec::new();
    for r in &points {
        let last_day: String = r.try_get("last_day")?;
        let closes_at: i64 = r.try_get("closes_at")?;
        if Day::parse(&last_day).map_or(true, |day| day.at(closes_at) <= now) {
            continue;
        }
        let event_id: i64 = r.try_get("event_id")?;
        let stop_id: i64 = r.try_get("stop_id")?;
        let present: Vec<i64> = sqlx::query(PARTICIPANTS)
            .bind(event_id)
            .bind(stop_id)
            .fetch_all(db.pool())
            .await?
            .iter()
            .map(|row| row.try_get("cooperative_id"))
            .collect::<Result<Vec<i64>, _>>()?
            .into_iter()
            .filter(|c| cooperatives.contains(c))
            .collect();
        if present.is_empty() {
            continue;
        }
        let event_fr: String = r.try_get("name_fr")?;
        let event_ar: String = r.try_get("name_ar")?;
        let site_fr: String = r.try_get("site_fr")?;
        let site_ar: String = r.try_get("site_ar")?;
        options.push(PickupOption {
            event_id,
            stop_id: (stop_id != 0).then_some(stop_id),
            label_fr: format!("{site_fr} — {event_fr}"),
            label_ar: format!("{site_ar} — {event_ar}"),
            day: r.try_get("day")?,
            cooperatives: present,
        });
    }
    Ok(options)
}
