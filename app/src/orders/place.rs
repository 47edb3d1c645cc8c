//! Placing an order: one transaction that checks the checkout, writes the order, its
//! parts and lines, and holds each line's stock with a conditional update. A line whose
//! stock is short changes nothing and is named in the 409.
mod key;
mod ordered;

pub use key::parse_key;

use super::notices::part_placed;
use super::pickup::pickup_point;
use super::{Order, OrderLine, OrderPart, OrderStep, Placed};
use crate::accounts::CurrentUser;
use crate::db::{is_unique_violation, Db};
use crate::domain::orders::{
    line_field, line_total, Destination, Fulfilment, OrderDraft, PartStatus, PaymentMethod,
    PaymentStatus,
};
use crate::domain::{ErrorCode, FieldErrors, MovementKind};
use crate::error::AppError;
use crate::inventory::service::{record_movement, StockChange};
use crate::notifications::service::Outbox;
use key::{new_code, placed_before, request_hash};
use ordered::{products, Product};
use sqlx::Row;

/// What placing needs to know of the server's settings.
#[derive(Debug, Clone, Copy)]
pub struct PlaceOptions {
    /// How long an unpaid card checkout holds its stock.
    pub hold_secs: i64,
    /// Whether card payment is configured.
    pub card_enabled: bool,
    /// How the cooperatives are told of a new order.
    pub outbox: Outbox,
}

/// The part of each cooperative, in the order its first line came.
struct PartPlan {
    cooperative_id: i64,
    lines: Vec<(usize, i64)>,
    subtotal: i64,
    delivery_fee: i64,
}

/// A placement's outcome: the order's id and, for an order this call wrote, the order as
/// its buyer sees it, built from what was written (no read back; without the QR drawing,
/// which needs the public address).
#[derive(Debug)]
pub struct Placement {
    pub placed: Placed,
    pub order: Option<Order>,
}

impl Placement {
    fn before(placed: Placed) -> Self {
        Placement {
            placed,
            order: None,
        }
    }
}

/// Places an order for `buyer` and takes its products out of the buyer's cart, in one
/// transaction. The same key and request give back the first order: the key's unique
/// index finds a retry when the order row is written, and a refused request looks for
/// an earlier order under its key before answering, so the first answer comes back even
/// when the stock has gone since.
pub async fn place_order(
    db: &Db,
    options: PlaceOptions,
    buyer: &CurrentUser,
    key: &str,
    draft: &OrderDraft,
    now: i64,
) -> Result<Placement, AppError> {
    let hash = request_hash(draft);
    match place_new(db, options, buyer, key, &hash, draft, now).await {
        Ok(placement) => Ok(placement),
        Err(refused @ (AppError::Invalid(_) | AppError::Conflict(..))) => {
            match placed_before(db, buyer, key, &hash).await? {
                Some(placed) => Ok(Placement::before(placed)),
                None => Err(refused),
            }
        }
        Err(other) => Err(other),
    }
}

