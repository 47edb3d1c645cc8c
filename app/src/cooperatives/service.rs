//! Cooperatives on the server: profiles, membership checks, verification, programmes.
use super::{CooperativeDetail, CooperativePage, CooperativeSummary, Programme, ProgrammeForm};
use crate::accounts::CurrentUser;
use crate::db::{is_unique_violation, Db};
use crate::domain::catalogue::{parse_text, CooperativeDraft};
use crate::domain::{CooperativeStatus, ErrorCode, FieldErrors, Role};
use crate::error::AppError;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// The cooperative a user acts for, with its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    pub user_id: i64,
    pub cooperative_id: i64,
    pub status: CooperativeStatus,
}

/// The cooperative of a signed-in cooperative account, or why it cannot act.
pub async fn membership(db: &Db, user: &CurrentUser) -> Result<Member, AppError> {
    if user.role != Role::Cooperative {
        return Err(AppError::forbidden());
    }
    let row = sqlx::query(
        "SELECT m.cooperative_id, c.status FROM cooperative_members m
         JOIN cooperatives c ON c.id = m.cooperative_id WHERE m.user_id = $1",
    )
    .bind(user.id)
    .fetch_optional(db.pool())
    .await?
    .ok_or(AppError::Refused(ErrorCode::CooperativeMissing))?;
    let status: String = row.try_get("status")?;
    Ok(Member {
        user_id: user.id,
        cooperative_id: row.try_get("cooperative_id")?,
        status: CooperativeStatus::from_code(&status).ok_or(AppError::Internal)?,
    })
}

/// A member allowed to change its cooperative's catalogue and stock: any state but
/// suspended, and only its own cooperative.
pub async fn member_of(
    db: &Db,
    user: &CurrentUser,
    cooperative_id: i64,
) -> Result<Member, AppError> {
    let member = writing_member(db, user).await?;
    if member.cooperative_id != cooperative_id {
        return Err(AppError::forbidden());
    }
    Ok(member)
}

/// A member allowed to write (its cooperative is not suspended), whatever cooperative
/// it belongs to.
pub async fn writing_member(db: &Db, user: &CurrentUser) -> Result<Member, AppError> {
    let member = membership(db, user).await?;
    if member.status == CooperativeStatus::Suspended {
        return Err(AppError::forbidden());
    }
    Ok(member)
}

const SUMMARY_COLUMNS: &str = "c.id, c.name_fr, c.name_ar, p.code AS province_code,
    p.name_fr AS province_fr, p.name_ar AS province_ar, p.name_en AS province_en,
    c.member_count, c.women_led, c.youth_led, c.status, c.logo,
    (SELECT COUNT(*) FROM products pr WHERE pr.cooperative_id = c.id AND pr.status = 'active') AS product_count";

fn summary(row: &AnyRow) -> Result<CooperativeSummary, sqlx::Error> {
    let status: String = row.try_get("status")?;
    Ok(CooperativeSummary {
        id: row.try_get("id")?,
        name_fr: row.try_get("name_fr")?,
        name_ar: row.try_get("name_ar")?,
        province_code: row.try_get("province_code")?,
        province_fr: row.try_get("province_fr")?,
        province_ar: row.try_get("province_ar")?,
        province_en: row.try_get("province_en")?,
        member_count: row.try_get("member_count")?,
        women_led: row.try_get::<i64, _>("women_led")? == 1,
        youth_led: row.try_get::<i64, _>("youth_led")? == 1,
        status: CooperativeStatus::from_code(&status).unwrap_or(CooperativeStatus::Pending),
        product_count: row.try_get("product_count")?,
        logo: row.try_get("logo")?,
    })
}

/// Where cooperatives are looked for: a province, or a region (its provinces).
#[derive(Debug, Clone, Copy, Default)]
pub struct Area<'a> {
    pub province: Option<&'a str>,
    pub region: Option<&'a str>,
}

