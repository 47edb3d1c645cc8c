//! Messages to users: an outbox written in the same transaction as the change it tells
//! about, shown in the app and sent by email when an SMTP server is configured.
pub mod api;
#[cfg(feature = "ssr")]
pub mod service;
mod views;

pub use views::NotificationsPage;

use crate::domain::markets::ApplicationStatus;
use crate::i18n::*;
use serde::{Deserialize, Serialize};

/// What happened, with what the message needs to name it in any language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    ApplicationDecided,
    StandAssigned,
    EventChanged,
    EventPublished,
    EventCancelled,
    ApplicationReceived,
    /// To a cooperative: an order part for it is placed (or its card payment came in).
    OrderReceived,
    /// To a cooperative: a buyer cancelled a part it had been told of.
    OrderCancelled,
    /// To a buyer: a part is ready to collect, handed over, shipped, cancelled by its
    /// cooperative (with the reason) or refunded.
    PartReady,
    PartHandedOver,
    PartShipped,
    PartCancelled,
    PartRefunded,
    /// To a cooperative: a buyer moved an order to another pickup place.
    OrderMoved,
}

impl NotificationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ApplicationDecided => "application_decided",
            Self::StandAssigned => "stand_assigned",
            Self::EventChanged => "event_changed",
            Self::EventPublished => "event_published",
            Self::EventCancelled => "event_cancelled",
            Self::ApplicationReceived => "application_received",
            Self::OrderReceived => "order_received",
            Self::OrderCancelled => "order_cancelled",
            Self::PartReady => "part_ready",
            Self::PartHandedOver => "part_handed_over",
            Self::PartShipped => "part_shipped",
            Self::PartCancelled => "part_cancelled",
            Self::PartRefunded => "part_refunded",
            Self::OrderMoved => "order_moved",
        }
    }

    pub const ALL: [Self; 14] = [
        Self::ApplicationDecided,
        Self::StandAssigned,
        Self::EventChanged,
        Self::EventPublished,
        Self::EventCancelled,
        Self::ApplicationReceived,
        Self::OrderReceived,
        Self::OrderCancelled,
        Self::PartReady,
        Self::PartHandedOver,
        Self::PartShipped,
        Self::PartCancelled,
        Self::PartRefunded,
        Self::OrderMoved,
    ];

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == code)
    }

    /// Where the message leads: the buyer's order (a market change about it too), or the
    /// cooperative's orders.
    pub fn link(self, params: &NotificationParams, event_id: Option<i64>) -> Option<String> {
        match (self, params.order) {
            (Self::OrderReceived | Self::OrderCancelled | Self::OrderMoved, Some(_)) => {
                Some("/cooperative/orders".to_owned())
            }
            (
                Self::EventChanged
                | Self::EventCancelled
                | Self::PartReady
                | Self::PartHandedOver
                | Self::PartShipped
                | Self::PartCancelled
                | Self::PartRefunded,
                Some(order),
            ) => Some(format!("/orders/{order}")),
            _ => event_id.map(|id| format!("/markets/{id}")),
        }
    }
}

/// The details a message names; stored as JSON beside the kind.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NotificationParams {
    /// The cooperative the message is about (French name; Arabic beside it when known).
    pub cooperative: String,
    pub cooperative_ar: String,
    pub event_fr: String,
    pub event_ar: String,
    pub status: Option<ApplicationStatus>,
    pub reason: String,
    pub stand: Option<i64>,
    /// The order a message about an order names.
    pub order: Option<i64>,
    /// An amount in centimes (an order part's total, a refund).
    pub amount: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub id: i64,
    pub kind: NotificationKind,
    pub event_id: Option<i64>,
    pub params: NotificationParams,
    pub created_at: i64,
    pub read: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotificationPage {
    pub items: Vec<Notification>,
    pub unread: i64,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

pub fn application_status_label(locale: Locale, status: ApplicationStatus) -> &'static str {
    match status {
        ApplicationStatus::Pending => td_string!(locale, application_pending),
        ApplicationStatus::Accepted => td_string!(locale, application_accepted),
        ApplicationStatus::Waitlisted => td_string!(locale, application_waitlisted),
        ApplicationStatus::Rejected => td_string!(locale, application_rejected),
        ApplicationStatus::Withdrawn => td_string!(locale, application_withdrawn),
    }
}

/// The message's title and details in a language (the page and the email share it).
pub fn message(
    locale: Locale,
    kind: NotificationKind,
    params: &NotificationParams,
) -> (String, Vec<String>) {
    let in_language = |fr: &str, ar: &str| {
        if locale == Locale::ar && !ar.is_empty() {
            ar.to_owned()
        } else {
            fr.to_owned()
        }
    };
    let event = in_language(&params.event_fr, &params.event_ar);
    let cooperative = in_language(&params.cooperative, &params.cooperative_ar);
    let title = match kind {
        NotificationKind::ApplicationDecided => td_string!(locale, notice_application_decided),
        NotificationKind::StandAssigned => td_string!(locale, notice_stand_assigned),
        NotificationKind::EventChanged => td_string!(locale, notice_event_changed),
        NotificationKind::EventPublished => td_string!(locale, notice_event_published),
        NotificationKind::EventCancelled => td_string!(locale, notice_event_cancelled),
        NotificationKind::ApplicationReceived => td_string!(locale, notice_application_received),
        NotificationKind::OrderReceived => td_string!(locale, notice_order_received),
        NotificationKind::OrderCancelled => td_string!(locale, notice_order_cancelled),
        NotificationKind::PartReady => td_string!(locale, notice_part_ready),
        NotificationKind::PartHandedOver => td_string!(locale, notice_part_handed_over),
        NotificationKind::PartShipped => td_string!(locale, notice_part_shipped),
        NotificationKind::PartCancelled => td_string!(locale, notice_part_cancelled),
        NotificationKind::PartRefunded => td_string!(locale, notice_part_refunded),
        NotificationKind::OrderMoved => td_string!(locale, notice_order_moved),
    };
    let mut details = Vec::new();
    if !event.is_empty() {
        details.push(event);
    }
    if let Some(order) = params.order {
        details.push(format!("{} {order}", td_string!(locale, notice_order)));
    }
    if !cooperative.is_empty() {
        details.push(cooperative);
    }
    if let Some(amount) = params.amount {
        details.push(format!(
            "{} {}",
            td_string!(locale, notice_amount),
            crate::ui::money::price_text(locale, amount)
        ));
    }
    if let Some(status) = params.status {
        details.push(format!(
            "{} {}",
            td_string!(locale, notice_decision),
            application_status_label(locale, status)
        ));
    }
    if let Some(stand) = params.stand {
        details.push(format!("{} {stand}", td_string!(locale, notice_stand)));
    }
    if !params.reason.is_empty() {
        details.push(format!(
            "{} {}",
            td_string!(locale, notice_reason),
            params.reason
        ));
    }
    (title.to_owned(), details)
}
