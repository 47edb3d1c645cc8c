//! Idempotency: the key a checkout is placed under, the digest that tells a retry from
//! another order, and the order placed before under the key.
use crate::accounts::CurrentUser;
use crate::db::Db;
use crate::domain::orders::{pickup_code, OrderDraft, CODE_LENGTH};
use crate::domain::ErrorCode;
use crate::error::AppError;
use crate::orders::Placed;
use sqlx::Row;

/// A digest of what was asked, to tell a retry from another order under the same key.
pub(super) fn request_hash(draft: &OrderDraft) -> String {
    use sha2::{Digest, Sha256};
    let json = serde_json::to_string(draft).unwrap_or_default();
    hex::encode(Sha256::digest(json.as_bytes()))
}

pub(super) fn new_code() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut random = [0u8; CODE_LENGTH];
    OsRng.fill_bytes(&mut random);
    pickup_code(&random)
}

/// The order placed earlier under this key, if any: the same request gets it back,
/// another request under the same key is refused.
pub(super) async fn placed_before(
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
