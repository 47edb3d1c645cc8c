//! The programme follow-up's rows: enrolments and accompaniment sessions, written by an
//! organiser for the cooperatives of its regions, read by them and by each cooperative
//! for itself.
use super::{Enrolment, FollowUp, Session};
use crate::accounts::CurrentUser;
use crate::db::Db;
use crate::domain::follow_up::{EnrolmentDraft, EnrolmentStatus, SessionDraft, SessionKind};
use crate::domain::ErrorCode;
use crate::error::AppError;
use crate::markets::reach::{may_act_for_cooperative, Reach};
use sqlx::Row;

/// How many enrolments and sessions a page lists (the newest).
const LISTED: i64 = 100;

/// A cooperative that exists (its field names it otherwise) and that `user` may follow.
async fn followed(db: &Db, user: &CurrentUser, field: &str, id: i64) -> Result<(), AppError> {
    let exists = sqlx::query("SELECT 1 FROM cooperatives WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    if exists.is_none() {
        return Err(AppError::field(field, ErrorCode::CooperativeUnknown));
    }
    may_act_for_cooperative(db, user, id).await
}

async fn programme_id(db: &Db, code: &str) -> Result<i64, AppError> {
    Ok(sqlx::query("SELECT id FROM programmes WHERE code = $1")
        .bind(code)
        .fetch_optional(db.pool())
        .await?
        .ok_or_else(|| AppError::field("programme", ErrorCode::ProgrammeUnknown))?
        .try_get("id")?)
}

