//! Products on the server: reads for buyers and members, and the writes only members of
//! the owning cooperative may make.
use super::{Category, Photo, ProductCard, ProductDetail, ProductPage};
use crate::accounts::CurrentUser;
use crate::cooperatives::service::{member_of, writing_member, Member};
use crate::db::{is_unique_violation, Db, REFERENCE_TTL};
use crate::domain::catalogue::ProductDraft;
use crate::domain::search::index_text;
use crate::domain::{ErrorCode, ProductStatus, QualitySign, Unit};
use crate::error::AppError;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

pub const CARD_COLUMNS: &str = "pr.id, pr.sku, pr.name_fr, pr.name_ar, pr.name_en, k.code AS category,
    pr.unit, pr.unit_net, pr.price_centimes, pr.available, pr.status, pr.cooperative_id,
    co.name_fr AS cooperative_fr, co.name_ar AS cooperative_ar, pv.code AS province_code,
    pv.name_fr AS province_fr, pv.name_ar AS province_ar, pv.name_en AS province_en,
    (SELECT ph.file FROM product_photos ph WHERE ph.product_id = pr.id ORDER BY ph.position, ph.id LIMIT 1) AS photo";

pub const CARD_JOINS: &str = "JOIN cooperatives co ON co.id = pr.cooperative_id
    JOIN provinces pv ON pv.id = co.province_id JOIN categories k ON k.id = pr.category_id";

pub fn card(row: &AnyRow) -> Result<ProductCard, sqlx::Error> {
    let unit: String = row.try_get("unit")?;
    let status: String = row.try_get("status")?;
    Ok(ProductCard {
        id: row.try_get("id")?,
        sku: row.try_get("sku")?,
        name_fr: row.try_get("name_fr")?,
        name_ar: row.try_get("name_ar")?,
        name_en: row.try_get("name_en")?,
        category: row.try_get("category")?,
        unit: Unit::from_code(&unit).unwrap_or(Unit::Piece),
        unit_net: row.try_get("unit_net")?,
        price_centimes: row.try_get("price_centimes")?,
        available: row.try_get("available")?,
        status: ProductStatus::from_code(&status).unwrap_or(ProductStatus::Archived),
        cooperative_id: row.try_get("cooperative_id")?,
        cooperative_fr: row.try_get("cooperative_fr")?,
        cooperative_ar: row.try_get("cooperative_ar")?,
        province_code: row.try_get("province_code")?,
        province_fr: row.try_get("province_fr")?,
        province_ar: row.try_get("province_ar")?,
        province_en: row.try_get("province_en")?,
        photo: row.try_get("photo")?,
        quality_signs: Vec::new(),
    })
}

/// Fills in the quality signs of a page of cards with one query.
pub async fn attach_quality_signs(db: &Db, cards: &mut [ProductCard]) -> Result<(), AppError> {
    if cards.is_empty() {
        return Ok(());
    }
    let placeholders = crate::db::placeholders(cards.len());
    let sql = format!(
        "SELECT product_id, sign FROM product_quality_signs WHERE product_id IN ({placeholders}) ORDER BY sign"
    );
    let mut query = sqlx::query(&sql);
    for c in cards.iter() {
        query = query.bind(c.id);
    }
    for row in query.fetch_all(db.pool()).await? {
        let id: i64 = row.try_get("product_id")?;
        let sign: String = row.try_get("sign")?;
        if let (Some(card), Some(sign)) = (
            cards.iter_mut().find(|c| c.id == id),
            QualitySign::from_code(&sign),
        ) {
            card.quality_signs.push(sign);
        }
    }
    Ok(())
}

/// The categories (written only by migrations: remembered as reference data).
pub async fn list_categories(db: &Db) -> Result<Vec<Category>, AppError> {
    db.remembered("catalogue:categories", REFERENCE_TTL, read_categories(db))
        .await
}

