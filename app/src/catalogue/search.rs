//! The buyers' catalogue query: filters, full-text search and sorting, with the one
//! per-engine branch of the data layer. SQLite searches an FTS5 index and PostgreSQL a
//! `tsvector`; both index the same normalised text (`domain::search`) so a query finds
//! the same products on either engine.
use super::service::{attach_quality_signs, card, CARD_COLUMNS, CARD_JOINS};
use super::{ProductCard, ProductFilter, ProductPage, Sort};
use crate::db::{placeholders, Db, Engine};
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

/// How far past the page the catalogue counts matches: beyond, the page says "more than"
/// instead of counting a whole catalogue for every visit.
pub const COUNT_AHEAD: i64 = 1000;

/// The most matches of a full-text search ranked by relevance (bm25, ts_rank): ranking
/// scores every match, so a broader search (a word in thousands of names, each having it
/// once) lists its matches newest first instead.
pub const RANKED_MATCHES: i64 = COUNT_AHEAD;

/// Active products of verified cooperatives matching the filter, one page of them.
///
/// Every shape of query reads about one page of rows plus a bounded count: the sort
/// orders have indexes walked in order (`products_*_idx`), the count stops
/// `COUNT_AHEAD` matches past the page, and relevance ranks at most `RANKED_MATCHES`.
pub async fn search_products(db: &Db, filter: &ProductFilter) -> Result<ProductPage, AppError> {
    let mut c = Conditions::default();
    c.clauses.push("pr.status = 'active'".into());
    let mut from = "products pr";
    let text = !filter.terms.is_empty();
    if text {
        let query = text_query(db.engine(), &filter.terms);
        match db.engine() {
            Engine::Sqlite => {
                // The FTS table drives the query (CROSS JOIN fixes the order in SQLite).
                from = "products_fts CROSS JOIN products pr ON pr.id = products_fts.rowid";
                c.push("products_fts MATCH ?", Arg::Text(query));
            }
            Engine::Postgres => c.push("pr.search @@ to_tsquery('simple', ?)", Arg::Text(query)),
        }
    }
    // The cooperatives as a set the products are checked against (a semi-join): the
    // planner then walks the products in the page's order instead of sorting them all.
    match (&filter.province, &filter.region) {
        (Some(province), _) => c.push(
            "pr.cooperative_id IN (SELECT id FROM cooperatives WHERE status = 'verified'
                 AND province_id = (SELECT id FROM provinces WHERE code = ?))",
            Arg::Text(province.clone()),
        ),
        (None, Some(region)) => c.push(
            "pr.cooperative_id IN (SELECT id FROM cooperatives WHERE status = 'verified'
                 AND province_id IN (SELECT p.id FROM provinces p JOIN regions r
                     ON r.id = p.region_id WHERE r.code = ?))",
            Arg::Text(region.clone()),
        ),
        (None, None) => c.clauses.push(
            "pr.cooperative_id IN (SELECT id FROM cooperatives WHERE status = 'verified')".into(),
        ),
    }
    if let Some(category) = &filter.category {
        c.push(
            "pr.category_id = (SELECT id FROM categories WHERE code = ?)",
            Arg::Text(category.clone()),
        );
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
    let conditions = c.sql();

    // Counted up to one past the limit, so "more than" is known. On PostgreSQL the count
    // and the page are planned for their values each time (unnamed statements): a cached
    // statement gets a generic plan after five runs, which cannot tell a broad search
    // from a narrow one and sorts every match of a broad one for a single page.
    let persistent = db.engine() == Engine::Sqlite;
    let count_limit = filter.page.offset() + COUNT_AHEAD + 1;
    let count_sql = format!(
        "SELECT COUNT(*) AS n FROM (SELECT 1 FROM {from} WHERE {conditions} LIMIT {count_limit}) matches"
    );
    let counted: i64 = c
        .bind(sqlx::query(&count_sql).persistent(persistent))
        .fetch_one(db.pool())
        .await?
        .try_get("n")?;
    let more = counted == count_limit;

    let ranked = text && counted <= RANKED_MATCHES;
    let order = match (filter.sort, db.engine()) {
        (Sort::Relevance, Engine::Sqlite) if ranked => "products_fts.rank, pr.id DESC".to_owned(),
        (Sort::Relevance, Engine::Sqlite) if text => "products_fts.rowid DESC".to_owned(),
        (Sort::Relevance, Engine::Postgres) if ranked => {
            // The text query is the first placeholder.
            "ts_rank(pr.search, to_tsquery('simple', $1)) DESC, pr.id DESC".to_owned()
        }
        (Sort::Relevance, _) => "pr.id DESC".to_owned(),
        (Sort::Newest, _) => "pr.created_at DESC, pr.id DESC".to_owned(),
        (Sort::PriceAsc, _) => "pr.price_centimes, pr.id".to_owned(),
        (Sort::PriceDesc, _) => "pr.price_centimes DESC, pr.id".to_owned(),
        (Sort::Name, _) => "pr.name_fr, pr.id".to_owned(),
    };
    // The page's ids first, from a narrow query the planner can answer from its indexes,
    // then their cards.
    let (limit, offset) = (filter.page.limit(), filter.page.offset());
    let ids_sql = format!(
        "SELECT pr.id FROM {from} WHERE {conditions} ORDER BY {order} LIMIT {limit} OFFSET {offset}"
    );
    let ids: Vec<i64> = c
        .bind(sqlx::query(&ids_sql).persistent(persistent))
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|row| row.try_get("id"))
        .collect::<Result<_, _>>()?;
    let mut items = cards_in_order(db, &ids).await?;
    attach_quality_signs(db, &mut items).await?;
    Ok(ProductPage {
        items,
        page: filter.page.number(),
        per_page: filter.page.per_page(),
        total: if more { counted - 1 } else { counted },
        more,
    })
}

/// The cards of these products, in the order given.
async fn cards_in_order(db: &Db, ids: &[i64]) -> Result<Vec<ProductCard>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders = placeholders(ids.len());
    let sql = format!(
        "SELECT {CARD_COLUMNS} FROM products pr {CARD_JOINS} WHERE pr.id IN ({placeholders})"
    );
    let mut query = sqlx::query(&sql);
    for id in ids {
        query = query.bind(*id);
    }
    let mut cards = query
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(card)
        .collect::<Result<Vec<_>, _>>()?;
    cards.sort_by_key(|c| ids.iter().position(|id| *id == c.id));
    Ok(cards)
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