pub async fn enrol(db: &Db, user: &CurrentUser, draft: &EnrolmentDraft) -> Result<i64, AppError> {
    followed(db, user, "cooperative", draft.cooperative_id).await?;
    let programme = programme_id(db, &draft.programme).await?;
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO programme_enrolments (cooperative_id, programme_id, starts_on, starts_at,
             ends_on, status, support, amount, recorded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(draft.cooperative_id)
    .bind(programme)
    .bind(draft.starts_on.to_string())
    .bind(draft.starts_on.at(0))
    .bind(draft.ends_on.map(|d| d.to_string()))
    .bind(draft.status.as_str())
    .bind(draft.support.as_str())
    .bind(draft.amount)
    .bind(user.id)
    .bind(db.now())
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    tx.commit().await?;
    Ok(id)
}

/// Records a session and who was there, in one transaction; every cooperative present
/// must be one `user` may follow.
pub async fn record_session(
    db: &Db,
    user: &CurrentUser,
    draft: &SessionDraft,
) -> Result<i64, AppError> {
    for id in &draft.cooperatives {
        followed(db, user, "present", *id).await?;
    }
    let programme = match &draft.programme {
        Some(code) => Some(programme_id(db, code).await?),
        None => None,
    };
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO accompaniment_sessions (kind, held_on, place, topic, programme_id,
             recorded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(draft.kind.as_str())
    .bind(draft.held_on.to_string())
    .bind(draft.place.as_str())
    .bind(draft.topic.as_str())
    .bind(programme)
    .bind(user.id)
    .bind(db.now())
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    for cooperative in &draft.cooperatives {
        sqlx::query("INSERT INTO session_attendance (session_id, cooperative_id) VALUES ($1, $2)")
            .bind(id)
            .bind(cooperative)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Rows of `id, name_fr, name_ar` as (id, French, Arabic).
fn named(rows: &[sqlx::any::AnyRow]) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    rows.iter()
        .map(|c| {
            Ok((
                c.try_get("id")?,
                c.try_get("name_fr")?,
                c.try_get("name_ar")?,
            ))
        })
        .collect()
}

/// Cooperatives in `$1`'s regions (codes between commas; empty: all) or the one `$2`.
const IN_REACH: &str =
    "c.province_id IN (SELECT p.id FROM provinces p JOIN regions r ON r.id = p.region_id
      WHERE $1 = '' OR (',' || $1 || ',') LIKE ('%,' || r.code || ',%'))
      AND ($2 = 0 OR c.id = $2)";

/// The follow-up of the cooperatives in `reach` (`cooperative`: of that one only).
pub async fn follow_up(
    db: &Db,
    reach: &Reach,
    cooperative: Option<i64>,
) -> Result<FollowUp, AppError> {
    let regions = reach.limited_to().map(|r| r.join(",")).unwrap_or_default();
    let one = cooperative.unwrap_or_default();
    let rows = sqlx::query(&format!(
        "SELECT e.id, e.cooperative_id, c.name_fr AS coop_fr, c.name_ar AS coop_ar, g.code,
                g.name_fr, g.name_ar, g.name_en, e.starts_on, e.ends_on, e.status, e.support, e.amount
         FROM programme_enrolments e JOIN cooperatives c ON c.id = e.cooperative_id
         JOIN programmes g ON g.id = e.programme_id
         WHERE {IN_REACH} ORDER BY e.starts_on DESC, e.id DESC LIMIT {LISTED}"
    ))
    .bind(regions.as_str())
    .bind(one)
    .fetch_all(db.pool())
    .await?;
    let mut enrolments = Vec::with_capacity(rows.len());
    for r in &rows {
        let status: String = r.try_get("status")?;
        enrolments.push(Enrolment {
            id: r.try_get("id")?,
            cooperative_id: r.try_get("cooperative_id")?,
            cooperative_fr: r.try_get("coop_fr")?,
            cooperative_ar: r.try_get("coop_ar")?,
            programme: r.try_get("code")?,
            programme_fr: r.try_get("name_fr")?,
            programme_ar: r.try_get("name_ar")?,
            programme_en: r.try_get("name_en")?,
            starts_on: r.try_get("starts_on")?,
            ends_on: r.try_get("ends_on")?,
            status: EnrolmentStatus::from_code(&status).ok_or(AppError::Internal)?,
            support: r.try_get("support")?,
            amount: r.try_get("amount")?,
        });
    }
    let rows = sqlx::query(&format!(
        "SELECT s.id, s.kind, s.held_on, s.place, s.topic, g.name_fr, g.name_ar
         FROM accompaniment_sessions s LEFT JOIN programmes g ON g.id = s.programme_id
         WHERE EXISTS (SELECT 1 FROM session_attendance a JOIN cooperatives c ON c.id = a.cooperative_id
                       WHERE a.session_id = s.id AND {IN_REACH})
         ORDER BY s.held_on DESC, s.id DESC LIMIT {LISTED}"
    ))
    .bind(regions.as_str())
    .bind(one)
    .fetch_all(db.pool())
    .await?;
    let mut sessions = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        let kind: String = r.try_get("kind")?;
        let present = sqlx::query(&format!(
            "SELECT c.id, c.name_fr, c.name_ar FROM session_attendance a
             JOIN cooperatives c ON c.id = a.cooperative_id
             WHERE a.session_id = $3 AND {IN_REACH} ORDER BY c.name_fr"
        ))
        .bind(regions.as_str())
        .bind(one)
        .bind(id)
        .fetch_all(db.pool())
        .await?;
        let present = named(&present)?;
        sessions.push(Session {
            id,
            kind: SessionKind::from_code(&kind).ok_or(AppError::Internal)?,
            held_on: r.try_get("held_on")?,
            place: r.try_get("place")?,
            topic: r.try_get("topic")?,
            programme_fr: r.try_get("name_fr")?,
            programme_ar: r.try_get("name_ar")?,
            cooperatives: present,
        });
    }
    let cooperatives = if cooperative.is_some() {
        Vec::new()
    } else {
        let rows = sqlx::query(&format!(
            "SELECT c.id, c.name_fr, c.name_ar FROM cooperatives c
             WHERE c.status = 'verified' AND {IN_REACH} ORDER BY c.name_fr LIMIT 2000"
        ))
        .bind(regions.as_str())
        .bind(0_i64)
        .fetch_all(db.pool())
        .await?;
        named(&rows)?
    };
    Ok(FollowUp {
        enrolments,
        sessions,
        cooperatives,
    })
}
