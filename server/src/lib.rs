//! The `souk` server: builds the application from a `Config`, for `main` and tests alike.
pub mod backup;
pub mod bench;
pub mod check;
pub mod config;
pub mod jobs;
pub mod outbox;
pub mod seed;
pub mod stripe_mock;

pub mod api;
mod caching;
mod health;
pub mod limits;
mod media;
pub mod memory;
mod middleware;
mod preferences;
mod security;

use app::accounts::service::user_count;
use app::db::{Db, DbError};
use app::state::{AppState, Settings};
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::Router;
use config::Config;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Database(#[from] DbError),
    #[error(transparent)]
    Seed(#[from] seed::SeedFailure),
    #[error("cannot read the territory's outlines: {0}")]
    Territory(app::error::AppError),
    #[error("cannot put the order facts' days right: {0}")]
    Facts(app::error::AppError),
    #[error("cannot read the user count: {0}")]
    Count(app::error::AppError),
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, std::io::Error),
    #[error(transparent)]
    Mail(#[from] outbox::MailerError),
    #[error("cannot set up card payments: {0}")]
    Payments(String),
}

/// Connects to the database, creating, migrating and seeding it as needed.
pub async fn prepare_database(config: &Config) -> Result<Db, StartError> {
    let db = Db::connect(&config.database_url)
        .await?
        .with_clock(config.clock.clone());
    db.migrate().await?;
    let moved = app::orders::facts::redate(&db)
        .await
        .map_err(StartError::Facts)?;
    if moved > 0 {
        tracing::info!(moved, "orders' facts moved to their day in Morocco");
    }
    seed::territory(&db, None).await?;
    // Loaded once now so that maps draw the outlines from the first page on.
    app::territory::service::atlas(&db)
        .await
        .map_err(StartError::Territory)?;
    if config.seed_demo && user_count(&db).await.map_err(StartError::Count)? == 0 {
        seed::demo(&db).await?;
        seed::demo_catalogue(&db, std::path::Path::new(&config.data_dir)).await?;
        seed::demo_markets(&db).await?;
    }
    Ok(db)
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    mailer: Option<(outbox::Mailer, outbox::OutboxSettings)>,
    jobs_poll: Option<std::time::Duration>,
}

impl Application {
    pub async fn build(config: Config) -> Result<Self, StartError> {
        let mailer = match &config.smtp_url {
            Some(url) => Some((outbox::Mailer::new(url, &config.mail_from)?, config.outbox)),
            None => None,
        };
        let db = prepare_database(&config).await?;
        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|e| StartError::Bind(config.addr, e))?;
        let local_addr = listener
            .local_addr()
            .map_err(|e| StartError::Bind(config.addr, e))?;
        // A release build by cargo-leptos leaves `hash.txt` (the assets' hashed names)
        // beside the binary; test binaries and plain cargo builds have none.
        let hashed = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt").exists()))
            .unwrap_or(false);
        let leptos_options = LeptosOptions::builder()
            .output_name("souk")
            .site_root(config.site_root.as_str())
            .site_pkg_dir("pkg")
            .hash_files(hashed)
            .site_addr(local_addr)
            .build();
        let settings = Settings {
            secure_cookies: config.secure_cookies,
            data_dir: config.data_dir.clone().into(),
            email_enabled: mailer.is_some(),
            public_url: config
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{local_addr}")),
            card_hold_secs: config.card_hold_secs,
            platform_fee_bps: config.platform_fee_bps,
            trusted_proxies: config.trusted_proxies.clone(),
            home_region: config.home_region.clone(),
            ..Settings::default()
        };
        let gateway = match &config.card {
            Some(card) => Some(
                app::payments::gateway::Gateway::new(card)
                    .map_err(|e| StartError::Payments(e.to_string()))?,
            ),
            None => None,
        };
        let state = AppState {
            gateway,
            solver: app::tours::service::SolverSlots::default(),
            db,
            settings: Arc::new(settings),
            leptos_options,
        };
        let router = router(state.clone(), config.rate_limits.map(limits::Limiters::new));
        Ok(Self {
            listener,
            router,
            state,
            mailer,
            jobs_poll: config.jobs_poll,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or(self.state.leptos_options.site_addr)
    }

    pub fn db(&self) -> &Db {
        &self.state.db
    }

    /// Serves until `shutdown` resolves, then lets in-flight requests finish.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let sender = self
            .mailer
            .map(|(mailer, settings)| outbox::spawn(self.state.db.clone(), mailer, settings));
        let jobs = self.jobs_poll.map(|poll| {
            let outbox = app::notifications::service::Outbox::of(&self.state.settings);
            jobs::spawn(
                self.state.db.clone(),
                outbox,
                self.state.gateway.clone(),
                poll,
            )
        });
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        let served = axum::serve(self.listener, service)
            .with_graceful_shutdown(shutdown)
            .await;
        for task in sender.into_iter().chain(jobs) {
            task.abort();
        }
        served?;
        self.state.db.close().await;
        Ok(())
    }
}

/// Server functions live under `/api/`; a path under `/api/v1/` that no API route took
/// gets the API's JSON 404 rather than the server functions' plain-text one.
async fn server_fn_or_api_404(
    context: impl Fn() + Clone + Send + 'static,
    request: axum::extract::Request,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if request.uri().path().starts_with("/api/v1/") {
        let locale = api::request_locale(request.headers());
        return api::ApiError::new(app::error::AppError::not_found(), locale).into_response();
    }
    leptos_axum::handle_server_fns_with_context(context, request)
        .await
        .into_response()
}

fn router(state: AppState, limiters: Option<Arc<limits::Limiters>>) -> Router {
    let routes = generate_route_list(app::App);
    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
    };
    let shell = {
        let options = state.leptos_options.clone();
        move || app::shell(options.clone())
    };
    let router = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/lang/{code}", get(preferences::switch_language))
        .route("/region/{code}", get(preferences::choose_region))
        .route("/media/photos/{name}", get(media::photo))
        .nest("/api/v1", api::routes())
        .route("/api/{*fn_name}", {
            let context = context.clone();
            axum::routing::any(move |req| server_fn_or_api_404(context.clone(), req))
        })
        .leptos_routes_with_context(&state, routes, context.clone(), shell.clone())
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, app::shell))
        // Server functions (Leptos registers one route each) read up to the CSV import's
        // size; the API sets its own, smaller limits (`api::routes`).
        .layer(DefaultBodyLimit::max(middleware::SERVER_FN_BODY_LIMIT))
        .layer(axum::middleware::from_fn(middleware::complete_page_renders))
        .layer(axum::middleware::from_fn(middleware::mark_form_success))
        .layer(axum::middleware::from_fn(middleware::forget_typed_values))
        .layer(axum::middleware::from_fn(
            middleware::server_fn_error_status,
        ))
        .layer(axum::middleware::from_fn(middleware::refuse_cross_origin))
        .layer(axum::middleware::from_fn(
            middleware::refuse_oversized_bodies,
        ))
        .layer(axum::middleware::from_fn(caching::cache_headers))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::security_headers,
        ))
        // Pages and JSON compressed per request; assets are served precompressed (a
        // response that already has a `Content-Encoding` is left as it is).
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(axum::middleware::from_fn(middleware::trace_request))
        .with_state(state.clone());
    match limiters {
        // Outermost: a refused request costs no render, no query and no log line.
        Some(limiters) => router.layer(axum::middleware::from_fn_with_state(
            (state, limiters),
            limits::rate_limit,
        )),
        None => router,
    }
}
