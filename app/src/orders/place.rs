//! Placing an order: one transaction that checks the checkout, writes the order, its
//! parts and lines, and holds each line's stock with a conditional update. A line whose
//! stock is short changes nothing and is named in the 409.
use super::pickup::pickup_point;
use super::Placed;
use crate::accounts::CurrentUser;
use crate::db::{is_unique_violation, Db};
use crate::domain::orders::{
    line_field, line_total, pickup_code, Destination, OrderDraft, PartStatus, PaymentMethod,
    PaymentStatus, CODE_LENGTH,
};
use crate::domain::{ErrorCode, FieldErrors, MovementKind};
use crate::error::AppError;
use crate::inventory::service::{record_movement, StockChange};
use sqlx::{Any, Row, Transaction};

/// What placing needs to know of the server's settings.
#[derive(Debug, Clone, Copy)]
pub struct PlaceOptions {
    /// How long an unpaid card checkout holds its stock.
    pub hold_secs: i64,
    /// Whether card payment is configured.
    pub card_enabled: bool,
}

/// A product as it is ordered: its cooperative, names and price now.
struct Product {
    id: i64,
    cooperative_id: i64,
    name_fr: String,
    name_ar: String,
    name_en: String,
    unit: String,
    price: i64,
}

async fn products(
    tx: &mut Transaction<'static, Any>,
    ids: &[i64],
) -> Result<Vec<Product>, sqlx::Error> {
    let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT p.id, p.cooperative_id, p.name_fr, p.name_ar, p.name_en, p.unit, p.price_centimes
         FROM products p JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE p.id IN ({}) AND p.status = 'active' AND c.status = 'verified'",
        placeholders.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for id in ids {
        query = query.bind(*id);
    }
    query
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|r| {
            Ok(Product {
                id: r.try_get("id")?,
                cooperative_id: r.try_get("cooperative_id")?,
                name_fr: r.try_get("name_fr")?,
                name_ar: r.try_get("name_ar")?,
                name_en: r.try_get("name_en")?,
                unit: r.try_get("unit")?,
                price: r.try_get("price_centimes")?,
            })
        })
        .collect()
}

/// The part of each cooperative, in the order its first line came.
struct PartPlan {
    cooperative_id: i64,
    lines: Vec<(usize, i64)>,
    subtotal: i64,
    delivery_fee: i64,
}

/// A digest of what was asked, to tell a retry from another order under the same key.
fn request_hash(draft: &OrderDraft) -> String {
    use sha2::{Digest, Sha256};
    let json = serde_json::to_string(draft).unwrap_or_default();
    hex::encode(Sha256::digest(json.as_bytes()))
}

fn new_code() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut random = [0u8; CODE_LENGTH];
    OsRng.fill_bytes(&mut random);
    pickup_code(&random)
}

/// The order placed earlier under this key, if any: the same request gets it back,
/// another request under the same key is refused.
async fn placed_before(
    db: &Db,
    buyer: &CurrentUser,
    key: &str,
    hash: &str,
) -> Result<Option<Placed>, AppError> {
    let Some(row) = sqlx::query(
        "SELECT id, request_hash, checkout_url FROM orders WHERE buyer_id = $1 AND idempotency_key = $2",
    )
    .bind(buyer.id)
    .bind(key)
    .fetch_optional(db.pool())
    .await?
    else {
        return Ok(None);
    };
    let stored: String = row.try_get("request_hash")?;
    if stored != hash {
        return Err(AppError::field(
            "idempotency_key",
            ErrorCode::IdempotencyKeyReused,
        ));
    }
    Ok(Some(Placed {
        order_id: row.try_get("id")?,
        created: false,
        checkout_url: row.try_get("checkout_url")?,
    }))
}

/// An idempotency key: 8 to 100 visible ASCII characters.
pub fn parse_key(raw: Option<&str>) -> Result<String, AppError> {
    match raw.map(str::trim) {
        Some(key)
            if (8..=100).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            Ok(key.to_owned())
        }
        _ => Err(AppError::field(
            "idempotency_key",
            ErrorCode::IdempotencyKeyRequired,
        )),
    }
}

