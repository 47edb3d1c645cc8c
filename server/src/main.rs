//! `souk`: parses the command line and hands over to the library.
use clap::{Args, Parser, Subcommand};
use souk::config::Config;
use souk::{prepare_database, seed, Application};
use std::io::BufRead;
use std::process::ExitCode;
use std::time::Duration;
use tracing_subscriber::EnvFilter;

/// Souk: the marketplace and market logistics of the Fès-Meknès social and solidarity economy hub.
#[derive(Parser)]
#[command(name = "souk", version)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Args)]
struct Global {
    /// Address to listen on (host:port)
    #[arg(
        long,
        env = "SOUK_ADDR",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    addr: String,
    /// sqlite://PATH (created when missing) or postgres://USER@HOST/DB
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/souk.db",
        global = true
    )]
    database_url: String,
    /// Folder holding the built wasm, JS and CSS (cargo-leptos's site root)
    #[arg(
        long,
        env = "SOUK_SITE_ROOT",
        default_value = "target/site",
        global = true
    )]
    site_root: String,
    /// Folder for uploaded files (product photos)
    #[arg(long, env = "SOUK_DATA_DIR", default_value = "data", global = true)]
    data_dir: String,
    /// At most this many malloc arenas (glibc; 0: its default of 8 per core)
    #[arg(long, env = "SOUK_MALLOC_ARENAS", default_value_t = 0, global = true)]
    malloc_arenas: u32,
    /// Give freed memory back to the system this often, in seconds (0: never)
    #[arg(
        long,
        env = "SOUK_MALLOC_TRIM_SECS",
        default_value_t = 10,
        global = true
    )]
    malloc_trim_secs: u64,
    /// Mark cookies Secure (when Souk is served over TLS)
    #[arg(long, env = "SOUK_SECURE_COOKIES", global = true)]
    secure_cookies: bool,
    /// Email notifications through this SMTP server (smtp://host:25, smtps://user:pass@host,
    /// smtp://host:587?tls=required); without it the in-app messages are the record
    #[arg(long, env = "SOUK_SMTP_URL", global = true, hide_env_values = true)]
    smtp_url: Option<String>,
    /// The sender of notification emails
    #[arg(long, env = "SOUK_MAIL_FROM", default_value = souk::config::DEFAULT_MAIL_FROM, global = true)]
    mail_from: String,
    /// The address people reach Souk at, for the links in pickup QR codes and payment
    /// redirects (default http://ADDR)
    #[arg(long, env = "SOUK_PUBLIC_URL", global = true)]
    public_url: Option<String>,
    /// The region this hub serves first, by code: its provinces on the home page
    #[arg(long, env = "SOUK_HOME_REGION", default_value = app::state::DEFAULT_HOME_REGION, global = true)]
    home_region: String,
    /// How long an unpaid card checkout holds its stock, in minutes
    #[arg(long, env = "SOUK_CARD_HOLD_MINUTES", default_value_t = 15, global = true,
          value_parser = clap::value_parser!(i64).range(1..=1440))]
    card_hold_minutes: i64,
    /// The platform's fee on card payments, in basis points (300 = 3 %)
    #[arg(long, env = "SOUK_PLATFORM_FEE_BPS", default_value_t = 300, global = true,
          value_parser = clap::value_parser!(i64).range(0..=5000))]
    platform_fee_bps: i64,
    /// Stripe's secret key: with the webhook secret, buyers can pay by card
    #[arg(long, env = "STRIPE_SECRET_KEY", global = true, hide_env_values = true)]
    stripe_secret_key: Option<String>,
    /// The signing secret of Souk's Stripe webhook endpoint (/api/v1/stripe/webhook)
    #[arg(
        long,
        env = "STRIPE_WEBHOOK_SECRET",
        global = true,
        hide_env_values = true
    )]
    stripe_webhook_secret: Option<String>,
    /// Proxies whose X-Forwarded-For names the client, as CIDRs (10.0.0.0/8,fd00::/8)
    #[arg(
        long,
        env = "SOUK_TRUSTED_PROXIES",
        value_delimiter = ',',
        global = true
    )]
    trusted_proxies: Vec<ipnet::IpNet>,
    /// Serve without per-address rate limits (load tests from one machine)
    #[arg(long, env = "SOUK_NO_RATE_LIMITS", global = true)]
    no_rate_limits: bool,
    /// Another Stripe API base (a Stripe-compatible test server, e.g. `souk stripe-mock`)
    #[arg(long, env = "STRIPE_API_BASE", global = true)]
    stripe_api_base: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application and API (the default)
    Serve {
        /// Do not create the demo accounts on a database without users
        #[arg(long, env = "SOUK_NO_DEMO")]
        no_demo: bool,
    },
    /// Create the database if missing and apply the migrations
    Migrate,
    /// Load the reference territory, and with --demo the demo accounts and catalogue
    Seed {
        /// Also create one demo account per role and the demo cooperatives and products
        #[arg(long)]
        demo: bool,
        /// Also generate this many products (for benchmarks)
        #[arg(long)]
        products: Option<u64>,
        /// Also generate this many cooperatives over the 75 provinces, two products each
        /// (for the council's benchmark)
        #[arg(long)]
        cooperatives: Option<u64>,
        /// Also generate this many past orders over the last year (for the council's
        /// benchmark; history only: they move no stock)
        #[arg(long)]
        orders: Option<u64>,
        /// Also load a territory file: the whole Kingdom (the shape of
        /// migrations/seed/kingdom.json; without FILE, the shipped one) or one region (the
        /// shape of migrations/seed/fes-meknes.json). One transaction: all or nothing.
        #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "")]
        territory: Option<String>,
    },
    /// Copy the SQLite store and its photos into FILE (a new file), even while serving
    Backup { file: std::path::PathBuf },
    /// Make the store at DATABASE_URL (a new file) and its photos from a backup
    Restore { file: std::path::PathBuf },
    /// Check the data: `souk check stock` proves every stock level equals its ledger
    Check {
        #[command(subcommand)]
        what: CheckCommand,
    },
    /// Measure: `souk bench search [--rounds N]` times the catalogue's queries
    Bench {
        #[command(subcommand)]
        what: BenchCommand,
    },
    /// Tour routing: `souk tours solve-solomon FILE [--seconds N]` solves a Solomon VRPTW
    /// instance with the tour planner's solver and prints {"routes": [[customers], ...]}
    Tours {
        #[command(subcommand)]
        what: ToursCommand,
    },
    /// A Stripe-compatible test server on loopback (checkout sessions, refunds,
    /// transfers, signed webhooks), to try card payments without Stripe
    StripeMock {
        /// Where it listens
        #[arg(long, default_value = "127.0.0.1:12111")]
        listen: String,
        /// Souk's webhook endpoint
        #[arg(long, default_value = "http://127.0.0.1:3000/api/v1/stripe/webhook")]
        webhook: String,
        /// The webhook signing secret (Souk's STRIPE_WEBHOOK_SECRET)
        #[arg(long, env = "STRIPE_WEBHOOK_SECRET")]
        secret: String,
    },
    /// Manage users
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Subcommand)]
enum CheckCommand {
    /// Every product's available stock equals the sum of its stock movements
    Stock,
    /// The council's order facts equal the orders' lines, and each table of monthly sums
    /// the sums of the facts
    Facts,
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Points placed into provinces per second, on the shipped Kingdom's outlines
    Territory {
        /// How many points (spread over Morocco's bounding box)
        #[arg(long, default_value_t = 10_000)]
        points: usize,
        /// How many times they are all placed (the median is printed)
        #[arg(long, default_value_t = 5)]
        rounds: usize,
    },
    /// The council's indicators on the current database (seed it with --cooperatives M
    /// --orders N): median and 95th percentile per filter
    Council {
        /// How many times each filter is read
        #[arg(long, default_value_t = 20)]
        rounds: usize,
    },
    /// The catalogue search and filters on the current database (seed it with --products N)
    Search {
        /// How many times each query runs
        #[arg(long, default_value_t = 50)]
        rounds: usize,
    },
    /// Order placements per second through HTTP, next to a raw-SQL reserve loop, on the
    /// current database (a database `souk serve` has seeded; it adds bench buyers)
    Orders {
        /// How many orders (each of one unit, all on one product)
        #[arg(long, default_value_t = 2000)]
        orders: usize,
        /// How many requests (and raw transactions) in flight at once
        #[arg(long, default_value_t = 32)]
        concurrency: usize,
    },
    /// A mixed load (pages, search, API, orders placed, cancelled and handed over) held
    /// against a `souk serve` of its own on the current database: per-route p50/p99, 5xx,
    /// and the server's memory every 10 s
    Soak {
        /// How long to hold the load
        #[arg(long, default_value_t = 600)]
        seconds: u64,
        /// How many clients, each sending its next request as soon as one is answered
        #[arg(long, default_value_t = 16)]
        concurrency: usize,
    },
}

