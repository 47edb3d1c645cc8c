//! The regions an organiser or admin acts in (`user_regions`): none means the whole
//! Kingdom. The guard that applies them to events, sites and tours is `markets::reach`.
use crate::db::Db;
use crate::domain::ErrorCode;
use crate::error::AppError;
use sqlx::Row;

/// The codes of the regions a user is given (empty: the whole Kingdom).
pub async fn regions_of(db: &Db, user_id: i64) -> Result<Vec<String>, AppError> {
    let rows = sqlx::query(
        "SELECT r.code FROM user_regions ur JOIN regions r ON r.id = ur.region_id
         WHERE ur.user_id = $1 ORDER BY r.code",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|row| row.try_get("code"))
        .collect::<Result<_, _>>()?)
}

/// Gives a user exactly these regions (empty: the whole Kingdom), in one transaction; an
/// unknown region code is refused under `regions` and nothing changes.
pub async fn set_regions(db: &Db, user_id: i64, codes: &[String]) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM user_regions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    for code in codes {
        let region: i64 = sqlx::query("SELECT id FROM regions WHERE code = $1")
            .bind(code.trim())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| AppError::field("regions", ErrorCode::Invalid))?
            .try_get("id")?;
        sqlx::query(
            "INSERT INTO user_regions (user_id, region_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(user_id)
        .bind(region)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A user's id by email (case as stored: emails are kept lower-case).
pub async fn user_id_by_email(db: &Db, email: &str) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query("SELECT id FROM users WHERE email = $1")
        .bind(email.trim().to_lowercase())
        .fetch_optional(db.pool())
        .await?
        .map(|row| row.try_get("id"))
        .transpose()?)
}