/// Cooperatives in a state (buyers see `verified` only), optionally of one area.
pub async fn list_cooperatives(
    db: &Db,
    status: Option<CooperativeStatus>,
    area: Area<'_>,
    page: u32,
    per_page: u32,
) -> Result<CooperativePage, AppError> {
    let page = crate::domain::Page::new(page, per_page, 100)?;
    let filter = "($1 = '' OR c.status = $1) AND ($2 = '' OR p.code = $2)
        AND ($3 = '' OR p.region_id IN (SELECT id FROM regions WHERE code = $3))";
    let (province, region) = (area.province, area.region.unwrap_or_default());
    let status = status.map(|s| s.as_str()).unwrap_or_default();
    let province = province.unwrap_or_default();
    let total: i64 = sqlx::query(&format!(
        "SELECT COUNT(*) AS n FROM cooperatives c JOIN provinces p ON p.id = c.province_id WHERE {filter}"
    ))
    .bind(status)
    .bind(province)
    .bind(region)
    .fetch_one(db.pool())
    .await?
    .try_get("n")?;
    let rows = sqlx::query(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM cooperatives c JOIN provinces p ON p.id = c.province_id
         WHERE {filter} ORDER BY c.name_fr, c.id LIMIT $4 OFFSET $5"
    ))
    .bind(status)
    .bind(province)
    .bind(region)
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(db.pool())
    .await?;
    Ok(CooperativePage {
        items: rows.iter().map(summary).collect::<Result<_, _>>()?,
        page: page.number(),
        per_page: page.per_page(),
        total,
    })
}

/// One cooperative's profile. `public` hides cooperatives that are not verified.
pub async fn cooperative_detail(
    db: &Db,
    id: i64,
    public: bool,
) -> Result<CooperativeDetail, AppError> {
    let row = sqlx::query(&format!(
        "SELECT {SUMMARY_COLUMNS}, c.registration_number, c.address, c.lat, c.lon,
                c.description_fr, c.description_ar, c.description_en, c.phone, c.email, c.labels
         FROM cooperatives c JOIN provinces p ON p.id = c.province_id WHERE c.id = $1"
    ))
    .bind(id)
    .fetch_optional(db.pool())
    .await?
    .ok_or_else(AppError::not_found)?;
    let summary = summary(&row)?;
    if public && summary.status != CooperativeStatus::Verified {
        return Err(AppError::not_found());
    }
    let programmes = sqlx::query(
        "SELECT g.code, g.name_fr, g.name_ar, g.name_en FROM cooperative_programmes cp
         JOIN programmes g ON g.id = cp.programme_id WHERE cp.cooperative_id = $1 ORDER BY g.name_fr",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(programme)
    .collect::<Result<_, _>>()?;
    Ok(CooperativeDetail {
        summary,
        registration_number: row.try_get("registration_number")?,
        address: row.try_get("address")?,
        lat: row.try_get("lat")?,
        lon: row.try_get("lon")?,
        description_fr: row.try_get("description_fr")?,
        description_ar: row.try_get("description_ar")?,
        description_en: row.try_get("description_en")?,
        phone: row.try_get("phone")?,
        email: row.try_get("email")?,
        labels: row.try_get("labels")?,
        programmes,
    })
}

fn programme(row: &AnyRow) -> Result<Programme, sqlx::Error> {
    Ok(Programme {
        code: row.try_get("code")?,
        name_fr: row.try_get("name_fr")?,
        name_ar: row.try_get("name_ar")?,
        name_en: row.try_get("name_en")?,
    })
}

pub async fn list_programmes(db: &Db) -> Result<Vec<Programme>, AppError> {
    Ok(
        sqlx::query("SELECT code, name_fr, name_ar, name_en FROM programmes ORDER BY name_fr")
            .fetch_all(db.pool())
            .await?
            .iter()
            .map(programme)
            .collect::<Result<_, _>>()?,
    )
}

/// The province and programme ids a profile names, or the fields that name unknown ones.
async fn resolve_references(
    tx: &mut Transaction<'static, Any>,
    draft: &CooperativeDraft,
) -> Result<(i64, Vec<i64>), AppError> {
    let mut errors = FieldErrors::new();
    let province: Option<i64> = sqlx::query("SELECT id FROM provinces WHERE code = $1")
        .bind(&draft.province)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| r.try_get("id"))
        .transpose()?;
    if province.is_none() {
        errors.add("province", ErrorCode::ProvinceUnknown);
    }
    let mut programmes = Vec::new();
    for code in &draft.programmes {
        match sqlx::query("SELECT id FROM programmes WHERE code = $1")
            .bind(code)
            .fetch_optional(&mut **tx)
            .await?
        {
            Some(row) => programmes.push(row.try_get::<i64, _>("id")?),
            None => errors.add("programmes", ErrorCode::ProgrammeUnknown),
        }
    }
    match province {
        Some(province) if errors.is_empty() => Ok((province, programmes)),
        _ => Err(AppError::Invalid(errors)),
    }
}

