//! The catalogue: products of cooperatives, their photos, search for buyers, and the
//! CSV import and export of a cooperative's products and stock.
pub mod api;
#[cfg(feature = "ssr")]
pub mod csv;
#[cfg(feature = "ssr")]
pub mod photos;
#[cfg(feature = "ssr")]
pub mod search;
#[cfg(feature = "ssr")]
pub mod service;
mod views;

pub use views::{
    category_name, CataloguePage, ImportPage, MyProductsPage, ProductCards, ProductEditPage,
    ProductPage,
};

use crate::domain::catalogue::ProductForm;
use crate::domain::{ErrorCode, ProductStatus, QualitySign, Unit};
use serde::{Deserialize, Serialize};

/// The columns of a product CSV file, in the order the export writes them.
pub const CSV_COLUMNS: [&str; 16] = [
    "sku",
    "name_fr",
    "name_ar",
    "name_en",
    "description_fr",
    "description_ar",
    "description_en",
    "category",
    "unit",
    "unit_net",
    "weight_g",
    "price",
    "low_stock_threshold",
    "quality_signs",
    "status",
    "stock",
];

/// A category of the taxonomy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Category {
    pub code: String,
    pub name_fr: String,
    pub name_ar: String,
    pub name_en: String,
}

/// A product in a list: enough for a card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProductCard {
    pub id: i64,
    pub sku: String,
    pub name_fr: String,
    pub name_ar: String,
    pub name_en: String,
    pub category: String,
    pub unit: Unit,
    pub unit_net: Option<i64>,
    pub price_centimes: i64,
    pub available: i64,
    pub status: ProductStatus,
    pub cooperative_id: i64,
    pub cooperative_fr: String,
    pub cooperative_ar: String,
    pub province_code: String,
    pub province_fr: String,
    pub province_ar: String,
    pub province_en: String,
    /// The first photo's file stem, if any (`/media/photos/{stem}-thumb.jpg`).
    pub photo: Option<String>,
    pub quality_signs: Vec<QualitySign>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Photo {
    pub id: i64,
    pub file: String,
    pub width: i64,
    pub height: i64,
}

/// A product's whole page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProductDetail {
    #[serde(flatten)]
    pub card: ProductCard,
    pub description_fr: String,
    pub description_ar: String,
    pub description_en: String,
    pub low_stock_threshold: i64,
    /// One unit's weight in grams as the cooperative estimates it.
    pub weight_g: Option<i64>,
    pub certificates: Vec<(QualitySign, String)>,
    pub photos: Vec<Photo>,
}

impl ProductDetail {
    /// The product as its edit form shows it.
    pub fn form(&self) -> ProductForm {
        let reference = |sign| {
            self.certificates
                .iter()
                .find(|(s, _)| *s == sign)
                .map(|(_, r)| r.clone())
                .unwrap_or_default()
        };
        ProductForm {
            sku: self.card.sku.clone(),
            name_fr: self.card.name_fr.clone(),
            name_ar: self.card.name_ar.clone(),
            name_en: self.card.name_en.clone(),
            description_fr: self.description_fr.clone(),
            description_ar: self.description_ar.clone(),
            description_en: self.description_en.clone(),
            category: self.card.category.clone(),
            unit: self.card.unit.as_str().to_owned(),
            unit_net: self
                .card
                .unit_net
                .map(|n| n.to_string())
                .unwrap_or_default(),
            weight_g: self.weight_g.map(|g| g.to_string()).unwrap_or_default(),
            price: crate::domain::Centimes::new(self.card.price_centimes)
                .map(|c| c.to_decimal())
                .unwrap_or_default(),
            low_stock_threshold: self.low_stock_threshold.to_string(),
            igp_ref: reference(QualitySign::Igp),
            aop_ref: reference(QualitySign::Aop),
            organic_ref: reference(QualitySign::Organic),
            label_agricole_ref: reference(QualitySign::LabelAgricole),
        }
    }
}

/// How buyers sort the catalogue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Best match first when searching, newest otherwise.
    #[default]
    Relevance,
    Newest,
    PriceAsc,
    PriceDesc,
    Name,
}

impl Sort {
    pub const ALL: [Sort; 5] = [
        Self::Relevance,
        Self::Newest,
        Self::PriceAsc,
        Self::PriceDesc,
        Self::Name,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Relevance => "relevance",
            Self::Newest => "newest",
            Self::PriceAsc => "price_asc",
            Self::PriceDesc => "price_desc",
            Self::Name => "name",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
    }
}

/// The buyer's search: every field as it comes from the query string.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct ProductQuery {
    pub q: String,
    pub province: String,
    /// A region's code: its cooperatives' products.
    pub region: String,
    pub category: String,
    pub label: String,
    pub cooperative: String,
    pub in_stock: String,
    pub min_price: String,
    pub max_price: String,
    pub sort: String,
    pub page: String,
    pub per_page: String,
}

/// A query that passed its checks.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductFilter {
    pub terms: Vec<String>,
    pub province: Option<String>,
    pub region: Option<String>,
    pub category: Option<String>,
    pub label: Option<QualitySign>,
    pub cooperative: Option<i64>,
    pub in_stock: bool,
    pub min_price: Option<i64>,
    pub max_price: Option<i64>,
    pub sort: Sort,
    pub page: crate::domain::Page,
}

impl ProductQuery {
    pub fn parse(&self) -> Result<ProductFilter, crate::domain::FieldErrors> {
        use crate::domain::{Centimes, FieldErrors};
        let mut errors = FieldErrors::new();
        let optional = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let label = match self.label.trim() {
            "" => None,
            code => errors.check(
                "label",
                QualitySign::from_code(code).ok_or(ErrorCode::Invalid),
            ),
        };
        let cooperative = match self.cooperative.trim() {
            "" => None,
            raw => errors.check(
                "cooperative",
                raw.parse::<i64>().map_err(|_| ErrorCode::NumberInvalid),
            ),
        };
        let price = |errors: &mut FieldErrors, field: &str, raw: &str| match raw.trim() {
            "" => None,
            raw => errors.check(field, Centimes::parse_price(raw).map(Centimes::get)),
        };
        let min_price = price(&mut errors, "min_price", &self.min_price);
        let max_price = price(&mut errors, "max_price", &self.max_price);
        let sort = match self.sort.trim() {
            "" => Some(Sort::default()),
            code => errors.check("sort", Sort::from_code(code).ok_or(ErrorCode::Invalid)),
        };
        let page = crate::domain::Page::parse(&self.page, &self.per_page, 24, 100)
            .map_err(|refused| errors.0.extend(refused.0))
            .ok();
        let Some(page) = page.filter(|_| errors.is_empty()) else {
            return Err(errors);
        };
        Ok(ProductFilter {
            terms: crate::domain::search::query_terms(&self.q),
            province: optional(&self.province),
            region: optional(&self.region),
            category: optional(&self.category),
            label,
            cooperative,
            in_stock: matches!(self.in_stock.trim(), "1" | "true" | "on" | "yes"),
            min_price,
            max_price,
            sort: sort.unwrap_or_default(),
            page,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProductPage {
    pub items: Vec<ProductCard>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
    /// True when more than `total` products match: the catalogue stops counting a
    /// thousand matches past the page (`search::COUNT_AHEAD`).
    #[serde(default)]
    pub more: bool,
}

/// One problem of an imported file: where, and what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImportProblem {
    /// The line of the file, counting the header as line 1.
    pub line: u64,
    pub column: String,
    pub code: ErrorCode,
}

/// What an import would do, or did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub problems: Vec<ImportProblem>,
    pub applied: bool,
}
