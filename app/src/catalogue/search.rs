//! The buyers' catalogue query: filters, full-text search and sorting, with the one
//! per-engine branch of the data layer. SQLite searches an FTS5 index and PostgreSQL a
//! `tsvector`; both index the same normalised text (`domain::search`) so a query finds
//! the same products on either engine.
use super::service::{attach_quality_signs, card, CARD_COLUMNS, CARD_JOINS};
use super::{ProductFilter, ProductPage, Sort};
use crate::db::{Db, Engine};
use crate::error::AppError;
use sqlx::Row;

/// A value to bind, in placeholder order.
#[derive(Debug, Clone)]
enum Arg {
    Text(String),
    Int(i64),
}

/// SQL conditions with `$n` placeholders numbered as they are added.
#[derive(Default)]
struct Conditions {
    clauses: Vec<String>,
    args: Vec<Arg>,
}

impl Conditions {
    /// Adds a condition whose `?` is the next placeholder.
    fn push(&mut self, clause: &str, arg: Arg) {
        self.args.push(arg);
        let n = self.args.len();
        self.clauses.push(clause.replace('?', &format!("${n}")));
    }

    fn placeholder_after(&self, k: usize) -> String {
        format!("${}", self.args.len() + k)
    }

    fn sql(&self) -> String {
        self.clauses.join(" AND ")
    }

    fn bind<'q>(
        &'q self,
        mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        for arg in &self.args {
            query = match arg {
                Arg::Text(s) => query.bind(s.as_str()),
                Arg::Int(n) => query.bind(*n),
            };
        }
        query
    }
}

/// The engine's full-text query for normalised terms (letters and digits only), each
/// quoted as one word and a prefix, all required.
fn text_query(engine: Engine, terms: &[String]) -> String {
    match engine {
        Engine::Sqlite => terms
            .iter()
            .map(|t| format!("\"{t}\"*"))
            .collect::<Vec<_>>()
            .join(" "),
        Engine::Postgres => terms
            .iter()
            .map(|t| format!("'{t}':*"))
            .collect::<Vec<_>>()
            .join(" & "),
    }
}

/// Active products of verified cooperatives matching the filter, one page of them.
pub async fn search_products(db: &Db, filter: &ProductFilter) -> Result<ProductPage, AppError> {
    let mut c = Conditions::default();
    c.clauses.push("pr.status = 'active'".into());
    c.clauses.push("co.status = 'verified'".into());
    let mut from = "products pr";
    let mut rank_order = None;
    if !filter.terms.is_empty() {
        let query = text_query(db.engine(), &filter.terms);
        match db.engine() {
            Engine::Sqlite => {
                // The FTS table drives the query (CROSS JOIN fixes the order in SQLite):
                // one index lookup, then the matching products; bm25 rank, lower is better.
                from = "products_fts CROSS JOIN products pr ON pr.id = products_fts.rowid";
                c.push("products_fts MATCH ?", Arg::Text(query));
                rank_order = Some("products_fts.rank, pr.id DESC".to_owned());
            }
            Engine::Postgres => {
                c.push("pr.search @@ to_tsquery('simple', ?)", Arg::Text(query));
                rank_order = Some(format!(
                    "ts_rank(pr.search, to_tsquery('simple', ${})) DESC, pr.id DESC",
                    c.args.len()
                ));
            }
        }
    }
    if let Some(province) = &filter.province {
        c.push("pv.code = ?", Arg::Text(province.clone()));
    }
    if let Some(category) = &filter.category {
        c.push("k.code = ?", Arg::Text(category.clone()));
    }
    if let Some(label) = filter.label {
        c.push(
            "EXISTS (SELECT 1 FROM product_quality_signs qs WHERE qs.product_id = pr.id AND qs.sign = ?)",
            Arg::Text(label.as_str().to_owned()),
        );
    }
    if let Some(cooperative) = filter.cooperative {
        c.push("pr.cooperative_id = ?", Arg::Int(cooperative));
    }
    if filter.in_stock {
        c.clauses.push("pr.available > 0".into());
    }
    if let Some(min) = filter.min_price {
        c.push("pr.price_centimes >= ?", Arg::Int(min));
    }
    if let Some(max) = filter.max_price {
        c.push("pr.price_centimes <= ?", Arg::Int(max));
    }
    let order = match filter.sort {
        Sort::Relevance => rank_order.unwrap_or_else(|| "pr.id DESC".to_owned()),
        Sort::Newest => "pr.created_at DESC, pr.id DESC".to_owned(),
        Sort::PriceAsc => "pr.price_centimes, pr.id".to_owned(),
        Sort::PriceDesc => "pr.price_centimes DESC, pr.id".to_owned(),
        Sort::Name => "pr.name_fr, pr.id".to_owned(),
    };
    let conditions = c.sql();

    let count_sql = format!("SELECT COUNT(*) AS n FROM {from} {CARD_JOINS} WHERE {conditions}");
    let count = c.bind(sqlx::query(&count_sql));
    let total: i64 = count.fetch_one(db.pool()).await?.try_get("n")?;

    let limit = c.placeholder_after(1);
    let offset = c.placeholder_after(2);
    let sql = format!(
        "SELECT {CARD_COLUMNS} FROM {from} {CARD_JOINS}
         WHERE {conditions} ORDER BY {order} LIMIT {limit} OFFSET {offset}"
    );
    let rows = c
        .bind(sqlx::query(&sql))
        .bind(filter.page.limit())
        .bind(filter.page.offset())
        .fetch_all(db.pool())
        .await?;
    let mut items = rows.iter().map(card).collect::<Result<Vec<_>, _>>()?;
    attach_quality_signs(db, &mut items).await?;
    Ok(ProductPage {
        items,
        page: filter.page.number(),
        per_page: filter.page.per_page(),
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_engine_gets_a_prefix_query_of_every_term() {
        let terms = vec!["miel".to_owned(), "عسل".to_owned()];
        assert_eq!(text_query(Engine::Sqlite, &terms), "\"miel\"* \"عسل\"*");
        assert_eq!(text_query(Engine::Postgres, &terms), "'miel':* & 'عسل':*");
    }
}
