//! The products of an order as placing reads them: listed, with their cooperative's
//! names and today's price.
use sqlx::{Any, Row, Transaction};

/// A product as it is ordered: its cooperative, names and price now.
pub(super) struct Product {
    pub id: i64,
    pub cooperative_id: i64,
    pub name_fr: String,
    pub name_ar: String,
    pub name_en: String,
    pub unit: String,
    pub price: i64,
    pub cooperative_fr: String,
    pub cooperative_ar: String,
}

pub(super) async fn products(
    tx: &mut Transaction<'static, Any>,
    ids: &[i64],
) -> Result<Vec<Product>, sqlx::Error> {
    let sql = format!(
        "SELECT p.id, p.cooperative_id, p.name_fr, p.name_ar, p.name_en, p.unit, p.price_centimes,
                c.name_fr AS cooperative_fr, c.name_ar AS cooperative_ar
         FROM products p JOIN cooperatives c ON c.id = p.cooperative_id
         WHERE p.id IN ({}) AND p.status = 'active' AND c.status = 'verified'",
        crate::db::placeholders(ids.len())
    );
    let mut query = sqlx::query(&sql);
    for id in ids {
        query = query.bind(*id);
    }
    query
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|r| {
            Ok(Product {
                id: r.try_get("id")?,
                cooperative_id: r.try_get("cooperative_id")?,
                name_fr: r.try_get("name_fr")?,
                name_ar: r.try_get("name_ar")?,
                name_en: r.try_get("name_en")?,
                unit: r.try_get("unit")?,
                price: r.try_get("price_centimes")?,
                cooperative_fr: r.try_get("cooperative_fr")?,
                cooperative_ar: r.try_get("cooperative_ar")?,
            })
        })
        .collect()
}
