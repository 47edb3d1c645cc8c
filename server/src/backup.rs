//! `souk backup FILE` and `souk restore FILE`, for the SQLite store.
//!
//! A backup is one SQLite file: `VACUUM INTO` copies the store inside one read
//! transaction (consistent while Souk serves), then the photos are added to it with a
//! stamp (`souk_backup`) that `restore` checks. PostgreSQL has its own tools
//! (`pg_dump -Fc`, `pg_restore`; see the README).
use app::db::{known_migrations, sqlite_path, Db, Engine};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, Row, SqliteConnection};
use std::path::Path;

/// What `souk_backup.format` says in every backup this version writes.
pub const FORMAT: &str = "souk-backup-1";

const POSTGRES: &str = "PostgreSQL is backed up with its own tools: \
    pg_dump -Fc -f souk.dump DATABASE_URL, restored with pg_restore -d DATABASE_URL souk.dump";

/// What a backup or a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub bytes: u64,
    pub photos: usize,
}

fn sqlite_file(database_url: &str) -> Result<&str, String> {
    match Engine::of_url(database_url).map_err(|e| e.to_string())? {
        Engine::Postgres => Err(POSTGRES.to_owned()),
        Engine::Sqlite => sqlite_path(database_url)
            .ok_or_else(|| "an in-memory database has nothing to back up".to_owned()),
    }
}

async fn open(file: &Path, read_only: bool) -> Result<SqliteConnection, sqlx::Error> {
    SqliteConnectOptions::new()
        .filename(file)
        .read_only(read_only)
        .create_if_missing(false)
        .connect()
        .await
}

/// Copies the store and its photos into `file`, which must not exist yet.
pub async fn backup(database_url: &str, data_dir: &Path, file: &Path) -> Result<Summary, String> {
    sqlite_file(database_url)?;
    if file.exists() {
        return Err(format!(
            "{} already exists: choose a new file",
            file.display()
        ));
    }
    let db = Db::connect(database_url).await.map_err(|e| e.to_string())?;
    let target = file.to_str().ok_or("the backup's path must be UTF-8")?;
    let copied = sqlx::query("VACUUM INTO $1")
        .bind(target)
        .execute(db.pool())
        .await;
    db.close().await;
    copied.map_err(|e| format!("copying the store: {e}"))?;

    let mut photos = 0;
    let mut conn = open(file, false).await.map_err(|e| e.to_string())?;
    let mut tx = conn.begin().await.map_err(|e| e.to_string())?;
    sqlx::query("CREATE TABLE souk_backup (format TEXT NOT NULL, taken_at INTEGER NOT NULL)")
        .execute(&mut *tx)
        .await
        .map_err(|e| e.to_string())?;
    sqlx::query("INSERT INTO souk_backup (format, taken_at) VALUES ($1, $2)")
        .bind(FORMAT)
        .bind(db.now())
        .execute(&mut *tx)
        .await
        .map_err(|e| e.to_string())?;
    sqlx::query("CREATE TABLE souk_backup_photos (name TEXT PRIMARY KEY, bytes BLOB NOT NULL)")
        .execute(&mut *tx)
        .await
        .map_err(|e| e.to_string())?;
    let dir = app::catalogue::photos::photo_dir(data_dir);
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries.flatten().filter(|e| e.path().is_file()) {
            let bytes = std::fs::read(entry.path()).map_err(|e| e.to_string())?;
            sqlx::query("INSERT INTO souk_backup_photos (name, bytes) VALUES ($1, $2)")
                .bind(entry.file_name().to_string_lossy().into_owned())
                .bind(bytes)
                .execute(&mut *tx)
                .await
                .map_err(|e| e.to_string())?;
            photos += 1;
        }
    }
    tx.commit().await.map_err(|e| e.to_string())?;
    conn.close().await.map_err(|e| e.to_string())?;
    let bytes = std::fs::metadata(file).map_err(|e| e.to_string())?.len();
    Ok(Summary { bytes, photos })
}

/// Checks that `file` is a Souk backup this version can restore: its stamp, and no
/// migration this version does not know (a backup of a newer Souk).
async fn check(file: &Path) -> Result<(), String> {
    let not_a_backup = || format!("{} is not a Souk backup", file.display());
    let mut conn = open(file, true).await.map_err(|_| not_a_backup())?;
    let format: Option<String> = sqlx::query("SELECT format FROM souk_backup")
        .fetch_optional(&mut conn)
        .await
        .ok()
        .flatten()
        .and_then(|row| row.try_get("format").ok());
    if format.as_deref() != Some(FORMAT) {
        return Err(not_a_backup());
    }
    let versions: Vec<i64> = sqlx::query("SELECT version FROM _sqlx_migrations")
        .fetch_all(&mut conn)
        .await
        .map_err(|_| not_a_backup())?
        .iter()
        .filter_map(|row| row.try_get("version").ok())
        .collect();
    let known = known_migrations(Engine::Sqlite);
    if let Some(unknown) = versions.iter().find(|v| !known.contains(v)) {
        return Err(format!(
            "{} was made by a newer Souk (migration {unknown} is unknown here): restore it with that version",
            file.display()
        ));
    }
    conn.close().await.map_err(|e| e.to_string())
}

/// Makes the store at `database_url` (which must not exist yet) from a backup, with its
/// photos under `data_dir`, then brings it to this version's schema.
pub async fn restore(database_url: &str, data_dir: &Path, file: &Path) -> Result<Summary, String> {
    let target = Path::new(sqlite_file(database_url)?);
    check(file).await?;
    if target.exists() {
        return Err(format!(
            "{} already exists: restore into a new file, then put it in place",
            target.display()
        ));
    }
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
    }
    std::fs::copy(file, target).map_err(|e| e.to_string())?;

    let mut conn = open(target, false).await.map_err(|e| e.to_string())?;
    let rows = sqlx::query("SELECT name, bytes FROM souk_backup_photos")
        .fetch_all(&mut conn)
        .await
        .map_err(|e| e.to_string())?;
    let dir = app::catalogue::photos::photo_dir(data_dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    for row in &rows {
        let name: String = row.try_get("name").map_err(|e| e.to_string())?;
        let bytes: Vec<u8> = row.try_get("bytes").map_err(|e| e.to_string())?;
        // Names are the backup's own; never a path out of the photo folder.
        if !app::catalogue::photos::valid_file_name(&name) {
            return Err(format!("{} holds a photo named {name:?}", file.display()));
        }
        std::fs::write(dir.join(&name), bytes).map_err(|e| e.to_string())?;
    }
    for table in ["souk_backup_photos", "souk_backup"] {
        sqlx::query(&format!("DROP TABLE {table}"))
            .execute(&mut conn)
            .await
            .map_err(|e| e.to_string())?;
    }
    conn.close().await.map_err(|e| e.to_string())?;
    let db = Db::connect(database_url).await.map_err(|e| e.to_string())?;
    db.migrate().await.map_err(|e| e.to_string())?;
    db.close().await;
    let bytes = std::fs::metadata(target).map_err(|e| e.to_string())?.len();
    Ok(Summary {
        bytes,
        photos: rows.len(),
    })
}
