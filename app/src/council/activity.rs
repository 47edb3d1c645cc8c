//! The indicators beyond sales: markets (applications, stands), the cooperatives of the
//! area, accompaniment sessions and programmes (with their sales before and after each
//! cooperative joined), and the filter's choices.
use super::service::{sold_list, Binds};
use super::{MarketRow, ProgrammeRow, Totals};
use crate::db::Db;
use crate::domain::council::IndicatorFilter;
use crate::error::AppError;
use crate::markets::reach::Reach;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::BTreeMap;

/// The salons and tours held in the period (in the filter's regions, or the one event):
/// applications received, accepted and waitlisted, stands and those taken.
pub(super) async fn markets(
    db: &Db,
    filter: &IndicatorFilter,
    binds: &Binds,
) -> Result<Vec<MarketRow>, AppError> {
    let rows = sqlx::query(
        "SELECT e.id, e.name_fr, e.name_ar, e.starts_on,
                CAST((SELECT COUNT(*) FROM applications a WHERE a.event_id = e.id) AS BIGINT) AS applications,
                CAST((SELECT COUNT(*) FROM applications a WHERE a.event_id = e.id AND a.status = 'accepted') AS BIGINT) AS accepted,
                CAST((SELECT COUNT(*) FROM applications a WHERE a.event_id = e.id AND a.status = 'waitlisted') AS BIGINT) AS waitlisted,
                CAST((SELECT COUNT(*) FROM stands s WHERE s.event_id = e.id) AS BIGINT) AS stands,
                CAST((SELECT COUNT(*) FROM stands s WHERE s.event_id = e.id AND s.cooperative_id IS NOT NULL) AS BIGINT) AS taken
         FROM events e
         WHERE e.status NOT IN ('draft', 'cancelled') AND e.starts_on <= $1 AND e.ends_on >= $2
           AND ($3 = 0 OR e.id = $3)
           AND (($4 = '' AND $5 = '') OR EXISTS (
               SELECT 1 FROM sites s JOIN provinces p ON p.id = s.province_id
               JOIN regions r ON r.id = p.region_id
               WHERE (s.id = e.site_id OR s.id IN (SELECT site_id FROM event_stops WHERE event_id = e.id))
                 AND ($4 = '' OR (',' || $4 || ',') LIKE ('%,' || r.code || ',%'))
                 AND ($5 = '' OR p.code = $5)))
         ORDER BY e.starts_on, e.id",
    )
    .bind(filter.to.to_string())
    .bind(filter.from.to_string())
    .bind(binds.event)
    .bind(binds.regions.as_str())
    .bind(binds.province.as_str())
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(MarketRow {
                event_id: r.try_get("id")?,
                name_fr: r.try_get("name_fr")?,
                name_ar: r.try_get("name_ar")?,
                starts_on: r.try_get("starts_on")?,
                applications: r.try_get("applications")?,
                accepted: r.try_get("accepted")?,
                waitlisted: r.try_get("waitlisted")?,
                stands: r.try_get("stands")?,
                stands_taken: r.try_get("taken")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(AppError::from)
}

/// The verified cooperatives of the filter's area: how many, led by women or by young
/// people, and their members.
pub(super) async fn cooperatives(
    db: &Db,
    binds: &Binds,
    totals: &mut Totals,
) -> Result<(), AppError> {
    let row = sqlx::query(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n, CAST(COALESCE(SUM(c.women_led), 0) AS BIGINT) AS women,
                CAST(COALESCE(SUM(c.youth_led), 0) AS BIGINT) AS youth,
                CAST(COALESCE(SUM(c.member_count), 0) AS BIGINT) AS members
         FROM cooperatives c JOIN provinces p ON p.id = c.province_id
         JOIN regions r ON r.id = p.region_id
         WHERE c.status = 'verified'
           AND ($1 = '' OR (',' || $1 || ',') LIKE ('%,' || r.code || ',%'))
           AND ($2 = '' OR p.code = $2)
           AND ($3 = '' OR c.id IN (SELECT cp.cooperative_id FROM cooperative_programmes cp
                                    JOIN programmes g ON g.id = cp.programme_id WHERE g.code = $3))
           AND ($4 = 0 OR c.id = $4)",
    )
    .bind(binds.regions.as_str())
    .bind(binds.province.as_str())
    .bind(binds.programme.as_str())
    .bind(binds.cooperative)
    .fetch_one(db.pool())
    .await?;
    totals.cooperatives = row.try_get("n")?;
    totals.women_led = row.try_get("women")?;
    totals.youth_led = row.try_get("youth")?;
    totals.members = row.try_get("members")?;
    Ok(())
}

/// Each programme: its verified cooperatives in the area, the support, and its
/// cooperatives' sales before and after joining (their sales in all: `programme_sales`).
pub(super) async fn programmes(
    db: &Db,
    filter: &IndicatorFilter,
    binds: &Binds,
) -> Result<Vec<ProgrammeRow>, AppError> {
    let programmes = sqlx::query(
        "SELECT g.code, g.name_fr, g.name_ar, g.name_en,
                CAST(COUNT(c.id) AS BIGINT) AS cooperatives
         FROM programmes g
         LEFT JOIN cooperative_programmes cp ON cp.programme_id = g.id
         LEFT JOIN cooperatives c ON c.id = cp.cooperative_id AND c.status = 'verified'
              AND ($2 = 0 OR c.id = $2)
              AND c.province_id IN (SELECT p.id FROM provinces p JOIN regions r ON r.id = p.region_id
                  WHERE ($1 = '' OR (',' || $1 || ',') LIKE ('%,' || r.code || ',%'))
                    AND ($3 = '' OR p.code = $3))
         WHERE ($4 = '' OR g.code = $4)
         GROUP BY g.code, g.name_fr, g.name_ar, g.name_en ORDER BY g.code",
    )
    .bind(binds.regions.as_str())
    .bind(binds.cooperative)
    .bind(binds.province.as_str())
    .bind(binds.programme.as_str())
    .fetch_all(db.pool())
    .await?;
    // The council's enrolments: the cooperatives following each programme during the
    // period, the support recorded for them, and their sales before and after joining.
    let enrolled = sqlx::query(
        "SELECT g.code, CAST(COUNT(DISTINCT e.cooperative_id) AS BIGINT) AS enrolled,
                CAST(COALESCE(SUM(e.amount), 0) AS BIGINT) AS support
         FROM programme_enrolments e JOIN programmes g ON g.id = e.programme_id
         JOIN cooperatives c ON c.id = e.cooperative_id
         JOIN provinces p ON p.id = c.province_id JOIN regions r ON r.id = p.region_id
         WHERE e.starts_on <= $1 AND (e.ends_on IS NULL OR e.ends_on >= $2)
           AND ($3 = '' OR (',' || $3 || ',') LIKE ('%,' || r.code || ',%'))
           AND ($4 = '' OR p.code = $4) AND ($5 = 0 OR c.id = $5)
         GROUP BY g.code",
    )
    .bind(filter.to.to_string())
    .bind(filter.from.to_string())
    .bind(binds.regions.as_str())
    .bind(binds.province.as_str())
    .bind(binds.cooperative)
    .fetch_all(db.pool())
    .await?;
    let mut follow: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for r in &enrolled {
        follow.insert(
            r.try_get("code")?,
            (r.try_get("enrolled")?, r.try_get("support")?),
        );
    }
    let facts = binds.facts();
    let split = binds
        .fact_rows(
            db,
            &format!(
                "SELECT g.code, CAST(CASE WHEN f.created_at < e.starts_at THEN 0 ELSE 1 END AS BIGINT) AS after,
                        CAST(SUM(f.amount) AS BIGINT) AS amount
                 FROM order_facts f
                 JOIN programme_enrolments e ON e.cooperative_id = f.cooperative_id
                 JOIN programmes g ON g.id = e.programme_id
                 WHERE {facts} AND f.status IN ({})
                 GROUP BY g.code, CASE WHEN f.created_at < e.starts_at THEN 0 ELSE 1 END",
                sold_list()
            ),
        )
        .await?;
    let mut before_after: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for r in &split {
        let entry = before_after.entry(r.try_get("code")?).or_default();
        let amount: i64 = r.try_get("amount")?;
        if r.try_get::<i64, _>("after")? == 1 {
            entry.1 += amount;
        } else {
            entry.0 += amount;
        }
    }
    programmes
        .iter()
        .map(|r| {
            let code: String = r.try_get("code")?;
            let (enrolled, support) = follow.get(&code).copied().unwrap_or_default();
            let (before, after) = before_after.get(&code).copied().unwrap_or_default();
            Ok(ProgrammeRow {
                // Summed from the monthly sums (`programme_sales`), filled in by the caller.
                sales: 0,
                enrolled,
                support,
                sales_before: before,
                sales_after: after,
                code,
                name_fr: r.try_get("name_fr")?,
                name_ar: r.try_get("name_ar")?,
                name_en: r.try_get("name_en")?,
                cooperatives: r.try_get("cooperatives")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(AppError::from)
}

/// The accompaniment sessions held in the period for the area's cooperatives (of the
/// programme, when one is chosen), and how many cooperatives they reached.
pub(super) async fn sessions(
    db: &Db,
    filter: &IndicatorFilter,
    binds: &Binds,
    totals: &mut Totals,
) -> Result<(), AppError> {
    let row = sqlx::query(
        "SELECT CAST(COUNT(DISTINCT s.id) AS BIGINT) AS sessions,
                CAST(COUNT(DISTINCT a.cooperative_id) AS BIGINT) AS accompanied
         FROM accompaniment_sessions s JOIN session_attendance a ON a.session_id = s.id
         JOIN cooperatives c ON c.id = a.cooperative_id
         JOIN provinces p ON p.id = c.province_id JOIN regions r ON r.id = p.region_id
         LEFT JOIN programmes g ON g.id = s.programme_id
         WHERE s.held_on >= $1 AND s.held_on <= $2
           AND ($3 = '' OR (',' || $3 || ',') LIKE ('%,' || r.code || ',%'))
           AND ($4 = '' OR p.code = $4) AND ($5 = 0 OR c.id = $5)
           AND ($6 = '' OR g.code = $6)",
    )
    .bind(filter.from.to_string())
    .bind(filter.to.to_string())
    .bind(binds.regions.as_str())
    .bind(binds.province.as_str())
    .bind(binds.cooperative)
    .bind(binds.programme.as_str())
    .fetch_one(db.pool())
    .await?;
    totals.sessions = row.try_get("sessions")?;
    totals.accompanied = row.try_get("accompanied")?;
    Ok(())
}

/// The events (newest first, at most 200), categories, programmes and the cooperatives
/// of `province` (at most 500) a filter offers.
pub async fn choices(
    db: &Db,
    reach: &Reach,
    province: &str,
) -> Result<super::api::FilterChoices, AppError> {
    let quad = |r: &AnyRow, value: &str| -> Result<(String, String, String, String), sqlx::Error> {
        Ok((
            r.try_get(value)?,
            r.try_get("name_fr")?,
            r.try_get("name_ar")?,
            r.try_get("name_en")?,
        ))
    };
    let events = sqlx::query(
        "SELECT CAST(e.id AS TEXT) AS id, e.name_fr || ' (' || e.starts_on || ')' AS name_fr,
                e.name_ar || ' (' || e.starts_on || ')' AS name_ar,
                e.name_fr || ' (' || e.starts_on || ')' AS name_en
         FROM events e
         WHERE e.status <> 'draft' AND ($1 = '' OR EXISTS (
             SELECT 1 FROM sites s JOIN provinces p ON p.id = s.province_id
             JOIN regions r ON r.id = p.region_id
             WHERE (s.id = e.site_id OR s.id IN (SELECT site_id FROM event_stops WHERE event_id = e.id))
               AND (',' || $1 || ',') LIKE ('%,' || r.code || ',%')))
         ORDER BY e.starts_on DESC, e.id DESC LIMIT 200",
    )
    .bind(reach.limited_to().map(|r| r.join(",")).unwrap_or_default())
    .fetch_all(db.pool())
    .await?;
    let categories =
        sqlx::query("SELECT code, name_fr, name_ar, name_en FROM categories ORDER BY position")
            .fetch_all(db.pool())
            .await?;
    let programmes =
        sqlx::query("SELECT code, name_fr, name_ar, name_en FROM programmes ORDER BY code")
            .fetch_all(db.pool())
            .await?;
    let cooperatives = sqlx::query(
        "SELECT CAST(c.id AS TEXT) AS id, c.name_fr, c.name_ar, c.name_fr AS name_en
         FROM cooperatives c JOIN provinces p ON p.id = c.province_id
         WHERE p.code = $1 AND c.status = 'verified' ORDER BY c.name_fr LIMIT 500",
    )
    .bind(province)
    .fetch_all(db.pool())
    .await?;
    let all = |rows: &[AnyRow], value: &str| {
        rows.iter()
            .map(|r| quad(r, value))
            .collect::<Result<Vec<_>, sqlx::Error>>()
    };
    Ok(super::api::FilterChoices {
        events: all(&events, "id")?,
        categories: all(&categories, "code")?,
        programmes: all(&programmes, "code")?,
        cooperatives: all(&cooperatives, "id")?,
    })
}
