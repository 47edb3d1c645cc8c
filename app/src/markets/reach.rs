//! Where an organiser may act, in one place: an organiser given regions plans, decides and
//! pays out only there; one given none, and every admin, across the Kingdom. An event
//! lies in the regions of its venue and of its stops, so a tour across two regions is
//! only for an organiser of both. Refusals are 403 and change nothing.
use crate::accounts::CurrentUser;
use crate::db::Db;
use crate::domain::Role;
use crate::error::AppError;
use sqlx::Row;

/// The regions a signed-in organiser or admin reaches.
#[derive(Debug, Clone, PartialEq)]
pub enum Reach {
    Kingdom,
    Regions(Vec<String>),
}

impl Reach {
    pub fn covers(&self, region: &str) -> bool {
        match self {
            Self::Kingdom => true,
            Self::Regions(regions) => regions.iter().any(|r| r == region),
        }
    }

    /// The regions, when limited (for filtering lists).
    pub fn limited_to(&self) -> Option<&[String]> {
        match self {
            Self::Kingdom => None,
            Self::Regions(regions) => Some(regions),
        }
    }
}

pub async fn reach(db: &Db, user: &CurrentUser) -> Result<Reach, AppError> {
    if user.role == Role::Admin {
        return Ok(Reach::Kingdom);
    }
    let regions = crate::accounts::regions::regions_of(db, user.id).await?;
    Ok(if regions.is_empty() {
        Reach::Kingdom
    } else {
        Reach::Regions(regions)
    })
}

fn refuse_outside(reach: &Reach, regions: &[String]) -> Result<(), AppError> {
    if regions.iter().all(|region| reach.covers(region)) {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

/// The regions an event lies in: its venue's and its stops'.
pub async fn event_regions(db: &Db, event_id: i64) -> Result<Vec<String>, AppError> {
    let rows = sqlx::query(
        "SELECT DISTINCT r.code FROM sites s JOIN provinces p ON p.id = s.province_id
         JOIN regions r ON r.id = p.region_id
         WHERE s.id IN (SELECT site_id FROM events WHERE id = $1
                        UNION SELECT site_id FROM event_stops WHERE event_id = $1)",
    )
    .bind(event_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|row| row.try_get("code"))
        .collect::<Result<_, _>>()?)
}

/// The region of a site, or of a cooperative's province (`None`: no such row, which its
/// service reports).
const SITE_REGION: &str = "SELECT r.code FROM sites s JOIN provinces p ON p.id = s.province_id
     JOIN regions r ON r.id = p.region_id WHERE s.id = $1";
const COOPERATIVE_REGION: &str = "SELECT r.code FROM cooperatives c
     JOIN provinces p ON p.id = c.province_id JOIN regions r ON r.id = p.region_id WHERE c.id = $1";

async fn region_of(db: &Db, sql: &str, id: i64) -> Result<Option<String>, AppError> {
    Ok(sqlx::query(sql)
        .bind(id)
        .fetch_optional(db.pool())
        .await?
        .map(|row| row.try_get("code"))
        .transpose()?)
}

/// The signed-in organiser (or admin), allowed on this event: 401/403 otherwise.
pub async fn organiser_of_event(db: &Db, event_id: i64) -> Result<CurrentUser, AppError> {
    let user = super::api::organiser().await?;
    may_organise_event(db, &user, event_id).await?;
    Ok(user)
}

/// Whether a user may act on an event (every region it lies in is theirs).
pub async fn may_organise_event(
    db: &Db,
    user: &CurrentUser,
    event_id: i64,
) -> Result<(), AppError> {
    let reach = reach(db, user).await?;
    if reach == Reach::Kingdom {
        return Ok(());
    }
    refuse_outside(&reach, &event_regions(db, event_id).await?)
}

/// Whether a user may place something (a venue, a stop) at a site.
pub async fn may_use_site(db: &Db, user: &CurrentUser, site_id: i64) -> Result<(), AppError> {
    let region = region_of(db, SITE_REGION, site_id).await?;
    refuse_outside(&reach(db, user).await?, region.as_slice())
}

/// Whether a user may act in a province's region (a new site there).
pub async fn may_use_province(db: &Db, user: &CurrentUser, province: &str) -> Result<(), AppError> {
    let region = crate::territory::service::list_provinces(db)
        .await?
        .into_iter()
        .find(|p| p.code == province)
        .map(|p| p.region_code);
    refuse_outside(&reach(db, user).await?, region.as_slice())
}

/// The event an application is for (404 when there is no such application).
pub async fn application_event(db: &Db, application_id: i64) -> Result<i64, AppError> {
    Ok(
        sqlx::query("SELECT event_id FROM applications WHERE id = $1")
            .bind(application_id)
            .fetch_optional(db.pool())
            .await?
            .ok_or_else(AppError::not_found)?
            .try_get("event_id")?,
    )
}

/// Whether a user may act for a cooperative, paying it out or following it in a programme
/// (it is based in a region they reach; an unknown cooperative is left to its service).
pub async fn may_act_for_cooperative(
    db: &Db,
    user: &CurrentUser,
    cooperative_id: i64,
) -> Result<(), AppError> {
    let region = region_of(db, COOPERATIVE_REGION, cooperative_id).await?;
    refuse_outside(&reach(db, user).await?, region.as_slice())
}
