//! One data layer for SQLite and PostgreSQL through sqlx's `Any` driver.
//!
//! Every query is portable SQL with `$1` placeholders, integer money and timestamps and
//! `RETURNING`; DDL lives in one migrations folder per engine because the engines name
//! auto-increment and full-text search differently.
use crate::clock::Clock;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{MigrateDatabase, Migrator};
use sqlx::{Any, AnyPool, Executor, Transaction};
use std::future::Future;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

mod memo;
pub use memo::{REFERENCE_TTL, SHARED_TTL};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("DATABASE_URL must start with sqlite:// or postgres:// (got {0:?})")]
    UnsupportedUrl(String),
    #[error("cannot create the directory {path} for the SQLite database: {source}")]
    Directory {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot reach the database at {url}: {source}")]
    Unreachable { url: String, source: sqlx::Error },
    #[error("cannot migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    engine: Engine,
    /// The clock that stamps rows and decides what is due: the system's, or a test's.
    clock: Clock,
    /// Reads remembered for a few seconds (reference data, the markets map).
    memo: Arc<memo::Memo>,
}

impl Engine {
    pub fn of_url(url: &str) -> Result<Self, DbError> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            Err(DbError::UnsupportedUrl(url.to_owned()))
        }
    }
}

/// The URL with any password replaced, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme + 3], user, &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

impl Db {
    /// Connects, creating the database (and a SQLite file's directory) when missing.
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        sqlx::any::install_default_drivers();
        let engine = Engine::of_url(url)?;
        let unreachable = |source| DbError::Unreachable {
            url: redact(url),
            source,
        };
        if engine == Engine::Sqlite {
            ensure_sqlite_directory(url)?;
        }
        if !Any::database_exists(url).await.map_err(unreachable)? {
            Any::create_database(url).await.map_err(unreachable)?;
        }
        let options = AnyConnectOptions::from_str(url).map_err(unreachable)?;
        let pool = AnyPoolOptions::new()
            .max_connections(if engine == Engine::Sqlite { 8 } else { 10 })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if engine == Engine::Sqlite {
                        // WAL lets readers run beside the one writer; writers wait rather than fail.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        // Reads through a memory map of the file and a larger page cache
                        // instead of a system call and a copy per 4 KiB page: the council's
                        // indicators read whole indexes of the order facts.
                        conn.execute("PRAGMA mmap_size = 268435456").await?;
                        conn.execute("PRAGMA cache_size = -16384").await?;
                    } else {
                        // No parallel workers for one query: Souk's heavy reads (the
                        // council's indicators) already run as several queries side by
                        // side, and workers on top only contend for the same cores
                        // (measured on 2 cores: a Kingdom year 151/193 ms p50/p95 with
                        // them, 132/165 without). And random reads priced as the sequential
                        // ones nearly are here (the data is in memory or on SSD), so a
                        // programme's lines are read from the index by cooperative instead
                        // of a scan of every line (its buyers' pass: 165 ms, then 130).
                        conn.execute(
                            "SET max_parallel_workers_per_gather = 0; SET random_page_cost = 1.1",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(unreachable)?;
        Ok(Self {
            pool,
            engine,
            clock: Clock::system(),
            memo: Arc::default(),
        })
    }

    /// The same store read with `clock` (tests hold time still and move it).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Seconds since the Unix epoch, by the store's clock.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// What `load` reads, remembered under `key` for `ttl` (see `memo`); the owner of the
    /// rows calls `forget` with the key's prefix after each change it commits.
    pub async fn remembered<T, E, F>(&self, key: &str, ttl: Duration, load: F) -> Result<T, E>
    where
        T: Clone + Send + Sync + 'static,
        F: Future<Output = Result<T, E>>,
    {
        self.memo.get_or_load(key, ttl, load).await
    }

    /// The value last remembered under `key`, however old (see `Memo::last`).
    pub fn last<T: Clone + 'static>(&self, key: &str) -> Option<T> {
        self.memo.last(key)
    }

    /// Drops what is remembered under keys starting with `prefix`.
    pub fn forget(&self, prefix: &str) {
        self.memo.forget(prefix);
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// A transaction that writes. On SQLite it takes the write lock up front
    /// (`BEGIN IMMEDIATE`), so two writers queue instead of failing half-way.
    pub async fn begin_write(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        match self.engine {
            Engine::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Engine::Postgres => self.pool.begin().await,
        }
    }

    /// The SQL function of the smaller of two values: SQLite's `MIN(a, b)`, PostgreSQL's `LEAST(a, b)`.
    pub fn least(&self) -> &'static str {
        match self.engine {
            Engine::Sqlite => "MIN",
            Engine::Postgres => "LEAST",
        }
    }

    pub async fn migrate(&self) -> Result<(), DbError> {
        let migrator = match self.engine {
            Engine::Sqlite => &SQLITE_MIGRATIONS,
            Engine::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await?;
        Ok(())
    }

    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// The file of a `sqlite://` URL; None for PostgreSQL or an in-memory database.
pub fn sqlite_path(url: &str) -> Option<&str> {
    if Engine::of_url(url).ok()? != Engine::Sqlite {
        return None;
    }
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then_some(path)
}

/// The migration versions this build knows, for an engine.
pub fn known_migrations(engine: Engine) -> Vec<i64> {
    let migrator = match engine {
        Engine::Sqlite => &SQLITE_MIGRATIONS,
        Engine::Postgres => &POSTGRES_MIGRATIONS,
    };
    migrator.iter().map(|m| m.version).collect()
}

fn ensure_sqlite_directory(url: &str) -> Result<(), DbError> {
    let Some(path) = sqlite_path(url) else {
        return Ok(());
    };
    if let Some(parent) = std::path::Path::new(path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent).map_err(|source| DbError::Directory {
            path: parent.display().to_string(),
            source,
        })?;
    }
    Ok(())
}

/// Whether an error is a unique-constraint violation. PostgreSQL names the constraint;
/// SQLite does not, so callers only use this on statements that can break one constraint.
/// `$1, $2, ... $n`: the placeholders of an `IN (...)` list of `n` values.
pub fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn is_unique_violation(error: &sqlx::Error, constraint: &str) -> bool {
    match error {
        sqlx::Error::Database(db) if db.kind() == sqlx::error::ErrorKind::UniqueViolation => {
            db.constraint().is_none_or(|name| name == constraint)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_hidden_in_database_urls() {
        assert_eq!(
            redact("postgres://souk:secret@db:5432/souk"),
            "postgres://souk:***@db:5432/souk"
        );
        assert_eq!(
            redact("postgres://postgres@127.0.0.1/souk"),
            "postgres://postgres@127.0.0.1/souk"
        );
        assert_eq!(redact("sqlite://data/souk.db"), "sqlite://data/souk.db");
    }

    #[test]
    fn the_engine_follows_the_url() {
        assert_eq!(
            Engine::of_url("sqlite://data/souk.db").ok(),
            Some(Engine::Sqlite)
        );
        assert_eq!(
            Engine::of_url("postgres://postgres@127.0.0.1/souk").ok(),
            Some(Engine::Postgres)
        );
        assert!(Engine::of_url("mysql://root@localhost/souk").is_err());
    }
}