async fn place_new(
    db: &Db,
    options: PlaceOptions,
    buyer: &CurrentUser,
    key: &str,
    hash: &str,
    draft: &OrderDraft,
    now: i64,
) -> Result<Placement, AppError> {
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
    let mut place = None;
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
                place = Some(pickup.place);
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

    let code = new_code();
    let inserted = sqlx::query(
        "INSERT INTO orders (buyer_id, idempotency_key, request_hash, fulfilment, event_id, stop_id,
             collect_by, province_id, address, payment, payment_status, subtotal, fees, total,
             pickup_code, hold_expires_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)
         RETURNING id",
    )
    .bind(buyer.id)
    .bind(key)
    .bind(hash)
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
    .bind(&code)
    .bind(hold_expires_at)
    .bind(now)
    .fetch_one(&mut *tx)
    .await;
    let order_id: i64 = match inserted {
        Ok(row) => row.try_get("id")?,
        Err(error) if is_unique_violation(&error, "orders_idempotency_key") => {
            // The same key placed concurrently: the first one wins, this one answers it.
            tx.rollback().await?;
            return placed_before(db, buyer, key, hash)
                .await?
                .map(Placement::before)
                .ok_or(AppError::Internal);
        }
        Err(error) => return Err(error.into()),
    };

    let reason = format!("order:{order_id}");
    let mut short = FieldErrors::new();
    let mut written = Vec::with_capacity(parts.len());
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
        let mut part_lines = Vec::with_capacity(part.lines.len());
        for (index, quantity) in &part.lines {
            let (product, _) = lines[*index];
            part_lines.push(OrderLine {
                product_id: product.id,
                name_fr: product.name_fr.clone(),
                name_ar: product.name_ar.clone(),
                name_en: product.name_en.clone(),
                unit: product.unit.clone(),
                unit_price: product.price,
                quantity: *quantity,
                total: line_total(product.price, *quantity).ok_or(AppError::Internal)?,
            });
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
        let (first, _) = lines[part.lines[0].0];
        written.push(OrderPart {
            id: part_id,
            cooperative_id: part.cooperative_id,
            cooperative_fr: first.cooperative_fr.clone(),
            cooperative_ar: first.cooperative_ar.clone(),
            status: part_status,
            subtotal: part.subtotal,
            delivery_fee: part.delivery_fee,
            cancel_reason: String::new(),
            lines: part_lines,
        });
    }
    if !short.is_empty() {
        tx.rollback().await?;
        return Err(AppError::Conflict(ErrorCode::StockInsufficient, short));
    }
    if part_status == PartStatus::Placed {
        for part in &written {
            let cooperative = (
                part.cooperative_id,
                &*part.cooperative_fr,
                &*part.cooperative_ar,
            );
            let amount = part.subtotal + part.delivery_fee;
            part_placed(&mut tx, options.outbox, order_id, cooperative, amount, now).await?;
        }
    }
    super::history::note(&mut tx, order_id, part_status.as_str(), "", now).await?;
    super::facts::record(&mut tx, order_id).await?;
    super::cart::remove(&mut tx, buyer.id, &ids).await?;
    tx.commit().await?;
    tracing::info!(
        order_id,
        buyer = buyer.id,
        total = subtotal + fee_total,
        "order placed"
    );
    let order = Order {
        id: order_id,
        mine: true,
        buyer_name: buyer.display_name.clone(),
        fulfilment: match draft.destination {
            Destination::Pickup(_) => Fulfilment::Pickup,
            Destination::Delivery { .. } => Fulfilment::Delivery,
        },
        pickup: place,
        province: match &draft.destination {
            Destination::Delivery { province, .. } => Some(province.clone()),
            Destination::Pickup(_) => None,
        },
        address,
        payment: draft.payment,
        payment_status,
        subtotal,
        fees: fee_total,
        total: subtotal + fee_total,
        refunded: 0,
        pickup_code: matches!(draft.destination, Destination::Pickup(_)).then_some(code),
        pickup_qr: None,
        checkout_url: None,
        hold_expires_at,
        parts: written,
        history: vec![OrderStep {
            part_id: None,
            status: part_status.as_str().to_owned(),
            note: String::new(),
            at: now,
        }],
        created_at: now,
    };
    Ok(Placement {
        placed: Placed {
            order_id,
            created: true,
            checkout_url: None,
        },
        order: Some(order),
    })
}

/// A checkout from a form or the API: parses it, places the order with the server's
/// settings, and takes the ordered products out of the buyer's cart. The order comes
/// back whole for a new cash order (with its QR drawing); otherwise only its id.
pub async fn checkout(
    state: &crate::state::AppState,
    buyer: &CurrentUser,
    key: &str,
    form: &crate::domain::orders::OrderForm,
) -> Result<Placement, AppError> {
    let draft = form.parse().map_err(AppError::Invalid)?;
    let options = PlaceOptions {
        hold_secs: state.settings.card_hold_secs,
        card_enabled: state.gateway.is_some(),
        outbox: Outbox::of(&state.settings),
    };
    let mut placement = place_order(&state.db, options, buyer, key, &draft, state.db.now()).await?;
    if let (PaymentMethod::Card, Some(gateway)) = (draft.payment, &state.gateway) {
        let order_id = placement.placed.order_id;
        let url = crate::payments::start_checkout(state, gateway, buyer, order_id).await?;
        placement.placed.checkout_url = Some(url);
        // The order row now has its checkout: the caller reads it back.
        placement.order = None;
    }
    if let Some(order) = &mut placement.order {
        order.pickup_qr = order.pickup_code.as_deref().map(|code| {
            super::qr::svg_of(&super::qr::pickup_url(
                &state.settings.public_url,
                order.id,
                code,
            ))
        });
    }
    Ok(placement)
}