#[derive(Subcommand)]
enum ToursCommand {
    /// Solve a Solomon VRPTW instance (fewest vehicles, then shortest distance)
    SolveSolomon {
        /// The instance file (e.g. ../shared/benchmarks/solomon/c101.txt)
        file: String,
        /// Search time in seconds
        #[arg(long, default_value_t = 10.0)]
        seconds: f64,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user of any role (the first admin of a deployment)
    Create {
        #[arg(long)]
        email: String,
        /// buyer, cooperative, organiser or admin
        #[arg(long)]
        role: String,
        /// The name shown in the app (default: the email)
        #[arg(long)]
        name: Option<String>,
        /// The password; read from SOUK_PASSWORD or the first line of standard input when absent
        #[arg(long, env = "SOUK_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Give an organiser or admin the regions they plan, decide and pay out in (region
    /// codes, comma-separated; empty: the whole Kingdom)
    Regions {
        #[arg(long)]
        email: String,
        #[arg(long, value_delimiter = ',', num_args = 0..)]
        regions: Vec<String>,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .init();
    let cli = Cli::parse();
    souk::memory::limit_arenas(cli.global.malloc_arenas);
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("souk: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let g = cli.global;
    let command = cli.command.unwrap_or(Command::Serve { no_demo: false });
    let seed_demo = matches!(command, Command::Serve { no_demo: false });
    let config = Config {
        data_dir: g.data_dir,
        smtp_url: g.smtp_url.filter(|url| !url.trim().is_empty()),
        mail_from: g.mail_from,
        public_url: g.public_url.filter(|url| !url.trim().is_empty()),
        home_region: g.home_region,
        trusted_proxies: g.trusted_proxies,
        rate_limits: (!g.no_rate_limits).then(souk::limits::RateLimits::default),
        card_hold_secs: g.card_hold_minutes * 60,
        platform_fee_bps: g.platform_fee_bps,
        card: match (g.stripe_secret_key, g.stripe_webhook_secret) {
            (Some(secret_key), Some(webhook_secret))
                if !secret_key.trim().is_empty() && !webhook_secret.trim().is_empty() =>
            {
                Some(app::payments::gateway::CardSettings {
                    secret_key,
                    webhook_secret,
                    api_base: g.stripe_api_base.filter(|url| !url.trim().is_empty()),
                })
            }
            _ => None,
        },
        ..Config::new(
            &g.addr,
            &g.database_url,
            &g.site_root,
            g.secure_cookies,
            seed_demo,
        )
        .map_err(|e| e.to_string())?
    };
    match command {
        Command::Serve { .. } => serve(config, Duration::from_secs(g.malloc_trim_secs)).await,
        Command::Migrate => {
            let db = app::db::Db::connect(&config.database_url)
                .await
                .map_err(|e| e.to_string())?;
            db.migrate().await.map_err(|e| e.to_string())?;
            println!("database migrated");
            Ok(())
        }
        Command::Seed {
            demo,
            products,
            cooperatives,
            orders,
            territory,
        } => {
            let data_dir = std::path::PathBuf::from(&config.data_dir);
            let db = prepare_database(&Config {
                seed_demo: false,
                ..config
            })
            .await
            .map_err(|e| e.to_string())?;
            if let Some(file) = territory.as_deref() {
                seed::territory(&db, Some(file).filter(|f| !f.is_empty()))
                    .await
                    .map_err(|e| e.to_string())?;
            }
            if demo {
                seed::demo(&db).await.map_err(|e| e.to_string())?;
                seed::demo_catalogue(&db, &data_dir)
                    .await
                    .map_err(|e| e.to_string())?;
                seed::demo_markets(&db).await.map_err(|e| e.to_string())?;
            }
            if let Some(n) = products {
                let started = std::time::Instant::now();
                let written = seed::benchmark_products(&db, &data_dir, n)
                    .await
                    .map_err(|e| e.to_string())?;
                println!(
                    "{written} products generated in {:.1} s",
                    started.elapsed().as_secs_f64()
                );
            }
            if let Some(m) = cooperatives {
                let started = std::time::Instant::now();
                seed::council::cooperatives(&db, &data_dir, m)
                    .await
                    .map_err(|e| e.to_string())?;
                println!(
                    "{m} cooperatives generated in {:.1} s",
                    started.elapsed().as_secs_f64()
                );
            }
            if let Some(n) = orders {
                let started = std::time::Instant::now();
                seed::council::orders(&db, n)
                    .await
                    .map_err(|e| e.to_string())?;
                println!(
                    "{n} orders generated in {:.1} s",
                    started.elapsed().as_secs_f64()
                );
            }
            println!("database seeded");
            Ok(())
        }
        Command::Bench {
            what: BenchCommand::Territory { points, rounds },
        } => souk::bench::territory::run(points, rounds),
        Command::Bench {
            what: BenchCommand::Council { rounds },
        } => {
            let db = app::db::Db::connect(&config.database_url)
                .await
                .map_err(|e| e.to_string())?;
            db.migrate().await.map_err(|e| e.to_string())?;
            app::orders::facts::redate(&db)
                .await
                .map_err(|e| e.to_string())?;
            souk::bench::council::run(&db, rounds).await
        }
        Command::Bench {
            what: BenchCommand::Search { rounds },
        } => {
            let db = app::db::Db::connect(&config.database_url)
                .await
                .map_err(|e| e.to_string())?;
            db.migrate().await.map_err(|e| e.to_string())?;
            souk::bench::search_latency(&db, rounds).await
        }
        Command::Bench {
            what:
                BenchCommand::Orders {
                    orders,
                    concurrency,
                },
        } => {
            let config = Config {
                seed_demo: true,
                ..config
            };
            souk::bench::orders::run(
                config,
                souk::bench::orders::OrdersBench {
                    orders,
                    concurrency,
                },
            )
            .await
        }
        Command::Bench {
            what:
                BenchCommand::Soak {
                    seconds,
                    concurrency,
                },
        } => {
            souk::bench::soak::run(
                &config.database_url,
                souk::bench::soak::SoakBench {
                    seconds,
                    concurrency,
                },
            )
            .await
        }
        Command::Tours {
            what: ToursCommand::SolveSolomon { file, seconds },
        } => solve_solomon(&file, seconds),
        Command::StripeMock {
            listen,
            webhook,
            secret,
        } => {
            let mock = souk::stripe_mock::StripeMock::start(&listen, &webhook, &secret)
                .await
                .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
            println!("Stripe-compatible test server on {}", mock.base());
            tokio::signal::ctrl_c().await.map_err(|e| e.to_string())?;
            Ok(())
        }
        Command::Check { what } => {
            let db = app::db::Db::connect(&config.database_url)
                .await
                .map_err(|e| e.to_string())?;
            db.migrate().await.map_err(|e| e.to_string())?;
            match what {
                CheckCommand::Stock => souk::check::stock(&db).await,
                CheckCommand::Facts => souk::check::facts(&db).await,
            }
        }
        Command::Backup { file } => {
            let done =
                souk::backup::backup(&config.database_url, config.data_dir.as_ref(), &file).await?;
            println!(
                "backup written to {}: {} bytes, {} photo files",
                file.display(),
                done.bytes,
                done.photos
            );
            Ok(())
        }
        Command::Restore { file } => {
            let done = souk::backup::restore(&config.database_url, config.data_dir.as_ref(), &file)
                .await?;
            println!(
                "restored {} into {}: {} bytes, {} photo files; run `souk check stock` to verify",
                file.display(),
                app::db::redact(&config.database_url),
                done.bytes,
                done.photos
            );
            Ok(())
        }
        Command::User {
            command: UserCommand::Regions { email, regions },
        } => {
            let db = prepare_database(&Config {
                seed_demo: false,
                ..config
            })
            .await
            .map_err(|e| e.to_string())?;
            let regions: Vec<String> = regions
                .into_iter()
                .map(|r| r.trim().to_owned())
                .filter(|r| !r.is_empty())
                .collect();
            let user = app::accounts::regions::user_id_by_email(&db, &email)
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("no user {email}"))?;
            app::accounts::regions::set_regions(&db, user, &regions)
                .await
                .map_err(|e| match e {
                    app::error::AppError::Invalid(_) => {
                        format!("unknown region among {}", regions.join(", "))
                    }
                    other => other.to_string(),
                })?;
            if regions.is_empty() {
                println!("{email} acts across the Kingdom");
            } else {
                println!("{email} acts in {}", regions.join(", "));
            }
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Create {
                    email,
                    role,
                    name,
                    password,
                },
        } => {
            let password = match password {
                Some(password) => password,
                None => std::io::stdin()
                    .lock()
                    .lines()
                    .next()
                    .transpose()
                    .map_err(|e| e.to_string())?
                    .unwrap_or_default(),
            };
            let db = prepare_database(&Config {
                seed_demo: false,
                ..config
            })
            .await
            .map_err(|e| e.to_string())?;
            let form = app::accounts::NewUserForm {
                display_name: name.unwrap_or_else(|| email.clone()),
                email,
                password,
                role,
            };
            match app::accounts::service::create_user_unchecked(&db, &form).await {
                Ok(user) => {
                    println!(
                        "created {} ({}) with id {}",
                        user.email,
                        user.role.as_str(),
                        user.id
                    );
                    Ok(())
                }
                Err(app::error::AppError::Invalid(fields)) => Err(fields
                    .0
                    .iter()
                    .map(|(field, code)| {
                        format!(
                            "{field}: {}",
                            app::ui::errors::error_text(app::i18n::Locale::en, *code)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ")),
                Err(error) => Err(error.to_string()),
            }
        }
    }
}

async fn serve(config: Config, trim: Duration) -> Result<(), String> {
    souk::memory::spawn_trim(trim);
    let app = Application::build(config)
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!(addr = %app.local_addr(), engine = ?app.db().engine(), "Souk is serving on http://{}", app.local_addr());
    app.run_until(shutdown_signal())
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!("stopped");
    Ok(())
}

/// Ctrl-C or SIGTERM: stop accepting, let in-flight requests finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}

/// Solves a benchmark instance with the product's solver and settings; the summary goes to
/// standard error so standard output is exactly the routes.
fn solve_solomon(file: &str, seconds: f64) -> Result<(), String> {
    use app::tours::{solomon, solver};
    if !(seconds > 0.0 && seconds <= 3600.0) {
        return Err("--seconds must be between 0 and 3600".into());
    }
    let text = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
    let routing = solomon::parse(&text).map_err(|e| format!("{file}: {e}"))?;
    let started = std::time::Instant::now();
    let progress = std::sync::Arc::new(solver::Progress::default());
    let limits = solver::Limits {
        seconds,
        generations: None,
    };
    let solved = solver::solve(&routing, limits, progress).map_err(|e| e.to_string())?;
    if !solved.unserved.is_empty() {
        return Err(format!(
            "{} customers could not be served",
            solved.unserved.len()
        ));
    }
    println!("{}", solomon::routes_json(&solved));
    eprintln!(
        "{} routes, {} generations in {:.1} s",
        solved.routes.len(),
        solved.generations,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