async fn read_categories(db: &Db) -> Result<Vec<Category>, AppError> {
    Ok(
        sqlx::query("SELECT code, name_fr, name_ar, name_en FROM categories ORDER BY position")
            .fetch_all(db.pool())
            .await?
            .iter()
            .map(|row| {
                Ok(Category {
                    code: row.try_get("code")?,
                    name_fr: row.try_get("name_fr")?,
                    name_ar: row.try_get("name_ar")?,
                    name_en: row.try_get("name_en")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?,
    )
}

/// A product with everything its page shows. `public` hides archived products and
/// products of cooperatives that are not verified.
pub async fn product_detail(db: &Db, id: i64, public: bool) -> Result<ProductDetail, AppError> {
    let row = sqlx::query(&format!(
        "SELECT {CARD_COLUMNS}, pr.description_fr, pr.description_ar, pr.description_en,
                pr.low_stock_threshold, pr.weight_g, co.status AS cooperative_status
         FROM products pr {CARD_JOINS} WHERE pr.id = $1"
    ))
    .bind(id)
    .fetch_optional(db.pool())
    .await?
    .ok_or_else(AppError::not_found)?;
    let card = card(&row)?;
    let cooperative_status: String = row.try_get("cooperative_status")?;
    if public && (card.status != ProductStatus::Active || cooperative_status != "verified") {
        return Err(AppError::not_found());
    }
    let mut certificates = Vec::new();
    for r in sqlx::query(
        "SELECT sign, certificate_ref FROM product_quality_signs WHERE product_id = $1 ORDER BY sign",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?
    {
        let sign: String = r.try_get("sign")?;
        if let Some(sign) = QualitySign::from_code(&sign) {
            certificates.push((sign, r.try_get("certificate_ref")?));
        }
    }
    let photos = sqlx::query(
        "SELECT id, file, width, height FROM product_photos WHERE product_id = $1 ORDER BY position, id",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| {
        Ok(Photo {
            id: r.try_get("id")?,
            file: r.try_get("file")?,
            width: r.try_get("width")?,
            height: r.try_get("height")?,
        })
    })
    .collect::<Result<_, sqlx::Error>>()?;
    let mut card = card;
    card.quality_signs = certificates.iter().map(|(s, _)| *s).collect();
    Ok(ProductDetail {
        card,
        description_fr: row.try_get("description_fr")?,
        description_ar: row.try_get("description_ar")?,
        description_en: row.try_get("description_en")?,
        low_stock_threshold: row.try_get("low_stock_threshold")?,
        weight_g: row.try_get("weight_g")?,
        certificates,
        photos,
    })
}

/// The cooperative that owns a product.
pub async fn owner_of(db: &Db, product_id: i64) -> Result<i64, AppError> {
    sqlx::query("SELECT cooperative_id FROM products WHERE id = $1")
        .bind(product_id)
        .fetch_optional(db.pool())
        .await?
        .ok_or_else(AppError::not_found)?
        .try_get("cooperative_id")
        .map_err(AppError::from)
}

/// A member of the product's own cooperative, or 403 (404 when there is no product).
pub async fn product_member(
    db: &Db,
    user: &CurrentUser,
    product_id: i64,
) -> Result<Member, AppError> {
    let owner = owner_of(db, product_id).await?;
    member_of(db, user, owner).await
}

/// A product for its cooperative's members to edit.
pub async fn product_for_member(
    db: &Db,
    user: &CurrentUser,
    id: i64,
) -> Result<ProductDetail, AppError> {
    product_member(db, user, id).await?;
    product_detail(db, id, false).await
}

/// The cooperative's own products, archived ones included, newest first.
pub async fn cooperative_products(
    db: &Db,
    cooperative_id: i64,
    include_archived: bool,
    page: u32,
    per_page: u32,
) -> Result<ProductPage, AppError> {
    let page = crate::domain::Page::new(page, per_page, 200)?;
    let status = if include_archived { "" } else { "active" };
    let total: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM products WHERE cooperative_id = $1 AND ($2 = '' OR status = $2)",
    )
    .bind(cooperative_id)
    .bind(status)
    .fetch_one(db.pool())
    .await?
    .try_get("n")?;
    let rows = sqlx::query(&format!(
        "SELECT {CARD_COLUMNS} FROM products pr {CARD_JOINS}
         WHERE pr.cooperative_id = $1 AND ($2 = '' OR pr.status = $2)
         ORDER BY pr.status, pr.name_fr, pr.id LIMIT $3 OFFSET $4"
    ))
    .bind(cooperative_id)
    .bind(status)
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(db.pool())
    .await?;
    let mut items = rows.iter().map(card).collect::<Result<Vec<_>, _>>()?;
    attach_quality_signs(db, &mut items).await?;
    Ok(ProductPage {
        items,
        page: page.number(),
        per_page: page.per_page(),
        total,
        more: false,
    })
}

fn search_text(draft: &ProductDraft) -> String {
    index_text([
        draft.sku.as_str(),
        &draft.name_fr,
        &draft.name_ar,
        &draft.name_en,
        &draft.description_fr,
        &draft.description_ar,
        &draft.description_en,
    ])
}

async fn category_id(tx: &mut Transaction<'static, Any>, code: &str) -> Result<i64, AppError> {
    sqlx::query("SELECT id FROM categories WHERE code = $1")
        .bind(code)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| AppError::field("category", ErrorCode::CategoryUnknown))?
        .try_get("id")
        .map_err(AppError::from)
}

fn sku_taken(error: sqlx::Error) -> AppError {
    if is_unique_violation(&error, "products_sku_key") {
        AppError::field("sku", ErrorCode::SkuTaken)
    } else {
        error.into()
    }
}

/// Writes a product inside a transaction: a new one (`existing = None`) or an update of
/// one the caller has checked belongs to `cooperative_id`. Returns its id.
pub async fn save_product(
    tx: &mut Transaction<'static, Any>,
    cooperative_id: i64,
    draft: &ProductDraft,
    existing: Option<i64>,
    at: i64,
) -> Result<i64, AppError> {
    let category = category_id(tx, &draft.category).await?;
    let clash = sqlx::query("SELECT id FROM products WHERE cooperative_id = $1 AND sku = $2")
        .bind(cooperative_id)
        .bind(&draft.sku)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| r.try_get::<i64, _>("id"))
        .transpose()?;
    if clash.is_some() && clash != existing {
        return Err(AppError::field("sku", ErrorCode::SkuTaken));
    }
    let id = match existing {
        None => sqlx::query(
            "INSERT INTO products (cooperative_id, category_id, sku, name_fr, name_ar, name_en,
                 description_fr, description_ar, description_en, unit, unit_net, price_centimes,
                 available, low_stock_threshold, status, search_text, created_at, updated_at, weight_g)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0, $13, 'active', $14, $15, $15, $16)
             RETURNING id",
        )
        .bind(cooperative_id)
        .bind(category)
        .bind(&draft.sku)
        .bind(&draft.name_fr)
        .bind(&draft.name_ar)
        .bind(&draft.name_en)
        .bind(&draft.description_fr)
        .bind(&draft.description_ar)
        .bind(&draft.description_en)
        .bind(draft.unit.as_str())
        .bind(draft.unit_net)
        .bind(draft.price.get())
        .bind(draft.low_stock_threshold)
        .bind(search_text(draft))
        .bind(at)
        .bind(draft.weight_g)
        .fetch_one(&mut **tx)
        .await
        .map_err(sku_taken)?
        .try_get("id")?,
        Some(id) => {
            sqlx::query(
                "UPDATE products SET category_id = $1, sku = $2, name_fr = $3, name_ar = $4, name_en = $5,
                     description_fr = $6, description_ar = $7, description_en = $8, unit = $9,
                     unit_net = $10, price_centimes = $11, low_stock_threshold = $12,
                     search_text = $13, updated_at = $14, weight_g = $17
                 WHERE id = $15 AND cooperative_id = $16",
            )
            .bind(category)
            .bind(&draft.sku)
            .bind(&draft.name_fr)
            .bind(&draft.name_ar)
            .bind(&draft.name_en)
            .bind(&draft.description_fr)
            .bind(&draft.description_ar)
            .bind(&draft.description_en)
            .bind(draft.unit.as_str())
            .bind(draft.unit_net)
            .bind(draft.price.get())
            .bind(draft.low_stock_threshold)
            .bind(search_text(draft))
            .bind(at)
            .bind(id)
            .bind(cooperative_id)
            .bind(draft.weight_g)
            .execute(&mut **tx)
            .await
            .map_err(sku_taken)?;
            id
        }
    };
    sqlx::query("DELETE FROM product_quality_signs WHERE product_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for (sign, reference) in &draft.quality_signs {
        sqlx::query(
            "INSERT INTO product_quality_signs (product_id, sign, certificate_ref) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(sign.as_str())
        .bind(reference)
        .execute(&mut **tx)
        .await?;
    }
    Ok(id)
}

/// A member adds a product to its cooperative's catalogue (with no stock yet).
pub async fn create_product(
    db: &Db,
    user: &CurrentUser,
    draft: &ProductDraft,
) -> Result<i64, AppError> {
    let member = writing_member(db, user).await?;
    let mut tx = db.begin_write().await?;
    let id = save_product(&mut tx, member.cooperative_id, draft, None, db.now()).await?;
    tx.commit().await?;
    Ok(id)
}

/// A member changes one of its cooperative's products.
pub async fn update_product(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    draft: &ProductDraft,
) -> Result<(), AppError> {
    let member = product_member(db, user, id).await?;
    let mut tx = db.begin_write().await?;
    save_product(&mut tx, member.cooperative_id, draft, Some(id), db.now()).await?;
    tx.commit().await?;
    Ok(())
}

/// Archives or restores a product; its history and stock ledger stay.
pub async fn set_product_status(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    status: ProductStatus,
) -> Result<(), AppError> {
    let member = product_member(db, user, id).await?;
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE products SET status = $1, updated_at = $2 WHERE id = $3 AND cooperative_id = $4",
    )
    .bind(status.as_str())
    .bind(db.now())
    .bind(id)
    .bind(member.cooperative_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}