fn registration_taken(error: sqlx::Error) -> AppError {
    if is_unique_violation(&error, "cooperatives_registration_key") {
        AppError::field("registration_number", ErrorCode::RegistrationTaken)
    } else {
        error.into()
    }
}

/// Creates a cooperative (pending until verified) and makes `user` its member. `member`
/// is `None` when the seed or an admin creates it without one.
pub async fn create_cooperative(
    db: &Db,
    draft: &CooperativeDraft,
    member: Option<i64>,
    status: CooperativeStatus,
) -> Result<i64, AppError> {
    let mut tx = db.begin_write().await?;
    if let Some(user_id) = member {
        let existing =
            sqlx::query("SELECT cooperative_id FROM cooperative_members WHERE user_id = $1")
                .bind(user_id)
                .fetch_optional(&mut *tx)
                .await?;
        if existing.is_some() {
            return Err(AppError::conflict(ErrorCode::CooperativeExists));
        }
    }
    let (province_id, programmes) = resolve_references(&mut tx, draft).await?;
    let taken = sqlx::query("SELECT id FROM cooperatives WHERE registration_number = $1")
        .bind(&draft.registration_number)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Err(AppError::field(
            "registration_number",
            ErrorCode::RegistrationTaken,
        ));
    }
    let at = db.now();
    let (lat, lon) = draft.coordinates.unzip();
    let id: i64 = sqlx::query(
        "INSERT INTO cooperatives (name_fr, name_ar, registration_number, province_id, address, lat, lon,
             description_fr, description_ar, description_en, phone, email, member_count, women_led,
             youth_led, labels, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18)
         RETURNING id",
    )
    .bind(&draft.name_fr)
    .bind(&draft.name_ar)
    .bind(&draft.registration_number)
    .bind(province_id)
    .bind(&draft.address)
    .bind(lat)
    .bind(lon)
    .bind(&draft.description_fr)
    .bind(&draft.description_ar)
    .bind(&draft.description_en)
    .bind(&draft.phone)
    .bind(&draft.email)
    .bind(draft.member_count)
    .bind(i64::from(draft.women_led))
    .bind(i64::from(draft.youth_led))
    .bind(&draft.labels)
    .bind(status.as_str())
    .bind(at)
    .fetch_one(&mut *tx)
    .await
    .map_err(registration_taken)?
    .try_get("id")?;
    set_programmes(&mut tx, id, &programmes).await?;
    if let Some(user_id) = member {
        sqlx::query("INSERT INTO cooperative_members (user_id, cooperative_id) VALUES ($1, $2)")
            .bind(user_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(id)
}

async fn set_programmes(
    tx: &mut Transaction<'static, Any>,
    cooperative_id: i64,
    programmes: &[i64],
) -> Result<(), AppError> {
    sqlx::query("DELETE FROM cooperative_programmes WHERE cooperative_id = $1")
        .bind(cooperative_id)
        .execute(&mut **tx)
        .await?;
    for programme_id in programmes {
        sqlx::query(
            "INSERT INTO cooperative_programmes (cooperative_id, programme_id) VALUES ($1, $2)
             ON CONFLICT DO NOTHING",
        )
        .bind(cooperative_id)
        .bind(programme_id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Updates a cooperative's own profile (its state is the admin's to change).
pub async fn update_cooperative(
    db: &Db,
    member: &Member,
    draft: &CooperativeDraft,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let (province_id, programmes) = resolve_references(&mut tx, draft).await?;
    let taken =
        sqlx::query("SELECT id FROM cooperatives WHERE registration_number = $1 AND id <> $2")
            .bind(&draft.registration_number)
            .bind(member.cooperative_id)
            .fetch_optional(&mut *tx)
            .await?;
    if taken.is_some() {
        return Err(AppError::field(
            "registration_number",
            ErrorCode::RegistrationTaken,
        ));
    }
    let (lat, lon) = draft.coordinates.unzip();
    sqlx::query(
        "UPDATE cooperatives SET name_fr = $1, name_ar = $2, registration_number = $3, province_id = $4,
             address = $5, lat = $6, lon = $7, description_fr = $8, description_ar = $9,
             description_en = $10, phone = $11, email = $12, member_count = $13, women_led = $14,
             youth_led = $15, labels = $16, updated_at = $17
         WHERE id = $18",
    )
    .bind(&draft.name_fr)
    .bind(&draft.name_ar)
    .bind(&draft.registration_number)
    .bind(province_id)
    .bind(&draft.address)
    .bind(lat)
    .bind(lon)
    .bind(&draft.description_fr)
    .bind(&draft.description_ar)
    .bind(&draft.description_en)
    .bind(&draft.phone)
    .bind(&draft.email)
    .bind(draft.member_count)
    .bind(i64::from(draft.women_led))
    .bind(i64::from(draft.youth_led))
    .bind(&draft.labels)
    .bind(db.now())
    .bind(member.cooperative_id)
    .execute(&mut *tx)
    .await
    .map_err(registration_taken)?;
    set_programmes(&mut tx, member.cooperative_id, &programmes).await?;
    tx.commit().await?;
    Ok(())
}

/// An admin verifies, suspends or reinstates a cooperative.
pub async fn set_status(
    db: &Db,
    admin: &CurrentUser,
    id: i64,
    status: CooperativeStatus,
) -> Result<(), AppError> {
    if admin.role != Role::Admin {
        return Err(AppError::forbidden());
    }
    let done = sqlx::query("UPDATE cooperatives SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status.as_str())
        .bind(db.now())
        .bind(id)
        .execute(db.pool())
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::not_found());
    }
    Ok(())
}

/// An admin adds a programme.
pub async fn create_programme(
    db: &Db,
    admin: &CurrentUser,
    form: &ProgrammeForm,
) -> Result<(), AppError> {
    if admin.role != Role::Admin {
        return Err(AppError::forbidden());
    }
    let mut errors = FieldErrors::new();
    let code = errors.check(
        "code",
        parse_text(&form.code, 40, true).and_then(|c| {
            if c.chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
            {
                Ok(c)
            } else {
                Err(ErrorCode::SkuInvalid)
            }
        }),
    );
    let name_fr = errors.check("name_fr", parse_text(&form.name_fr, 120, true));
    let name_ar = errors.check("name_ar", parse_text(&form.name_ar, 120, false));
    let name_en = errors.check("name_en", parse_text(&form.name_en, 120, false));
    let (Some(code), Some(name_fr), Some(name_ar), Some(name_en)) =
        (code, name_fr, name_ar, name_en)
    else {
        return Err(AppError::Invalid(errors));
    };
    let mut tx = db.begin_write().await?;
    let inserted = sqlx::query(
        "INSERT INTO programmes (code, name_fr, name_ar, name_en) VALUES ($1, $2, $3, $4)
         ON CONFLICT (code) DO NOTHING",
    )
    .bind(&code)
    .bind(&name_fr)
    .bind(&name_ar)
    .bind(&name_en)
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(AppError::field("code", ErrorCode::SkuTaken));
    }
    tx.commit().await?;
    Ok(())
}

/// Attaches a user account to a cooperative (seed and admin use).
pub async fn add_member(db: &Db, user_id: i64, cooperative_id: i64) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO cooperative_members (user_id, cooperative_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(user_id)
    .bind(cooperative_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A member sets its cooperative's logo (checked and resized like product photos); the
/// previous logo's files are removed.
pub async fn set_logo(
    db: &Db,
    data_dir: &std::path::Path,
    user: &CurrentUser,
    cooperative_id: i64,
    bytes: Vec<u8>,
) -> Result<String, AppError> {
    use crate::catalogue::photos::{process_blocking, remove_files, write_files};
    member_of(db, user, cooperative_id).await?;
    let image = process_blocking(bytes).await.map_err(|e| match e {
        AppError::Invalid(fields) => AppError::Invalid(FieldErrors(
            fields
                .0
                .into_iter()
                .map(|(_, code)| ("logo".to_owned(), code))
                .collect(),
        )),
        other => other,
    })?;
    let stem = write_files(data_dir, &image).await?;
    let saved = async {
        let mut tx = db.begin_write().await?;
        let old: Option<String> = sqlx::query("SELECT logo FROM cooperatives WHERE id = $1")
            .bind(cooperative_id)
            .fetch_one(&mut *tx)
            .await?
            .try_get("logo")?;
        sqlx::query("UPDATE cooperatives SET logo = $1, updated_at = $2 WHERE id = $3")
            .bind(&stem)
            .bind(db.now())
            .bind(cooperative_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok::<_, AppError>(old)
    }
    .await;
    match saved {
        Ok(old) => {
            if let Some(old) = old {
                remove_files(data_dir, &old).await;
            }
            Ok(stem)
        }
        Err(error) => {
            remove_files(data_dir, &stem).await;
            Err(error)
        }
    }
}
