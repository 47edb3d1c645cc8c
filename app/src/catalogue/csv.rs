//! CSV import and export of a cooperative's products and stock. The export re-imports
//! unchanged; an import is checked whole first (a report with the line, column and
//! reason of every problem) and applied all or nothing in one transaction.
use super::service::save_product;
use super::{ImportProblem, ImportReport};
use crate::accounts::CurrentUser;
use crate::cooperatives::service::member_of;
use crate::db::Db;
use crate::domain::catalogue::{parse_count, parse_sku, ProductDraft, ProductForm};
use crate::domain::{Centimes, ErrorCode, MovementKind, ProductStatus, QualitySign, Unit};
use crate::error::AppError;
use crate::inventory::service::{record_movement, StockChange};
use sqlx::{Any, Row, Transaction};
use std::collections::{HashMap, HashSet};

use super::CSV_COLUMNS as COLUMNS;
const REQUIRED: [&str; 5] = ["sku", "name_fr", "category", "unit", "price"];
/// The largest file accepted (2 MB) and the most rows.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;
pub const MAX_ROWS: usize = 5000;
const IMPORT_REASON: &str = "Import CSV";

/// One product as a file row says it should be.
#[derive(Debug, Clone, PartialEq)]
struct Wanted {
    line: u64,
    draft: ProductDraft,
    status: ProductStatus,
    stock: Option<i64>,
}

/// One product as the database holds it.
#[derive(Debug, Clone, PartialEq)]
struct Existing {
    id: i64,
    draft: ProductDraft,
    status: ProductStatus,
    available: i64,
}

fn signs_text(signs: &[(QualitySign, String)]) -> String {
    signs
        .iter()
        .map(|(s, r)| format!("{}={r}", s.as_str()))
        .collect::<Vec<_>>()
        .join(";")
}

/// `igp=REF;organic=REF2` into the form's certificate fields.
fn parse_signs(raw: &str, form: &mut ProductForm) -> Result<(), ErrorCode> {
    for part in raw.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (code, reference) = part.split_once('=').ok_or(ErrorCode::CertificateMissing)?;
        let reference = reference.trim().to_owned();
        if reference.is_empty() {
            return Err(ErrorCode::CertificateMissing);
        }
        match QualitySign::from_code(code.trim()).ok_or(ErrorCode::QualitySignUnknown)? {
            QualitySign::Igp => form.igp_ref = reference,
            QualitySign::Aop => form.aop_ref = reference,
            QualitySign::Organic => form.organic_ref = reference,
            QualitySign::LabelAgricole => form.label_agricole_ref = reference,
        }
    }
    Ok(())
}

/// The column a form field comes from.
fn column_of(field: &str) -> &str {
    match field {
        "igp_ref" | "aop_ref" | "organic_ref" | "label_agricole_ref" => "quality_signs",
        other => other,
    }
}

