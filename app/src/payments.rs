//! Payments: card checkouts through the provider, its webhook, refunds, and the
//! settlement ledger with payout statements per cooperative. Cash needs none of it.
pub mod api;
#[cfg(feature = "ssr")]
pub mod gateway;
#[cfg(feature = "ssr")]
pub mod ledger;
#[cfg(feature = "ssr")]
pub mod refunds;
#[cfg(feature = "ssr")]
pub mod settlements;
#[cfg(feature = "ssr")]
pub mod signature;
mod views;

pub use views::{OrganiserPayoutsPage, PayoutsPage};

use serde::{Deserialize, Serialize};

/// One row of the settlement ledger: a sale (+), the platform's fee (-), a refund (-) or
/// the fee given back (+).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatementEntry {
    pub at: i64,
    pub order_id: i64,
    pub kind: String,
    pub amount: i64,
    pub payout_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Payout {
    pub id: i64,
    pub period_from: String,
    pub period_to: String,
    pub amount: i64,
    pub method: String,
    pub status: String,
    pub reference: String,
    pub settled_at: Option<i64>,
}

/// A cooperative's payout statement for a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    pub cooperative_id: i64,
    pub cooperative_fr: String,
    pub cooperative_ar: String,
    pub stripe_account: bool,
    pub from: String,
    pub to: String,
    pub entries: Vec<StatementEntry>,
    pub sales: i64,
    pub fees: i64,
    pub refunds: i64,
    pub net: i64,
    /// Owed and not yet paid out, whatever the period.
    pub unsettled: i64,
    pub payouts: Vec<Payout>,
}

/// What a cooperative is owed, for the organiser's payouts page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Balance {
    pub cooperative_id: i64,
    pub name_fr: String,
    pub name_ar: String,
    pub stripe_account: bool,
    pub unsettled: i64,
}
#[cfg(feature = "ssr")]
pub mod webhook;

/// Starts the card checkout of a placed order (once: the provider answers a retry under
/// the same idempotency key with the same session). If the provider cannot be reached
/// the order is expired at once, so its stock is not held for nothing.
#[cfg(feature = "ssr")]
pub async fn start_checkout(
    state: &crate::state::AppState,
    gateway: &gateway::Gateway,
    buyer: &crate::accounts::CurrentUser,
    order_id: i64,
) -> Result<String, crate::error::AppError> {
    use crate::error::AppError;
    use sqlx::Row;
    let db = &state.db;
    let order = sqlx::query(
        "SELECT checkout_url, hold_expires_at, payment_status FROM orders WHERE id = $1 AND buyer_id = $2",
    )
    .bind(order_id)
    .bind(buyer.id)
    .fetch_one(db.pool())
    .await?;
    if let Some(url) = order.try_get::<Option<String>, _>("checkout_url")? {
        return Ok(url);
    }
    let status: String = order.try_get("payment_status")?;
    if status != "pending" {
        return Err(AppError::conflict(crate::domain::ErrorCode::StatusInvalid));
    }
    let lines = sqlx::query(
        "SELECT l.name_fr, l.unit_price, l.quantity FROM order_lines l
         JOIN order_parts p ON p.id = l.part_id WHERE p.order_id = $1 ORDER BY p.id, l.id",
    )
    .bind(order_id)
    .fetch_all(db.pool())
    .await?;
    let mut items = Vec::new();
    for line in &lines {
        items.push(gateway::CheckoutLine {
            name: line.try_get("name_fr")?,
            unit_amount: line.try_get("unit_price")?,
            quantity: u64::try_from(line.try_get::<i64, _>("quantity")?).unwrap_or(1),
        });
    }
    let fees = sqlx::query(
        "SELECT c.name_fr, p.delivery_fee FROM order_parts p JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE p.order_id = $1 AND p.delivery_fee > 0 ORDER BY p.id",
    )
    .bind(order_id)
    .fetch_all(db.pool())
    .await?;
    for fee in &fees {
        items.push(gateway::CheckoutLine {
            name: format!("Livraison — {}", fee.try_get::<String, _>("name_fr")?),
            unit_amount: fee.try_get("delivery_fee")?,
            quantity: 1,
        });
    }
    let base = state.settings.public_url.trim_end_matches('/');
    let now = db.now();
    // Stripe keeps a checkout open 30 minutes at least; ours closes it when the hold ends.
    let hold_ends: i64 = order
        .try_get::<Option<i64>, _>("hold_expires_at")?
        .unwrap_or(now);
    let request = gateway::CheckoutRequest {
        order_id,
        lines: items,
        email: buyer.email.clone(),
        success_url: format!("{base}/orders/{order_id}?paid=1"),
        cancel_url: format!("{base}/orders/{order_id}"),
        expires_at: hold_ends.max(now + 31 * 60),
    };
    match gateway.create_checkout(&request).await {
        Ok(session) => {
            sqlx::query(
                "UPDATE orders SET checkout_id = $1, checkout_url = $2, updated_at = $3
                 WHERE id = $4 AND checkout_id IS NULL",
            )
            .bind(&session.id)
            .bind(&session.url)
            .bind(now)
            .bind(order_id)
            .execute(db.pool())
            .await?;
            Ok(session.url)
        }
        Err(error) => {
            tracing::error!(order_id, %error, "cannot start a card checkout; the order is expired");
            let mut tx = db.begin_write().await?;
            let outbox = crate::notifications::service::Outbox::of(&state.settings);
            crate::orders::expiry::expire_order(&mut tx, outbox, order_id, now).await?;
            tx.commit().await?;
            Err(AppError::Refused(crate::domain::ErrorCode::PaymentProvider))
        }
    }
}

/// After a cancel: closes the order's checkout if it was never paid, and sends the
/// refunds owed now; the expiry job retries what fails.
#[cfg(feature = "ssr")]
pub async fn after_cancel(state: &crate::state::AppState, order_id: i64) {
    use sqlx::Row;
    if let Some(gateway) = &state.gateway {
        let unpaid = sqlx::query(
            "SELECT checkout_id FROM orders WHERE id = $1 AND payment_status = 'expired' AND checkout_id IS NOT NULL",
        )
        .bind(order_id)
        .fetch_optional(state.db.pool())
        .await;
        if let Ok(Some(row)) = unpaid {
            if let Ok(checkout) = row.try_get::<String, _>("checkout_id") {
                if let Err(error) = gateway.expire_checkout(&checkout).await {
                    tracing::warn!(order_id, %error, "cannot close a cancelled order's checkout");
                }
            }
        }
        if let Err(error) = refunds::send_pending(&state.db, gateway, state.db.now()).await {
            tracing::warn!(?error, "refunds not sent now; the job retries them");
        }
    }
}
