//! Delivery fees: what each cooperative charges to deliver to a province. No fee set
//! means no delivery there.
use super::DeliveryFee;
use crate::db::Db;
use crate::domain::catalogue::Centimes;
use crate::domain::ErrorCode;
use crate::error::AppError;
use sqlx::Row;

pub async fn fees(db: &Db, cooperative_id: i64) -> Result<Vec<DeliveryFee>, AppError> {
    Ok(sqlx::query(
        "SELECT p.code, f.fee FROM delivery_fees f JOIN provinces p ON p.id = f.province_id
         WHERE f.cooperative_id = $1 ORDER BY p.code",
    )
    .bind(cooperative_id)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| {
        Ok(DeliveryFee {
            cooperative_id,
            province_code: r.try_get("code")?,
            fee: r.try_get("fee")?,
        })
    })
    .collect::<Result<_, sqlx::Error>>()?)
}

/// Sets (or with an empty `fee`, removes) the fee to a province. `0` is free delivery.
pub async fn save(db: &Db, cooperative_id: i64, province: &str, fee: &str) -> Result<(), AppError> {
    let province_id: i64 = sqlx::query("SELECT id FROM provinces WHERE code = $1")
        .bind(province.trim())
        .fetch_optional(db.pool())
        .await?
        .ok_or_else(|| AppError::field("province", ErrorCode::ProvinceUnknown))?
        .try_get("id")?;
    let fee = fee.trim();
    let mut tx = db.begin_write().await?;
    if fee.is_empty() {
        sqlx::query("DELETE FROM delivery_fees WHERE cooperative_id = $1 AND province_id = $2")
            .bind(cooperative_id)
            .bind(province_id)
            .execute(&mut *tx)
            .await?;
    } else {
        let centimes = if fee == "0" {
            0
        } else {
            Centimes::parse_price(fee)
                .map_err(|code| AppError::field("fee", code))?
                .get()
        };
        sqlx::query(
            "INSERT INTO delivery_fees (cooperative_id, province_id, fee) VALUES ($1, $2, $3)
             ON CONFLICT (cooperative_id, province_id) DO UPDATE SET fee = excluded.fee",
        )
        .bind(cooperative_id)
        .bind(province_id)
        .bind(centimes)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
