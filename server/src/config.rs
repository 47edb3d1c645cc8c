//! Settings from flags and environment, checked once at start.
use app::db::Engine;
use std::net::SocketAddr;

pub const DEFAULT_MAIL_FROM: &str = "Souk <no-reply@souk.ma>";

/// Printed with `{:?}` (startup logs, panics): passwords in the database and SMTP
/// addresses are masked, and the card keys are masked by `CardSettings`'s own `Debug`.
#[derive(Clone)]
pub struct Config {
    /// Where to listen (`SOUK_ADDR`, host:port). Port 0 picks a free port (tests).
    pub addr: SocketAddr,
    /// `sqlite://PATH` (created when missing) or `postgres://...` (`DATABASE_URL`).
    pub database_url: String,
    /// The folder cargo-leptos builds the wasm, JS and CSS into.
    pub site_root: String,
    /// Mark cookies Secure: set when Souk is served over TLS.
    pub secure_cookies: bool,
    /// Seed demo accounts when the database has no user yet.
    pub seed_demo: bool,
    /// Where uploaded files are kept (`SOUK_DATA_DIR`, default `data`).
    pub data_dir: String,
    /// The SMTP server notifications are emailed through (`SOUK_SMTP_URL`); none: the
    /// outbox in the app is the record.
    pub smtp_url: Option<String>,
    /// The sender of those emails (`SOUK_MAIL_FROM`).
    pub mail_from: String,
    /// How the outbox's sender polls and retries.
    pub outbox: crate::outbox::OutboxSettings,
    /// The address people reach Souk at (`SOUK_PUBLIC_URL`); default `http://ADDR`.
    pub public_url: Option<String>,
    /// The region this hub serves first (`SOUK_HOME_REGION`, `fes-meknes`).
    pub home_region: String,
    /// How long an unpaid card checkout holds its stock (`SOUK_CARD_HOLD_MINUTES`, 15).
    pub card_hold_secs: i64,
    /// The platform's fee on card payments in basis points (`SOUK_PLATFORM_FEE_BPS`, 300).
    pub platform_fee_bps: i64,
    /// How often the expiry job looks for expired holds and no-shows; None: never
    /// (tests run it by hand).
    pub jobs_poll: Option<std::time::Duration>,
    /// Card payments, when `STRIPE_SECRET_KEY` and `STRIPE_WEBHOOK_SECRET` are both set.
    pub card: Option<app::payments::gateway::CardSettings>,
    /// The proxies whose `X-Forwarded-For` is believed (`SOUK_TRUSTED_PROXIES`, CIDRs).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Requests allowed per client address; None: no limit (load benches).
    pub rate_limits: Option<crate::limits::RateLimits>,
    /// The time services and jobs read: the system's; tests hold a fixed one.
    pub clock: app::clock::Clock,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("addr", &self.addr)
            .field("database_url", &app::db::redact(&self.database_url))
            .field("site_root", &self.site_root)
            .field("secure_cookies", &self.secure_cookies)
            .field("seed_demo", &self.seed_demo)
            .field("data_dir", &self.data_dir)
            .field("smtp_url", &self.smtp_url.as_deref().map(app::db::redact))
            .field("mail_from", &self.mail_from)
            .field("outbox", &self.outbox)
            .field("public_url", &self.public_url)
            .field("card_hold_secs", &self.card_hold_secs)
            .field("platform_fee_bps", &self.platform_fee_bps)
            .field("jobs_poll", &self.jobs_poll)
            .field("card", &self.card)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("rate_limits", &self.rate_limits)
            .field("clock", &self.clock)
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("SOUK_ADDR / --addr must be host:port, like 127.0.0.1:3000 (got {0:?})")]
    Addr(String),
    #[error("DATABASE_URL / --database-url must start with sqlite:// or postgres:// (got {0:?})")]
    DatabaseUrl(String),
}

impl Config {
    pub fn new(
        addr: &str,
        database_url: &str,
        site_root: &str,
        secure_cookies: bool,
        seed_demo: bool,
    ) -> Result<Self, ConfigError> {
        let addr = addr
            .parse()
            .map_err(|_| ConfigError::Addr(addr.to_owned()))?;
        Engine::of_url(database_url)
            .map_err(|_| ConfigError::DatabaseUrl(app::db::redact(database_url)))?;
        Ok(Self {
            addr,
            database_url: database_url.to_owned(),
            site_root: site_root.to_owned(),
            secure_cookies,
            seed_demo,
            data_dir: "data".to_owned(),
            smtp_url: None,
            mail_from: DEFAULT_MAIL_FROM.to_owned(),
            outbox: crate::outbox::OutboxSettings::default(),
            public_url: None,
            home_region: app::state::DEFAULT_HOME_REGION.to_owned(),
            card_hold_secs: 15 * 60,
            platform_fee_bps: 300,
            jobs_poll: Some(std::time::Duration::from_secs(15)),
            card: None,
            trusted_proxies: Vec::new(),
            rate_limits: Some(crate::limits::RateLimits::default()),
            clock: app::clock::Clock::system(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_malformed_address_or_url_is_refused_with_its_value() {
        let bad_addr = Config::new(
            "localhost",
            "sqlite://data/souk.db",
            "target/site",
            false,
            true,
        );
        assert!(matches!(bad_addr, Err(ConfigError::Addr(a)) if a == "localhost"));
        let bad_url = Config::new(
            "127.0.0.1:3000",
            "mysql://root@x/souk",
            "target/site",
            false,
            true,
        );
        assert!(matches!(bad_url, Err(ConfigError::DatabaseUrl(_))));
        assert!(Config::new(
            "127.0.0.1:0",
            "postgres://postgres@127.0.0.1/souk",
            "target/site",
            false,
            true
        )
        .is_ok());
    }

    #[test]
    fn secrets_never_reach_a_debug_print() {
        let config = Config {
            smtp_url: Some("smtp://mailer:smtp-s3cret@mail.example.ma:587".to_owned()),
            ..Config::new(
                "127.0.0.1:3000",
                "postgres://souk:db-s3cret@127.0.0.1/souk",
                "target/site",
                false,
                false,
            )
            .expect("valid")
        };
        let printed = format!("{config:?}");
        assert!(!printed.contains("s3cret"), "{printed}");
        assert!(printed.contains("mailer:***@mail.example.ma"), "{printed}");
        assert!(printed.contains("souk:***@127.0.0.1"), "{printed}");
    }
}
