//! What every request handler and server function is handed: no globals.
use crate::db::Db;
use leptos::config::LeptosOptions;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct Settings {
    /// Mark cookies `Secure` (behind TLS).
    pub secure_cookies: bool,
    /// How long a session lasts, in seconds.
    pub session_ttl_secs: i64,
    /// Failed sign-ins allowed per email within `login_window_secs`.
    pub login_max_failures: i64,
    /// Failed sign-ins allowed per client address within `login_window_secs`.
    pub login_max_failures_per_ip: i64,
    pub login_window_secs: i64,
    /// Where uploaded files (product photos) are kept.
    pub data_dir: PathBuf,
    /// Whether notifications also go out by email (an SMTP server is configured).
    pub email_enabled: bool,
    /// The address people reach Souk at (links in QR codes and payment redirects).
    pub public_url: String,
    /// How long an unpaid card checkout holds its stock, in seconds.
    pub card_hold_secs: i64,
    /// The platform's fee on card payments, in basis points (300 = 3 %).
    pub platform_fee_bps: i64,
    /// The proxies (load balancers) whose `X-Forwarded-For` names the client; from any
    /// other peer the header is ignored.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The region this hub serves first (its home page's provinces), by code.
    pub home_region: String,
}

/// The region a hub serves when none is configured.
pub const DEFAULT_HOME_REGION: &str = "fes-meknes";

impl Default for Settings {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            session_ttl_secs: 30 * 24 * 3600,
            login_max_failures: 5,
            login_max_failures_per_ip: 30,
            login_window_secs: 15 * 60,
            data_dir: PathBuf::from("data"),
            email_enabled: false,
            public_url: "http://127.0.0.1:3000".to_owned(),
            card_hold_secs: 15 * 60,
            platform_fee_bps: 300,
            trusted_proxies: Vec::new(),
            home_region: DEFAULT_HOME_REGION.to_owned(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub leptos_options: LeptosOptions,
    /// Tour solves running on this server (one at a time; the others queue).
    pub solver: crate::tours::service::SolverSlots,
    /// The card payment provider, when its keys are set; cash only without it.
    pub gateway: Option<crate::payments::gateway::Gateway>,
}

impl AppState {
    /// The time every service and job reads: the store's clock (`Db::clock`), so the
    /// services that are handed only the store read the same one; tests set it.
    pub fn clock(&self) -> &crate::clock::Clock {
        self.db.clock()
    }
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The state, from the Leptos context of a server function or a server render.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        crate::error::AppError::Internal
    })
}
