//! Inventory as a ledger: every stock change is a movement row, the product's available
//! level moves with it in the same transaction, and a check proves the two agree.
pub mod api;
#[cfg(feature = "ssr")]
pub mod service;
mod views;

pub use views::{LowStockAlerts, StockPanel};

use crate::domain::MovementKind;
use serde::{Deserialize, Serialize};

/// One row of a product's stock history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Movement {
    pub id: i64,
    pub kind: MovementKind,
    pub quantity: i64,
    pub reason: String,
    pub by: Option<String>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MovementPage {
    pub items: Vec<Movement>,
    pub available: i64,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

/// A product at or below its low-stock threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LowStock {
    pub product_id: i64,
    pub name_fr: String,
    pub name_ar: String,
    pub name_en: String,
    pub available: i64,
    pub threshold: i64,
}

/// A product whose stored level differs from the sum of its movements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockMismatch {
    pub product_id: i64,
    pub available: i64,
    pub ledger: i64,
}
