//! Orders: the cart, checkout, holds on stock, each cooperative's part and its packing
//! list per stop, hand-over by pickup code, cancelling, and the expiry of holds.
use crate::domain::orders::{Fulfilment, PartStatus, PaymentMethod, PaymentStatus};
use serde::{Deserialize, Serialize};

pub mod api;
#[cfg(feature = "ssr")]
pub mod cart;
#[cfg(feature = "ssr")]
pub mod delivery;
#[cfg(feature = "ssr")]
pub mod expiry;
#[cfg(feature = "ssr")]
pub mod facts;
#[cfg(feature = "ssr")]
pub mod fulfil;
#[cfg(feature = "ssr")]
pub(crate) mod history;
#[cfg(feature = "ssr")]
pub mod holds;
#[cfg(feature = "ssr")]
pub mod loads;
#[cfg(feature = "ssr")]
pub mod market;
#[cfg(feature = "ssr")]
pub(crate) mod notices;
#[cfg(feature = "ssr")]
pub mod packing;
#[cfg(feature = "ssr")]
pub mod pickup;
#[cfg(feature = "ssr")]
pub mod place;
#[cfg(feature = "ssr")]
pub mod qr;
#[cfg(feature = "ssr")]
pub mod read;
pub mod views;

pub use views::{
    CartPage, CooperativeDeliveryPage, CooperativeOrdersPage, HandOverPage, MyOrdersPage, OrderPage,
};

/// A pickup place as a form names it: `event:ID` (a salon) or `stop:ID` (a tour stop).
pub fn parse_pickup(value: &str) -> Option<crate::domain::orders::PickupPoint> {
    use crate::domain::orders::PickupPoint;
    match value.split_once(':')? {
        ("event", id) => id.parse().ok().map(PickupPoint::Salon),
        ("stop", id) => id.parse().ok().map(PickupPoint::Stop),
        _ => None,
    }
}

/// The form value of a pickup place (what `parse_pickup` reads).
pub fn pickup_value(event_id: i64, stop_id: Option<i64>) -> String {
    match stop_id {
        Some(stop) => format!("stop:{stop}"),
        None => format!("event:{event_id}"),
    }
}

/// A line of an order as it was bought.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderLine {
    pub product_id: i64,
    pub name_fr: String,
    pub name_ar: String,
    pub name_en: String,
    pub unit: String,
    pub unit_price: i64,
    pub quantity: i64,
    pub total: i64,
}

/// One cooperative's part of an order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderPart {
    pub id: i64,
    pub cooperative_id: i64,
    pub cooperative_fr: String,
    pub cooperative_ar: String,
    pub status: PartStatus,
    pub subtotal: i64,
    pub delivery_fee: i64,
    pub cancel_reason: String,
    pub lines: Vec<OrderLine>,
}

/// A step of the status timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderStep {
    pub part_id: Option<i64>,
    pub status: String,
    pub note: String,
    pub at: i64,
}

/// Where a pickup order is collected, as shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PickupPlace {
    pub event_id: i64,
    pub stop_id: Option<i64>,
    pub event_fr: String,
    pub event_ar: String,
    pub site_fr: String,
    pub site_ar: String,
    pub day: String,
    pub opens_at: i64,
    pub closes_at: i64,
    /// The organiser cancelled the market: its buyers may cancel what is still open
    /// (prepared or not) or move it to another pickup place.
    pub cancelled: bool,
}

/// An order as its buyer (or a cooperative concerned, seeing only its own parts) sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Order {
    pub id: i64,
    /// Whether the viewer is the buyer (else a cooperative seeing its own part).
    pub mine: bool,
    pub buyer_name: String,
    pub fulfilment: Fulfilment,
    pub pickup: Option<PickupPlace>,
    pub province: Option<String>,
    pub address: String,
    pub payment: PaymentMethod,
    pub payment_status: PaymentStatus,
    pub subtotal: i64,
    pub fees: i64,
    pub total: i64,
    pub refunded: i64,
    /// The pickup code: shown to the buyer only.
    pub pickup_code: Option<String>,
    /// The QR code of the pickup code, as SVG (buyer only).
    pub pickup_qr: Option<String>,
    /// Where an unpaid card order is paid, until `hold_expires_at`.
    pub checkout_url: Option<String>,
    pub hold_expires_at: Option<i64>,
    pub parts: Vec<OrderPart>,
    pub history: Vec<OrderStep>,
    pub created_at: i64,
}

/// A row of "my orders".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderSummary {
    pub id: i64,
    pub fulfilment: Fulfilment,
    pub payment_status: PaymentStatus,
    pub total: i64,
    pub statuses: Vec<PartStatus>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderList {
    pub items: Vec<OrderSummary>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

/// A part as its cooperative sees it in its list of orders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartSummary {
    pub part_id: i64,
    pub order_id: i64,
    pub buyer_name: String,
    pub fulfilment: Fulfilment,
    pub payment: PaymentMethod,
    pub payment_status: PaymentStatus,
    pub status: PartStatus,
    pub place: String,
    pub day: String,
    pub total: i64,
    pub lines: Vec<OrderLine>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartList {
    pub items: Vec<PartSummary>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

/// What a cooperative brings to one pickup point: the products buyers reserved there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackingList {
    pub event_id: i64,
    pub stop_id: Option<i64>,
    pub event_fr: String,
    pub event_ar: String,
    pub site_fr: String,
    pub site_ar: String,
    pub day: String,
    pub items: Vec<PackingItem>,
    /// The orders to hand over there, with what each holds.
    pub orders: Vec<PartSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackingItem {
    pub product_id: i64,
    pub name_fr: String,
    pub name_ar: String,
    pub name_en: String,
    pub unit: String,
    pub quantity: i64,
    pub orders: i64,
}

/// A line of the cart, with what the product costs and has now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CartLine {
    pub product_id: i64,
    pub name_fr: String,
    pub name_ar: String,
    pub name_en: String,
    pub unit: String,
    pub unit_price: i64,
    pub quantity: i64,
    pub available: i64,
    pub cooperative_id: i64,
    pub cooperative_fr: String,
    pub cooperative_ar: String,
}

/// A place to collect at, with the cooperatives taking part there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PickupOption {
    pub event_id: i64,
    pub stop_id: Option<i64>,
    pub label_fr: String,
    pub label_ar: String,
    pub day: String,
    pub cooperatives: Vec<i64>,
}

/// A cooperative's delivery fee to a province.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryFee {
    pub cooperative_id: i64,
    pub province_code: String,
    pub fee: i64,
}

/// The cart and what checkout can offer for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cart {
    pub lines: Vec<CartLine>,
    pub pickups: Vec<PickupOption>,
    pub delivery_fees: Vec<DeliveryFee>,
    pub card_enabled: bool,
    /// A fresh idempotency key for this checkout page: a double click or a retried
    /// submit finds the first order.
    pub checkout_key: String,
}

/// The answer to a placed order: where it is and, for a card payment, where to pay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Placed {
    pub order_id: i64,
    /// False when the idempotency key found an order placed before.
    pub created: bool,
    pub checkout_url: Option<String>,
}
