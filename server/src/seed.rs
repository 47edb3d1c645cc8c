//! Reference data (the territory), the demo accounts and catalogue, benchmark data.
use app::accounts::{service, NewUserForm};
use app::catalogue::photos::{generated, store_photo};
use app::catalogue::service::save_product;
use app::cooperatives::service as cooperatives;
use app::db::Db;
use app::domain::catalogue::{CooperativeForm, ProductDraft, ProductForm};
use app::domain::{CooperativeStatus, ErrorCode, MovementKind, Role};
use app::error::AppError;
use app::inventory::service::{record_movement, StockChange};
use app::territory::kingdom::{parse_kingdom, seed_kingdom, SeedKingdomError, KINGDOM};
use app::territory::service::{parse_region, seed_region, SeedError, FES_MEKNES};
use sqlx::Row;
use std::path::Path;

/// The password of every demo account (written in the README).
pub mod council;
mod markets;
pub use markets::demo_markets;

pub const DEMO_PASSWORD: &str = "souk-demo-2026";

/// One account per role, for trying Souk out.
pub const DEMO_ACCOUNTS: [(&str, &str, Role); 4] = [
    ("admin@souk.ma", "Administration du pôle ESS", Role::Admin),
    (
        "organisateur@souk.ma",
        "Conseil régional Fès-Meknès",
        Role::Organiser,
    ),
    (
        "cooperative@souk.ma",
        "Coopérative Zitoun Sefrou",
        Role::Cooperative,
    ),
    ("acheteur@souk.ma", "Salma Bennani", Role::Buyer),
];

