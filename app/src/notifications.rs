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
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [
            Self::ApplicationDecided,
            Self::StandAssigned,
            Self::EventChanged,
            Self::EventPublished,
            Self::EventCancelled,
            Self::ApplicationReceived,
        ]
        .into_iter()
        .find(|k| k.as_str() == code)
    }
}

/// The details a message names; stored as JSON beside the kind.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NotificationParams {
    /// The cooperative an organiser's message is about.
    pub cooperative: String,
    pub event_fr: String,
    pub event_ar: String,
    pub status: Option<ApplicationStatus>,
    pub reason: String,
    pub stand: Option<i64>,
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
    let event = if locale == Locale::ar && !params.event_ar.is_empty() {
        params.event_ar.clone()
    } else {
        params.event_fr.clone()
    };
    let title = match kind {
        NotificationKind::ApplicationDecided => td_string!(locale, notice_application_decided),
        NotificationKind::StandAssigned => td_string!(locale, notice_stand_assigned),
        NotificationKind::EventChanged => td_string!(locale, notice_event_changed),
        NotificationKind::EventPublished => td_string!(locale, notice_event_published),
        NotificationKind::EventCancelled => td_string!(locale, notice_event_cancelled),
        NotificationKind::ApplicationReceived => td_string!(locale, notice_application_received),
    };
    let mut details = vec![event];
    if !params.cooperative.is_empty() {
        details.push(params.cooperative.clone());
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