async fn existing_products(
    tx: &mut Transaction<'static, Any>,
    cooperative_id: i64,
) -> Result<HashMap<String, Existing>, AppError> {
    let rows = sqlx::query(
        "SELECT p.id, p.sku, p.name_fr, p.name_ar, p.name_en, p.description_fr, p.description_ar,
                p.description_en, k.code AS category, p.unit, p.unit_net, p.weight_g, p.price_centimes,
                p.low_stock_threshold, p.status, p.available
         FROM products p JOIN categories k ON k.id = p.category_id
         WHERE p.cooperative_id = $1 ORDER BY p.sku",
    )
    .bind(cooperative_id)
    .fetch_all(&mut **tx)
    .await?;
    let signs = sqlx::query(
        "SELECT s.product_id, s.sign, s.certificate_ref FROM product_quality_signs s
         JOIN products p ON p.id = s.product_id WHERE p.cooperative_id = $1 ORDER BY s.sign",
    )
    .bind(cooperative_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut signs_of: HashMap<i64, Vec<(QualitySign, String)>> = HashMap::new();
    for row in signs {
        let sign: String = row.try_get("sign")?;
        if let Some(sign) = QualitySign::from_code(&sign) {
            signs_of
                .entry(row.try_get("product_id")?)
                .or_default()
                .push((sign, row.try_get("certificate_ref")?));
        }
    }
    let mut products = HashMap::new();
    for row in rows {
        let id: i64 = row.try_get("id")?;
        let unit: String = row.try_get("unit")?;
        let status: String = row.try_get("status")?;
        let mut quality_signs = signs_of.remove(&id).unwrap_or_default();
        // The same order a parsed form gives.
        quality_signs.sort_by_key(|(s, _)| QualitySign::ALL.iter().position(|x| x == s));
        let draft = ProductDraft {
            sku: row.try_get("sku")?,
            name_fr: row.try_get("name_fr")?,
            name_ar: row.try_get("name_ar")?,
            name_en: row.try_get("name_en")?,
            description_fr: row.try_get("description_fr")?,
            description_ar: row.try_get("description_ar")?,
            description_en: row.try_get("description_en")?,
            category: row.try_get("category")?,
            unit: Unit::from_code(&unit).ok_or(AppError::Internal)?,
            unit_net: row.try_get("unit_net")?,
            weight_g: row.try_get("weight_g")?,
            price: Centimes::new(row.try_get("price_centimes")?).ok_or(AppError::Internal)?,
            low_stock_threshold: row.try_get("low_stock_threshold")?,
            quality_signs,
        };
        products.insert(
            draft.sku.clone(),
            Existing {
                id,
                draft,
                status: ProductStatus::from_code(&status).ok_or(AppError::Internal)?,
                available: row.try_get("available")?,
            },
        );
    }
    Ok(products)
}

/// The cooperative's products as a CSV file (UTF-8, comma-separated, header first).
pub async fn export(db: &Db, user: &CurrentUser, cooperative_id: i64) -> Result<String, AppError> {
    member_of(db, user, cooperative_id).await?;
    let mut tx = db.pool().begin().await?;
    let mut products: Vec<Existing> = existing_products(&mut tx, cooperative_id)
        .await?
        .into_values()
        .collect();
    tx.commit().await?;
    products.sort_by(|a, b| a.draft.sku.cmp(&b.draft.sku));
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failed = |error: csv::Error| {
        tracing::error!(%error, "cannot write CSV");
        AppError::Internal
    };
    writer.write_record(COLUMNS).map_err(failed)?;
    for p in products {
        let d = &p.draft;
        writer
            .write_record([
                d.sku.as_str(),
                &d.name_fr,
                &d.name_ar,
                &d.name_en,
                &d.description_fr,
                &d.description_ar,
                &d.description_en,
                &d.category,
                d.unit.as_str(),
                &d.unit_net.map(|n| n.to_string()).unwrap_or_default(),
                &d.weight_g.map(|n| n.to_string()).unwrap_or_default(),
                &d.price.to_decimal(),
                &d.low_stock_threshold.to_string(),
                &signs_text(&d.quality_signs),
                p.status.as_str(),
                &p.available.to_string(),
            ])
            .map_err(failed)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| failed(e.into_error().into()))?;
    String::from_utf8(bytes).map_err(|_| AppError::Internal)
}

/// A stored product as the form that would write it again.
fn form_of(draft: &ProductDraft) -> ProductForm {
    let reference = |sign| {
        draft
            .quality_signs
            .iter()
            .find(|(s, _)| *s == sign)
            .map(|(_, r)| r.clone())
            .unwrap_or_default()
    };
    ProductForm {
        sku: draft.sku.clone(),
        name_fr: draft.name_fr.clone(),
        name_ar: draft.name_ar.clone(),
        name_en: draft.name_en.clone(),
        description_fr: draft.description_fr.clone(),
        description_ar: draft.description_ar.clone(),
        description_en: draft.description_en.clone(),
        category: draft.category.clone(),
        unit: draft.unit.as_str().to_owned(),
        unit_net: draft.unit_net.map(|n| n.to_string()).unwrap_or_default(),
        weight_g: draft.weight_g.map(|n| n.to_string()).unwrap_or_default(),
        price: draft.price.to_decimal(),
        low_stock_threshold: draft.low_stock_threshold.to_string(),
        igp_ref: reference(QualitySign::Igp),
        aop_ref: reference(QualitySign::Aop),
        organic_ref: reference(QualitySign::Organic),
        label_agricole_ref: reference(QualitySign::LabelAgricole),
    }
}

/// Reads the file into wanted products, or the problems that stop it. A column the file
/// leaves out keeps an existing product's value (and is empty for a new one).
fn read_rows(
    text: &str,
    categories: &HashSet<String>,
    existing: &HashMap<String, Existing>,
) -> (Vec<Wanted>, Vec<ImportProblem>) {
    let mut problems = Vec::new();
    let mut wanted = Vec::new();
    let problem = |line: u64, column: &str, code| ImportProblem {
        line,
        column: column.to_owned(),
        code,
    };
    let text = text.trim_start_matches('\u{feff}');
    // Spreadsheets set to French write semicolons.
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = if first_line.contains(';') && !first_line.contains(',') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_lowercase()).collect(),
        Err(_) => return (wanted, vec![problem(1, "", ErrorCode::CsvMalformed)]),
    };
    for header in &headers {
        if !COLUMNS.contains(&header.as_str()) {
            problems.push(problem(1, header, ErrorCode::CsvHeader));
        }
    }
    for column in REQUIRED {
        if !headers.iter().any(|h| h == column) {
            problems.push(problem(1, column, ErrorCode::CsvHeader));
        }
    }
    if !problems.is_empty() {
        return (wanted, problems);
    }
    let mut seen = HashSet::new();
    for (index, record) in reader.records().enumerate() {
        let line = index as u64 + 2;
        if index >= MAX_ROWS {
            problems.push(problem(line, "", ErrorCode::FileTooLarge));
            break;
        }
        let record = match record {
            Ok(r) => r,
            Err(_) => {
                problems.push(problem(line, "", ErrorCode::CsvMalformed));
                continue;
            }
        };
        if record.len() != headers.len() {
            problems.push(problem(line, "", ErrorCode::CsvMalformed));
            continue;
        }
        let cell = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .and_then(|i| record.get(i))
                .unwrap_or_default()
                .to_owned()
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let old = parse_sku(&cell("sku"))
            .ok()
            .and_then(|sku| existing.get(&sku));
        let old_form = old.map(|o| form_of(&o.draft)).unwrap_or_default();
        let has = |name: &str| headers.iter().any(|h| h == name);
        let pick = |name: &str, old: &str| {
            if has(name) {
                cell(name)
            } else {
                old.to_owned()
            }
        };
        let mut form = ProductForm {
            sku: cell("sku"),
            name_fr: pick("name_fr", &old_form.name_fr),
            name_ar: pick("name_ar", &old_form.name_ar),
            name_en: pick("name_en", &old_form.name_en),
            description_fr: pick("description_fr", &old_form.description_fr),
            description_ar: pick("description_ar", &old_form.description_ar),
            description_en: pick("description_en", &old_form.description_en),
            category: pick("category", &old_form.category),
            unit: pick("unit", &old_form.unit),
            unit_net: pick("unit_net", &old_form.unit_net),
            weight_g: pick("weight_g", &old_form.weight_g),
            price: pick("price", &old_form.price),
            low_stock_threshold: pick("low_stock_threshold", &old_form.low_stock_threshold),
            ..ProductForm::default()
        };
        let mut row_ok = true;
        if !has("quality_signs") {
            form.igp_ref = old_form.igp_ref.clone();
            form.aop_ref = old_form.aop_ref.clone();
            form.organic_ref = old_form.organic_ref.clone();
            form.label_agricole_ref = old_form.label_agricole_ref.clone();
        } else if let Err(code) = parse_signs(&cell("quality_signs"), &mut form) {
            problems.push(problem(line, "quality_signs", code));
            row_ok = false;
        }
        let status = match cell("status").trim() {
            "" => Some(old.map_or(ProductStatus::Active, |o| o.status)),
            code => ProductStatus::from_code(code),
        };
        if status.is_none() {
            problems.push(problem(line, "status", ErrorCode::StatusInvalid));
            row_ok = false;
        }
        let stock = match cell("stock").trim() {
            "" => Ok(None),
            raw => parse_count(raw).map(Some),
        };
        if let Err(code) = stock {
            problems.push(problem(line, "stock", code));
            row_ok = false;
        }
        match form.parse() {
            Ok(draft) => {
                if !categories.contains(&draft.category) {
                    problems.push(problem(line, "category", ErrorCode::CategoryUnknown));
                    row_ok = false;
                }
                if !seen.insert(draft.sku.clone()) {
                    problems.push(problem(line, "sku", ErrorCode::DuplicateRow));
                    row_ok = false;
                }
                if let (true, Some(status), Ok(stock)) = (row_ok, status, stock) {
                    wanted.push(Wanted {
                        line,
                        draft,
                        status,
                        stock,
                    });
                }
            }
            Err(errors) => {
                for (field, code) in errors.0 {
                    problems.push(problem(line, column_of(&field), code));
                }
            }
        }
    }
    (wanted, problems)
}

