//! The outbox on the server: messages are written in the caller's transaction (so a
//! change and its message commit together); a sender claims the ones to email.
use super::{Notification, NotificationKind, NotificationPage, NotificationParams};
use crate::accounts::session::language_of;
use crate::db::{Db, Engine};
use crate::error::AppError;
use crate::i18n::Locale;
use sqlx::{Any, Row, Transaction};

/// Whether messages also go out by email (an SMTP server is configured).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outbox {
    pub email: bool,
}

impl Outbox {
    /// How this server sends messages (by email when an SMTP server is configured).
    pub fn of(settings: &crate::state::Settings) -> Self {
        Self {
            email: settings.email_enabled,
        }
    }
}

/// A message's details as stored (JSON), and whether the sender is to email it.
fn stored(outbox: Outbox, params: &NotificationParams) -> Result<(String, &'static str), AppError> {
    let json = serde_json::to_string(params).map_err(|error| {
        tracing::error!(%error, "notification params do not serialise");
        AppError::Internal
    })?;
    Ok((json, if outbox.email { "pending" } else { "none" }))
}

/// Records one message per user, in the transaction of the change it tells about.
pub async fn enqueue(
    tx: &mut Transaction<'static, Any>,
    outbox: Outbox,
    user_ids: &[i64],
    kind: NotificationKind,
    event_id: Option<i64>,
    params: &NotificationParams,
    at: i64,
) -> Result<(), AppError> {
    let (params, email_state) = stored(outbox, params)?;
    for user_id in user_ids {
        sqlx::query(
            "INSERT INTO notifications (user_id, kind, event_id, params, created_at, email_state, next_attempt_at)
             VALUES ($1, $2, $3, $4, $5, $6, $5)",
        )
        .bind(user_id)
        .bind(kind.as_str())
        .bind(event_id)
        .bind(&params)
        .bind(at)
        .bind(email_state)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Records one message for each member of a cooperative, in the caller's transaction
/// (one statement, whatever the number of members).
pub async fn enqueue_for_members(
    tx: &mut Transaction<'static, Any>,
    outbox: Outbox,
    cooperative_id: i64,
    kind: NotificationKind,
    params: &NotificationParams,
    at: i64,
) -> Result<(), AppError> {
    let (params, email_state) = stored(outbox, params)?;
    sqlx::query(
        "INSERT INTO notifications (user_id, kind, event_id, params, created_at, email_state, next_attempt_at)
         SELECT user_id, $1, NULL, $2, $3, $4, $3 FROM cooperative_members WHERE cooperative_id = $5",
    )
    .bind(kind.as_str())
    .bind(&params)
    .bind(at)
    .bind(email_state)
    .bind(cooperative_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The accounts of a cooperative's members.
pub async fn members_of(
    tx: &mut Transaction<'static, Any>,
    cooperative_id: i64,
) -> Result<Vec<i64>, AppError> {
    let rows = sqlx::query("SELECT user_id FROM cooperative_members WHERE cooperative_id = $1")
        .bind(cooperative_id)
        .fetch_all(&mut **tx)
        .await?;
    Ok(rows
        .iter()
        .map(|r| r.try_get("user_id"))
        .collect::<Result<_, _>>()?)
}

fn params_of(raw: &str) -> NotificationParams {
    serde_json::from_str(raw).unwrap_or_default()
}

pub async fn list(
    db: &Db,
    user_id: i64,
    page: u32,
    per_page: u32,
) -> Result<NotificationPage, AppError> {
    let page = crate::domain::Page::new(page, per_page, 100)?;
    let counts = sqlx::query(
        "SELECT COUNT(*) AS total, CAST(COALESCE(SUM(CASE WHEN read_at IS NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS unread
         FROM notifications WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_one(db.pool())
    .await?;
    let rows = sqlx::query(
        "SELECT id, kind, event_id, params, created_at, read_at FROM notifications
         WHERE user_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3",
    )
    .bind(user_id)
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(db.pool())
    .await?;
    let mut items = Vec::new();
    for row in rows {
        let kind: String = row.try_get("kind")?;
        let Some(kind) = NotificationKind::from_code(&kind) else {
            continue;
        };
        items.push(Notification {
            id: row.try_get("id")?,
            kind,
            event_id: row.try_get("event_id")?,
            params: params_of(&row.try_get::<String, _>("params")?),
            created_at: row.try_get("created_at")?,
            read: row.try_get::<Option<i64>, _>("read_at")?.is_some(),
        });
    }
    Ok(NotificationPage {
        items,
        unread: counts.try_get("unread")?,
        page: page.number(),
        per_page: page.per_page(),
        total: counts.try_get("total")?,
    })
}

pub async fn unread_count(db: &Db, user_id: i64) -> Result<i64, AppError> {
    Ok(sqlx::query(
        "SELECT COUNT(*) AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL",
    )
    .bind(user_id)
    .fetch_one(db.pool())
    .await?
    .try_get("n")?)
}

/// Marks every message of the user as read.
pub async fn mark_all_read(db: &Db, user_id: i64) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
        .bind(db.now())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// A message the sender is to email.
#[derive(Debug, Clone)]
pub struct PendingEmail {
    pub id: i64,
    pub to: String,
    pub name: String,
    /// The language the recipient chose: the email is written in it.
    pub language: Locale,
    pub kind: NotificationKind,
    pub params: NotificationParams,
    pub attempts: i64,
}

/// Claims up to `limit` messages due for email for `lease_secs`. On PostgreSQL the rows
/// are locked with `SKIP LOCKED`, so several servers share the work without sending one
/// message twice; SQLite has one writer at a time.
pub async fn claim_emails(
    db: &Db,
    limit: i64,
    lease_secs: i64,
) -> Result<Vec<PendingEmail>, AppError> {
    let at = db.now();
    let lock = match db.engine() {
        Engine::Postgres => "FOR UPDATE SKIP LOCKED",
        Engine::Sqlite => "",
    };
    let mut tx = db.begin_write().await?;
    let rows = sqlx::query(&format!(
        "UPDATE notifications SET claimed_until = $1 WHERE id IN (
             SELECT id FROM notifications WHERE email_state = 'pending' AND next_attempt_at <= $2
             AND claimed_until <= $2 ORDER BY id LIMIT $3 {lock})
         RETURNING id, user_id, kind, params, attempts"
    ))
    .bind(at + lease_secs)
    .bind(at)
    .bind(limit)
    .fetch_all(&mut *tx)
    .await?;
    let mut claimed = Vec::new();
    for row in rows {
        let user_id: i64 = row.try_get("user_id")?;
        let user = sqlx::query("SELECT email, display_name, language FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(&mut *tx)
            .await?;
        let kind: String = row.try_get("kind")?;
        let Some(kind) = NotificationKind::from_code(&kind) else {
            continue;
        };
        claimed.push(PendingEmail {
            id: row.try_get("id")?,
            to: user.try_get("email")?,
            name: user.try_get("display_name")?,
            language: language_of(&user.try_get::<String, _>("language")?).unwrap_or(Locale::fr),
            kind,
            params: params_of(&row.try_get::<String, _>("params")?),
            attempts: row.try_get("attempts")?,
        });
    }
    tx.commit().await?;
    claimed.sort_by_key(|p| p.id);
    Ok(claimed)
}

pub async fn mark_sent(db: &Db, id: i64) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE notifications SET email_state = 'sent', attempts = attempts + 1, claimed_until = 0 WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Records a failed attempt: retried after `retry_secs` doubled per attempt, given up
/// (`failed`) after `max_attempts`.
pub async fn mark_attempt_failed(
    db: &Db,
    email: &PendingEmail,
    error: &str,
    retry_secs: i64,
    max_attempts: i64,
) -> Result<(), AppError> {
    let attempts = email.attempts + 1;
    let state = if attempts >= max_attempts {
        "failed"
    } else {
        "pending"
    };
    let delay = retry_secs.saturating_mul(1 << attempts.clamp(0, 16));
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE notifications SET email_state = $1, attempts = $2, next_attempt_at = $3,
         claimed_until = 0, last_error = $4 WHERE id = $5",
    )
    .bind(state)
    .bind(attempts)
    .bind(db.now() + delay)
    .bind(error.chars().take(500).collect::<String>())
    .bind(email.id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}
