//! The demo store, seeded once per engine and test binary, then copied for each test.
//!
//! Seeding the demo (accounts with their password hashes, 60 products with photos,
//! markets) takes about 2 s in a debug build, and nearly every test starts from it. The
//! first test of a run seeds a template through the real start-up path
//! (`souk::prepare_database`); every test then gets its own copy: a copied file on SQLite,
//! `CREATE DATABASE ... TEMPLATE` on PostgreSQL, and the photos copied into its data folder.
//! Tests run in separate processes (nextest), so the template is made under a file lock
//! and named after the test binary's build: a rebuilt binary seeds a new one.
use crate::support::{drop_database, postgres_server_url, Engine};
use std::path::{Path, PathBuf};

/// Makes `database_url` (not yet existing) and `data_dir` a copy of the seeded demo store.
pub async fn copy_demo_into(engine: Engine, database_url: &str, data_dir: &Path) {
    let template = ensure_template(engine).await;
    copy_dir(&template.media, data_dir);
    match engine {
        Engine::Sqlite => {
            let to = database_url
                .strip_prefix("sqlite://")
                .expect("an SQLite test URL");
            std::fs::copy(&template.sqlite_file, to).expect("the template database is copied");
        }
        Engine::Postgres => {
            let (_, name) = database_url
                .rsplit_once('/')
                .expect("a PostgreSQL test URL");
            let pool = admin_pool().await;
            sqlx::query(&format!(
                "CREATE DATABASE {name} TEMPLATE {}",
                template.postgres_name
            ))
            .execute(&pool)
            .await
            .expect("a test database is created from the template");
            pool.close().await;
        }
    }
}

struct Template {
    sqlite_file: PathBuf,
    postgres_name: String,
    media: PathBuf,
}

/// This test binary's build, as a short name part: a rebuild gets new templates.
fn build_key() -> String {
    use std::hash::{Hash, Hasher};
    let exe = std::env::current_exe().expect("the test binary's path");
    let meta = std::fs::metadata(&exe).expect("the test binary's metadata");
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    exe.hash(&mut hasher);
    meta.len().hash(&mut hasher);
    meta.modified().ok().hash(&mut hasher);
    format!("{:012x}", hasher.finish() & 0xffff_ffff_ffff)
}

async fn ensure_template(engine: Engine) -> Template {
    let key = build_key();
    let dir = std::env::temp_dir().join("souk_templates");
    std::fs::create_dir_all(&dir).expect("the templates folder");
    let engine_name = match engine {
        Engine::Sqlite => "sqlite",
        Engine::Postgres => "postgres",
    };
    let template = Template {
        sqlite_file: dir.join(format!("{key}.db")),
        postgres_name: format!("souk_template_{key}"),
        media: dir.join(format!("{key}_{engine_name}_media")),
    };
    let done = dir.join(format!("{key}_{engine_name}.done"));
    let lock = std::fs::File::create(dir.join(format!("{engine_name}.lock")))
        .expect("the templates lock file");
    lock.lock().expect("the templates lock");
    let copied_from_missing = engine == Engine::Sqlite && !template.sqlite_file.exists();
    if !done.exists() || copied_from_missing {
        forget_older_templates(&dir, &key, engine).await;
        seed_template(engine, &template).await;
        std::fs::write(&done, b"").expect("the template is marked done");
    }
    drop(lock);
    template
}

async fn seed_template(engine: Engine, template: &Template) {
    let _ = std::fs::remove_dir_all(&template.media);
    let url = match engine {
        Engine::Sqlite => format!("sqlite://{}", template.sqlite_file.display()),
        Engine::Postgres => format!("{}/{}", postgres_server_url(), template.postgres_name),
    };
    // What an unfinished earlier try left.
    drop_database(&url).await;
    let config = souk::config::Config {
        data_dir: template.media.display().to_string(),
        ..souk::config::Config::new("127.0.0.1:0", &url, "target/site", false, true)
            .expect("template config is valid")
    };
    let db = souk::prepare_database(&config)
        .await
        .unwrap_or_else(|e| panic!("the {engine:?} demo template is seeded: {e}"));
    if engine == Engine::Sqlite {
        // Everything in the main file before it is copied.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(db.pool())
            .await
            .expect("the template's log is checkpointed");
    }
    db.close().await;
}

/// Templates of earlier builds: removed, so they do not pile up.
async fn forget_older_templates(dir: &Path, key: &str, engine: Engine) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = match engine {
            Engine::Sqlite => name.ends_with(".db") || name.contains("_sqlite"),
            Engine::Postgres => name.contains("_postgres"),
        };
        if ours && !name.starts_with(key) && !name.ends_with(".lock") {
            let path = entry.path();
            let _ = std::fs::remove_dir_all(&path);
            let _ = std::fs::remove_file(&path);
        }
    }
    if engine == Engine::Postgres {
        let pool = admin_pool().await;
        let older: Vec<String> = sqlx::query_scalar(
            "SELECT datname FROM pg_database WHERE datname LIKE 'souk_template_%'",
        )
        .fetch_all(&pool)
        .await
        .unwrap_or_default();
        for name in older.iter().filter(|n| !n.ends_with(key)) {
            // Without FORCE: a template another run is copying from stays.
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
                .execute(&pool)
                .await;
        }
        pool.close().await;
    }
}

async fn admin_pool() -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::AnyPool::connect(&format!("{}/postgres", postgres_server_url()))
        .await
        .expect("PostgreSQL is running on 127.0.0.1:5432")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("the test's data folder");
    let Ok(entries) = std::fs::read_dir(from) else {
        return;
    };
    for entry in entries.flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("a template photo is copied");
        }
    }
}