/// Places an order for `buyer` and takes its products out of the buyer's cart, in one
/// transaction. The same key and request give back the first order.
pub async fn place_order(
    db: &Db,
    options: PlaceOptions,
    buyer: &CurrentUser,
    key: &str,
    draft: &OrderDraft,
    now: i64,
) -> Result<Placed, AppError> {
    let hash = request_hash(draft);
    if let Some(placed) = placed_before(db, buyer, key, &hash).await? {
        return Ok(placed);
    }
    if draft.payment == PaymentMethod::Card && !options.card_enabled {
        return Err(AppError::field("payment", ErrorCode::CardUnavailable));
    }
    let mut tx = db.begin_write().await?;
    let ids: Vec<i64> = draft.lines.iter().map(|(id, _)| *id).collect();
    let found = products(&mut tx, &ids).await?;
    let mut errors = FieldErrors::new();
    let mut lines: Vec<(&Product, i64)> = Vec::new();
    for (product_id, quantity) in &draft.lines {
        match found.iter().find(|p| p.id == *product_id) {
            Some(product) => lines.push((product, *quantity)),
            None => errors.add(&line_field(*product_id), ErrorCode::ProductUnavailable),
        }
    }

    let mut collect_by = None;
    let mut event_id = None;
    let mut stop_id = None;
    let mut province_id = None;
    let mut address = String::new();
    let mut fees: Vec<(i64, i64)> = Vec::new();
    match &draft.destination {
        Destination::Pickup(point) => match pickup_point(&mut tx, *point, now).await {
            Ok(pickup) => {
                for (product, _) in &lines {
                    if !pickup.cooperatives.contains(&product.cooperative_id) {
                        errors.add(&line_field(product.id), ErrorCode::CooperativeNotAtPickup);
                    }
                }
                collect_by = Some(pickup.collect_by);
                event_id = Some(pickup.event_id);
                stop_id = pickup.stop_id;
            }
            Err(ErrorCode::Internal) => return Err(AppError::Internal),
            Err(code) => errors.add("pickup", code),
        },
        Destination::Delivery {
            province,
            address: to,
        } => {
            let row = sqlx::query("SELECT id FROM provinces WHERE code = $1")
                .bind(province)
                .fetch_optional(&mut *tx)
                .await?;
            match row {
                Some(row) => {
                    let province: i64 = row.try_get("id")?;
                    fees = sqlx::query(
                        "SELECT cooperative_id, fee FROM delivery_fees WHERE province_id = $1",
                    )
                    .bind(province)
                    .fetch_all(&mut *tx)
                    .await?
                    .iter()
                    .map(|r| Ok((r.try_get("cooperative_id")?, r.try_get("fee")?)))
                    .collect::<Result<_, sqlx::Error>>()?;
                    for (product, _) in &lines {
                        if !fees.iter().any(|(c, _)| *c == product.cooperative_id) {
                            errors.add(&line_field(product.id), ErrorCode::DeliveryNotOffered);
                        }
                    }
                    province_id = Some(province);
                }
                None => errors.add("province", ErrorCode::ProvinceUnknown),
            }
            address = to.clone();
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }

    let mut parts: Vec<PartPlan> = Vec::new();
    for (index, (product, quantity)) in lines.iter().enumerate() {
        let total = line_total(product.price, *quantity).ok_or(AppError::Internal)?;
        let part = match parts
            .iter_mut()
            .position(|p| p.cooperative_id == product.cooperative_id)
        {
            Some(at) => &mut parts[at],
            None => {
                let delivery_fee = fees
                    .iter()
                    .find(|(c, _)| *c == product.cooperative_id)
                    .map_or(0, |(_, fee)| *fee);
                parts.push(PartPlan {
                    cooperative_id: product.cooperative_id,
                    lines: Vec::new(),
                    subtotal: 0,
                    delivery_fee,
                });
                parts.last_mut().ok_or(AppError::Internal)?
            }
        };
        part.lines.push((index, *quantity));
        part.subtotal = part.subtotal.checked_add(total).ok_or(AppError::Internal)?;
    }
    let subtotal: i64 = parts.iter().map(|p| p.subtotal).sum();
    let fee_total: i64 = parts.iter().map(|p| p.delivery_fee).sum();
    let (payment_status, part_status, hold_expires_at) = match draft.payment {
        PaymentMethod::Cash => (PaymentStatus::Cash, PartStatus::Placed, None),
        PaymentMethod::Card => (
            PaymentStatus::Pending,
            PartStatus::AwaitingPayment,
            Some(now + options.hold_secs),
        ),
    };
    let fulfilment = match draft.destination {
        Destination::Pickup(_) => "pickup",
        Destination::Delivery { .. } => "delivery",
    };

    let inserted = sqlx::query(
        "INSERT INTO orders (buyer_id, idempotency_key, request_hash, fulfilment, event_id, stop_id,
             collect_by, province_id, address, payment, payment_status, subtotal, fees, total,
             pickup_code, hold_expires_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)
         RETURNING id",
    )
    .bind(buyer.id)
    .bind(key)
    .bind(&hash)
    .bind(fulfilment)
    .bind(event_id)
    .bind(stop_id)
    .bind(collect_by)
    .bind(province_id)
    .bind(&address)
    .bind(draft.payment.as_str())
    .bind(payment_status.as_str())
    .bind(subtotal)
    .bind(fee_total)
    .bind(subtotal + fee_total)
    .bind(new_code())
    .bind(hold_expires_at)
    .bind(now)
    .fetch_one(&mut *tx)
    .await;
    let order_id: i64 = match inserted {
        Ok(row) => row.try_get("id")?,
        Err(error) if is_unique_violation(&error, "orders_idempotency_key") => {
            // The same key placed concurrently: the first one wins, this one answers it.
            tx.rollback().await?;
            return placed_before(db, buyer, key, &hash)
                .await?
                .ok_or(AppError::Internal);
        }
        Err(error) => return Err(error.into()),
    };

    let reason = format!("order:{order_id}");
    let mut short = FieldErrors::new();
    for part in &parts {
        let part_id: i64 = sqlx::query(
            "INSERT INTO order_parts (order_id, cooperative_id, status, subtotal, delivery_fee, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(order_id)
        .bind(part.cooperative_id)
        .bind(part_status.as_str())
        .bind(part.subtotal)
        .bind(part.delivery_fee)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        for (index, quantity) in &part.lines {
            let (product, _) = lines[*index];
            sqlx::query(
                "INSERT INTO order_lines (part_id, product_id, name_fr, name_ar, name_en, unit, unit_price, quantity)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(part_id)
            .bind(product.id)
            .bind(&product.name_fr)
            .bind(&product.name_ar)
            .bind(&product.name_en)
            .bind(&product.unit)
            .bind(product.price)
            .bind(quantity)
            .execute(&mut *tx)
            .await?;
            let held = record_movement(
                &mut tx,
                StockChange {
                    product_id: product.id,
                    kind: MovementKind::Held,
                    quantity: -quantity,
                    reason: &reason,
                    user_id: Some(buyer.id),
                    order_id: Some(order_id),
                    at: now,
                },
            )
            .await;
            match held {
                Ok(_) => {}
                Err(AppError::Refused(ErrorCode::StockInsufficient)) => {
                    short.add(&line_field(product.id), ErrorCode::StockInsufficient)
                }
                Err(other) => return Err(other),
            }
        }
    }
    if !short.is_empty() {
        tx.rollback().await?;
        return Err(AppError::Conflict(ErrorCode::StockInsufficient, short));
    }
    sqlx::query("INSERT INTO order_history (order_id, status, at) VALUES ($1, $2, $3)")
        .bind(order_id)
        .bind(part_status.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await?;
    super::cart::remove(&mut tx, buyer.id, &ids).await?;
    tx.commit().await?;
    tracing::info!(
        order_id,
        buyer = buyer.id,
        total = subtotal + fee_total,
        "order placed"
    );
    Ok(Placed {
        order_id,
        created: true,
        checkout_url: None,
    })
}

/// A checkout from a form or the API: parses it, places the order with the server's
/// settings, and takes the ordered products out of the buyer's cart.
pub async fn checkout(
    state: &crate::state::AppState,
    buyer: &CurrentUser,
    key: &str,
    form: &crate::domain::orders::OrderForm,
) -> Result<Placed, AppError> {
    let draft = form.parse().map_err(AppError::Invalid)?;
    let options = PlaceOptions {
        hold_secs: state.settings.card_hold_secs,
        card_enabled: state.gateway.is_some(),
    };
    let mut placed = place_order(&state.db, options, buyer, key, &draft, state.db.now()).await?;
    if let (PaymentMethod::Card, Some(gateway)) = (draft.payment, &state.gateway) {
        let url = crate::payments::start_checkout(state, gateway, buyer, placed.order_id).await?;
        placed.checkout_url = Some(url);
    }
    Ok(placed)
}