#[derive(Debug, thiserror::Error)]
pub enum SeedFailure {
    #[error(transparent)]
    Territory(#[from] SeedError),
    #[error(transparent)]
    Kingdom(#[from] SeedKingdomError),
    #[error("cannot create demo account {0}: {1}")]
    Account(String, AppError),
    #[error("cannot seed the catalogue: {0}")]
    Catalogue(String),
    #[error("cannot read {0}: {1}")]
    File(String, std::io::Error),
}

/// Without a file, the Fès-Meknès demo region (its sites) and then the whole Kingdom (the
/// other regions, every outline); with one, a Kingdom file (it has `regions`) or one
/// region's file. Seeding twice changes nothing.
pub async fn territory(db: &Db, file: Option<&str>) -> Result<(), SeedFailure> {
    let Some(path) = file else {
        seed_region(db, &parse_region(FES_MEKNES)?).await?;
        seed_kingdom(db, &parse_kingdom(KINGDOM).map_err(SeedKingdomError::from)?).await?;
        return Ok(());
    };
    let json = std::fs::read_to_string(path).map_err(|e| SeedFailure::File(path.to_owned(), e))?;
    let is_kingdom = serde_json::from_str::<serde_json::Value>(&json)
        .is_ok_and(|value| value.get("regions").is_some());
    if is_kingdom {
        seed_kingdom(db, &parse_kingdom(&json).map_err(SeedKingdomError::from)?).await?;
    } else {
        seed_region(db, &parse_region(&json)?).await?;
    }
    Ok(())
}

/// The demo accounts; those that exist already are left as they are.
pub async fn demo(db: &Db) -> Result<(), SeedFailure> {
    for (email, name, role) in DEMO_ACCOUNTS {
        let form = NewUserForm {
            email: email.into(),
            password: DEMO_PASSWORD.into(),
            display_name: name.into(),
            role: role.as_str().into(),
        };
        match service::create_user_unchecked(db, &form).await {
            Ok(user) => {
                tracing::info!(email, role = role.as_str(), "demo account created");
                // The demo organiser is the Fès-Meknès council's: it plans there.
                if role == Role::Organiser {
                    app::accounts::regions::set_regions(db, user.id, &["fes-meknes".to_owned()])
                        .await
                        .map_err(|e| SeedFailure::Account(email.to_owned(), e))?;
                }
            }
            Err(AppError::Invalid(errors))
                if errors.get("email") == Some(ErrorCode::EmailTaken) => {}
            Err(error) => return Err(SeedFailure::Account(email.to_owned(), error)),
        }
    }
    Ok(())
}

/// The demo catalogue as shipped: a dozen cooperatives across the nine provinces.
pub const DEMO_CATALOGUE: &str = include_str!("../../migrations/seed/demo-catalogue.json");

#[derive(Debug, serde::Deserialize)]
struct CatalogueSeed {
    cooperatives: Vec<CooperativeSeed>,
}

#[derive(Debug, serde::Deserialize)]
struct CooperativeSeed {
    key: String,
    #[serde(flatten)]
    profile: CooperativeForm,
    #[serde(rename = "lat")]
    latitude: f64,
    #[serde(rename = "lon")]
    longitude: f64,
    #[serde(rename = "member_count")]
    members: i64,
    #[serde(rename = "women_led")]
    women: bool,
    #[serde(rename = "youth_led")]
    youth: bool,
    products: Vec<ProductSeed>,
}

#[derive(Debug, serde::Deserialize)]
struct ProductSeed {
    #[serde(flatten)]
    form: ProductForm,
    #[serde(rename = "unit_net")]
    net: Option<i64>,
    stock: i64,
    #[serde(rename = "low_stock_threshold")]
    threshold: i64,
    quality_signs: String,
}

/// The colour of a category's demo photos.
fn category_colour(category: &str) -> [u8; 3] {
    match category {
        "olive_oil" => [150, 160, 40],
        "honey" => [220, 150, 30],
        "aromatic_plants" => [90, 130, 80],
        "dried_fruit" => [120, 70, 50],
        "cereals" => [210, 180, 110],
        "dairy" => [240, 235, 215],
        "cosmetics" => [180, 120, 150],
        "carpets_textiles" => [170, 40, 40],
        "pottery" => [40, 80, 160],
        "leather" => [140, 90, 40],
        "wood" => [110, 75, 45],
        _ => [160, 100, 60],
    }
}

/// The demo cooperatives, verified, with their products, stock and generated photos.
/// `cooperative@souk.ma` becomes a member of the first. Cooperatives that exist already
/// (by registration number) are left alone, so seeding twice changes nothing.
pub async fn demo_catalogue(db: &Db, data_dir: &Path) -> Result<(), SeedFailure> {
    let seed: CatalogueSeed = serde_json::from_str(DEMO_CATALOGUE)
        .map_err(|e| SeedFailure::Catalogue(format!("demo-catalogue.json: {e}")))?;
    let member = sqlx::query("SELECT id FROM users WHERE email = $1")
        .bind(DEMO_ACCOUNTS[2].0)
        .fetch_optional(db.pool())
        .await
        .map_err(|e| SeedFailure::Catalogue(e.to_string()))?
        .map(|row| row.try_get::<i64, _>("id"))
        .transpose()
        .map_err(|e| SeedFailure::Catalogue(e.to_string()))?;
    let atlas = app::territory::service::atlas(db)
        .await
        .map_err(|e| SeedFailure::Catalogue(format!("{e:?}")))?;
    // One drawing per category, shared by its products: drawing is the slow part.
    let mut drawings: std::collections::HashMap<String, app::catalogue::photos::Processed> =
        std::collections::HashMap::new();
    for (index, c) in seed.cooperatives.into_iter().enumerate() {
        let fail = |e: AppError| SeedFailure::Catalogue(format!("{}: {e:?}", c.key));
        let mut form = c.profile.clone();
        form.lat = c.latitude.to_string();
        form.lon = c.longitude.to_string();
        form.member_count = c.members.to_string();
        form.women_led = c.women.then(|| "on".to_owned());
        form.youth_led = c.youth.then(|| "on".to_owned());
        let draft = form
            .parse(|lat, lon| atlas.locate(lat, lon).is_some())
            .map_err(|e| SeedFailure::Catalogue(format!("{}: {e:?}", c.key)))?;
        let placed = atlas.locate(c.latitude, c.longitude).map(|p| p.province);
        if placed != Some(draft.province.as_str()) {
            return Err(SeedFailure::Catalogue(format!(
                "{}: its coordinates lie in {placed:?}, not in {}",
                c.key, draft.province
            )));
        }
        let owner = if index == 0 { member } else { None };
        let id =
            match cooperatives::create_cooperative(db, &draft, owner, CooperativeStatus::Verified)
                .await
            {
                Ok(id) => id,
                Err(AppError::Invalid(e)) if e.get("registration_number").is_some() => continue,
                Err(AppError::Refused(ErrorCode::CooperativeExists)) => {
                    cooperatives::create_cooperative(db, &draft, None, CooperativeStatus::Verified)
                        .await
                        .map_err(fail)?
                }
                Err(e) => return Err(fail(e)),
            };
        for p in c.products {
            let mut form = p.form.clone();
            form.unit_net = p.net.map(|n| n.to_string()).unwrap_or_default();
            form.low_stock_threshold = p.threshold.to_string();
            for part in p.quality_signs.split(';').filter(|s| !s.is_empty()) {
                if let Some((sign, reference)) = part.split_once('=') {
                    match sign {
                        "igp" => form.igp_ref = reference.into(),
                        "aop" => form.aop_ref = reference.into(),
                        "organic" => form.organic_ref = reference.into(),
                        _ => form.label_agricole_ref = reference.into(),
                    }
                }
            }
            let draft = form
                .parse()
                .map_err(|e| SeedFailure::Catalogue(format!("{}: {e:?}", form.sku)))?;
            let product_id = add_product(db, id, &draft, p.stock).await.map_err(fail)?;
            let photo = match drawings.get(&draft.category) {
                Some(photo) => photo.clone(),
                None => {
                    let variant = u32::try_from(drawings.len()).unwrap_or_default();
                    let photo = generated(category_colour(&draft.category), variant)
                        .map_err(|code| SeedFailure::Catalogue(code.as_str().to_owned()))?;
                    drawings.insert(draft.category.clone(), photo.clone());
                    photo
                }
            };
            store_photo(db, data_dir, product_id, photo)
                .await
                .map_err(fail)?;
        }
    }
    tracing::info!("demo catalogue seeded");
    Ok(())
}

/// One product with its opening stock, in one transaction.
async fn add_product(
    db: &Db,
    cooperative_id: i64,
    draft: &ProductDraft,
    stock: i64,
) -> Result<i64, AppError> {
    let mut tx = db.begin_write().await?;
    let id = save_product(&mut tx, cooperative_id, draft, None, db.now()).await?;
    if stock > 0 {
        record_movement(
            &mut tx,
            StockChange {
                product_id: id,
                kind: MovementKind::Received,
                quantity: stock,
                reason: "Stock initial",
                user_id: None,
                order_id: None,
                at: db.now(),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(id)
}

const BENCH_WORDS: [(&str, &str, &str); 12] = [
    ("miel", "عسل", "honey"),
    ("huile", "زيت", "oil"),
    ("figues", "تين", "figs"),
    ("thym", "زعتر", "thyme"),
    ("couscous", "كسكس", "couscous"),
    ("tapis", "زربية", "carpet"),
    ("tajine", "طاجين", "tajine"),
    ("savon", "صابون", "soap"),
    ("amandes", "لوز", "almonds"),
    ("romarin", "إكليل", "rosemary"),
    ("fromage", "جبن", "cheese"),
    ("cuir", "جلد", "leather"),
];
const BENCH_CATEGORIES: [&str; 12] = [
    "honey",
    "olive_oil",
    "dried_fruit",
    "aromatic_plants",
    "cereals",
    "carpets_textiles",
    "pottery",
    "cosmetics",
    "preserves",
    "aromatic_plants",
    "dairy",
    "leather",
];

/// `n` generated products spread over the verified cooperatives (the demo catalogue is
/// seeded first when there is none), for benchmarks. Returns how many were written.
pub async fn benchmark_products(db: &Db, data_dir: &Path, n: u64) -> Result<u64, SeedFailure> {
    let db_error = |e: sqlx::Error| SeedFailure::Catalogue(e.to_string());
    let mut cooperatives: Vec<i64> =
        sqlx::query("SELECT id FROM cooperatives WHERE status = 'verified' ORDER BY id")
            .fetch_all(db.pool())
            .await
            .map_err(db_error)?
            .iter()
            .map(|r| r.try_get("id"))
            .collect::<Result<_, _>>()
            .map_err(db_error)?;
    if cooperatives.is_empty() {
        demo_catalogue(db, data_dir).await?;
        return Box::pin(benchmark_products(db, data_dir, n)).await;
    }
    let start: u64 = sqlx::query("SELECT COUNT(*) AS n FROM products WHERE sku LIKE 'BENCH-%'")
        .fetch_one(db.pool())
        .await
        .map_err(db_error)?
        .try_get::<i64, _>("n")
        .map_err(db_error)? as u64;
    cooperatives.sort_unstable();
    let fail = |e: AppError| SeedFailure::Catalogue(format!("{e:?}"));
    let mut written = 0;
    while written < n {
        let batch = (n - written).min(500);
        let mut tx = db.begin_write().await.map_err(db_error)?;
        for k in 0..batch {
            let i = start + written + k;
            let (fr, ar, en) = BENCH_WORDS[(i % 12) as usize];
            let (fr2, ar2, en2) = BENCH_WORDS[((i / 12) % 12) as usize];
            let form = ProductForm {
                sku: format!("BENCH-{i:07}"),
                name_fr: format!("{fr} et {fr2} n° {i}"),
                name_ar: format!("{ar} و{ar2} رقم {i}"),
                name_en: format!("{en} and {en2} no. {i}"),
                description_fr: format!("Produit de test {i} : {fr}, {fr2}."),
                category: BENCH_CATEGORIES[(i % 12) as usize].to_owned(),
                unit: "kg".to_owned(),
                price: format!("{}.{:02}", 10 + i % 490, i % 100),
                low_stock_threshold: "5".to_owned(),
                ..ProductForm::default()
            };
            let draft = form
                .parse()
                .map_err(|e| SeedFailure::Catalogue(format!("{e:?}")))?;
            let cooperative = cooperatives[(i as usize) % cooperatives.len()];
            let id = save_product(&mut tx, cooperative, &draft, None, db.now())
                .await
                .map_err(fail)?;
            let stock = (i * 7 % 50) as i64;
            if stock > 0 {
                record_movement(
                    &mut tx,
                    StockChange {
                        product_id: id,
                        kind: MovementKind::Received,
                        quantity: stock,
                        reason: "Benchmark",
                        user_id: None,
                        order_id: None,
                        at: db.now(),
                    },
                )
                .await
                .map_err(fail)?;
            }
        }
        tx.commit().await.map_err(db_error)?;
        written += batch;
    }
    // Fresh statistics, so the planners pick the full-text indexes for the new rows.
    sqlx::query("ANALYZE")
        .execute(db.pool())
        .await
        .map_err(db_error)?;
    Ok(written)
}