/// Checks a file for a cooperative and, when `apply` and nothing is wrong, writes every
/// row in one transaction. A member of another cooperative gets 403 and nothing changes.
pub async fn import(
    db: &Db,
    user: &CurrentUser,
    cooperative_id: i64,
    text: &str,
    apply: bool,
) -> Result<ImportReport, AppError> {
    member_of(db, user, cooperative_id).await?;
    if text.len() > MAX_BYTES {
        return Err(AppError::field("csv", ErrorCode::FileTooLarge));
    }
    if text.trim().is_empty() {
        return Err(AppError::field("csv", ErrorCode::Required));
    }
    let categories: HashSet<String> = super::service::list_categories(db)
        .await?
        .into_iter()
        .map(|c| c.code)
        .collect();
    let mut tx = if apply {
        db.begin_write().await?
    } else {
        db.pool().begin().await?
    };
    let existing = existing_products(&mut tx, cooperative_id).await?;
    let (wanted, problems) = read_rows(text, &categories, &existing);
    let mut report = ImportReport {
        rows: wanted.len() as u64
            + problems
                .iter()
                .map(|p| p.line)
                .collect::<HashSet<_>>()
                .len() as u64,
        problems,
        ..ImportReport::default()
    };
    let mut changes = Vec::new();
    for row in &wanted {
        match existing.get(&row.draft.sku) {
            None => {
                report.created += 1;
                changes.push((row, None));
            }
            Some(old)
                if old.draft == row.draft
                    && old.status == row.status
                    && row.stock.is_none_or(|s| s == old.available) =>
            {
                report.unchanged += 1;
            }
            Some(old) => {
                report.updated += 1;
                changes.push((row, Some(old)));
            }
        }
    }
    if !apply || !report.problems.is_empty() {
        return Ok(report);
    }
    for (row, old) in changes {
        let id = save_product(
            &mut tx,
            cooperative_id,
            &row.draft,
            old.map(|o| o.id),
            db.now(),
        )
        .await?;
        sqlx::query("UPDATE products SET status = $1 WHERE id = $2")
            .bind(row.status.as_str())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let current = old.map_or(0, |o| o.available);
        if let Some(stock) = row.stock.filter(|s| *s != current) {
            let kind = if old.is_none() {
                MovementKind::Received
            } else {
                MovementKind::Adjusted
            };
            record_movement(
                &mut tx,
                StockChange {
                    product_id: id,
                    kind,
                    quantity: stock - current,
                    reason: IMPORT_REASON,
                    user_id: Some(user.id),
                    order_id: None,
                    at: db.now(),
                },
            )
            .await?;
        }
    }
    tx.commit().await?;
    report.applied = true;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn categories() -> HashSet<String> {
        ["honey", "olive_oil"]
            .into_iter()
            .map(String::from)
            .collect()
    }

    #[test]
    fn every_bad_cell_is_reported_with_its_line_and_column() {
        let file = "sku,name_fr,category,unit,unit_net,price,stock,quality_signs\n\
                    MIEL-1,Miel,honey,jar,250,85,10,igp=IGP-1\n\
                    MIEL-2,,honey,jar,250,-3,x,bio=1\n\
                    MIEL-1,Miel encore,cheese,kg,,12,1,\n";
        let (wanted, problems) = read_rows(file, &categories(), &HashMap::new());
        assert_eq!(wanted.len(), 1);
        let found: Vec<(u64, &str, ErrorCode)> = problems
            .iter()
            .map(|p| (p.line, p.column.as_str(), p.code))
            .collect();
        assert!(
            found.contains(&(3, "name_fr", ErrorCode::Required)),
            "{found:?}"
        );
        assert!(
            found.contains(&(3, "price", ErrorCode::PriceInvalid)),
            "{found:?}"
        );
        assert!(
            found.contains(&(3, "stock", ErrorCode::CountInvalid)),
            "{found:?}"
        );
        assert!(
            found.contains(&(3, "quality_signs", ErrorCode::QualitySignUnknown)),
            "{found:?}"
        );
        assert!(
            found.contains(&(4, "category", ErrorCode::CategoryUnknown)),
            "{found:?}"
        );
        assert!(
            found.contains(&(4, "sku", ErrorCode::DuplicateRow)),
            "{found:?}"
        );
    }

    #[test]
    fn an_unknown_or_missing_column_is_a_header_problem() {
        let (_, problems) = read_rows(
            "sku,name_fr,colour\nA,B,red\n",
            &categories(),
            &HashMap::new(),
        );
        let columns: Vec<&str> = problems.iter().map(|p| p.column.as_str()).collect();
        assert!(
            columns.contains(&"colour") && columns.contains(&"price"),
            "{columns:?}"
        );
        assert!(problems
            .iter()
            .all(|p| p.line == 1 && p.code == ErrorCode::CsvHeader));
    }

    #[test]
    fn semicolon_files_from_french_spreadsheets_are_read() {
        let file = "\u{feff}sku;name_fr;category;unit;price\nHUILE-1;Huile d'olive;olive_oil;litre;95,50\n";
        let (wanted, problems) = read_rows(file, &categories(), &HashMap::new());
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(wanted[0].draft.price.get(), 9550);
    }
}
