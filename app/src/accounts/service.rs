//! Accounts on the server: SQL, password hashing, sessions and sign-in throttling.
use super::{CurrentUser, LoginForm, NewUserForm, RegisterForm, UserPage, UserRow};
use crate::db::{is_unique_violation, Db};
use crate::domain::{DisplayName, Email, ErrorCode, FieldErrors, Password, Role};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::state::Settings;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use leptos_i18n::Locale as _;
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::sync::OnceLock;

struct ValidUser {
    email: Email,
    password: Password,
    display_name: DisplayName,
}

fn validate(
    email: &str,
    password: &str,
    display_name: &str,
    errors: &mut FieldErrors,
) -> Option<ValidUser> {
    let email = errors.check("email", Email::parse(email));
    let password = errors.check("password", Password::parse(password));
    let display_name = errors.check("display_name", DisplayName::parse(display_name));
    Some(ValidUser {
        email: email?,
        password: password?,
        display_name: display_name?,
    })
}

/// A buyer signs up (in the language they are reading): the only role anyone may give
/// themselves.
pub async fn register_buyer(
    db: &Db,
    form: &RegisterForm,
    language: Locale,
) -> Result<CurrentUser, AppError> {
    let mut errors = FieldErrors::new();
    let valid = validate(&form.email, &form.password, &form.display_name, &mut errors);
    match valid {
        Some(user) if errors.is_empty() => insert_user(db, user, Role::Buyer, language).await,
        _ => Err(AppError::Invalid(errors)),
    }
}

/// An admin creates an account of any role.
pub async fn create_user(
    db: &Db,
    actor: &CurrentUser,
    form: &NewUserForm,
) -> Result<CurrentUser, AppError> {
    if actor.role != Role::Admin {
        return Err(AppError::forbidden());
    }
    create_user_unchecked(db, form).await
}

/// Creates an account of any role without an acting admin: the command line's
/// `souk user create` and the demo seed, run by whoever operates the server.
pub async fn create_user_unchecked(db: &Db, form: &NewUserForm) -> Result<CurrentUser, AppError> {
    let mut errors = FieldErrors::new();
    let role = errors.check("role", Role::parse(&form.role));
    let valid = validate(&form.email, &form.password, &form.display_name, &mut errors);
    match (valid, role) {
        (Some(user), Some(role)) if errors.is_empty() => {
            insert_user(db, user, role, Locale::fr).await
        }
        _ => Err(AppError::Invalid(errors)),
    }
}

async fn insert_user(
    db: &Db,
    user: ValidUser,
    role: Role,
    language: Locale,
) -> Result<CurrentUser, AppError> {
    let password_hash = hash_password(user.password).await?;
    let mut tx = db.begin_write().await?;
    let inserted = sqlx::query(
        "INSERT INTO users (email, password_hash, display_name, role, created_at, language)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(user.email.as_str())
    .bind(&password_hash)
    .bind(user.display_name.as_str())
    .bind(role.as_str())
    .bind(db.now())
    .bind(language.as_str())
    .fetch_one(&mut *tx)
    .await;
    let id: i64 = match inserted {
        Ok(row) => row.try_get("id")?,
        // `email` is the only unique column of `users`.
        Err(e) if is_unique_violation(&e, "users_email_key") => {
            return Err(AppError::field("email", ErrorCode::EmailTaken))
        }
        Err(e) => return Err(e.into()),
    };
    tx.commit().await?;
    Ok(CurrentUser {
        id,
        email: user.email.to_string(),
        display_name: user.display_name.as_str().to_owned(),
        role,
    })
}

/// Remembers the language a user chose: the messages they are emailed are written in it.
pub async fn set_language(db: &Db, user_id: i64, language: Locale) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE users SET language = $1 WHERE id = $2 AND language <> $1")
        .bind(language.as_str())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

async fn hash_password(password: Password) -> Result<String, AppError> {
    // Argon2id is deliberately slow: keep it off the async runtime's threads.
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.expose().as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "password hashing task failed");
        AppError::Internal
    })?
    .map_err(|e| {
        tracing::error!(error = %e, "password hashing failed");
        AppError::Internal
    })
}

/// A hash to verify against when the email is unknown, so both cases take as long.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(b"decoy password for unknown emails", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

async fn verify_password(password: String, hash: Option<String>) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| decoy_hash().to_owned());
        let matches = PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false);
        known && matches
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "password verification task failed");
        AppError::Internal
    })
}

/// Checks an email and password, refusing once too many recent attempts failed.
pub async fn authenticate(
    db: &Db,
    settings: &Settings,
    form: &LoginForm,
    ip: &str,
) -> Result<CurrentUser, AppError> {
    let mut errors = FieldErrors::new();
    let email = errors.check("email", Email::parse(&form.email));
    if form.password.is_empty() {
        errors.add("password", ErrorCode::Required);
    }
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let since = db.now() - settings.login_window_secs;
    let by_email = recent_failures(db, "email", email.as_str(), since).await?;
    let by_ip = recent_failures(db, "ip", ip, since).await?;
    if by_email >= settings.login_max_failures || by_ip >= settings.login_max_failures_per_ip {
        return Err(AppError::Refused(ErrorCode::RateLimited));
    }
    let row = sqlx::query(
        "SELECT id, email, password_hash, display_name, role FROM users WHERE email = $1",
    )
    .bind(email.as_str())
    .fetch_optional(db.pool())
    .await?;
    let hash = row
        .as_ref()
        .map(|r| r.try_get::<String, _>("password_hash"))
        .transpose()?;
    if !verify_password(form.password.clone(), hash).await? {
        let mut tx = db.begin_write().await?;
        sqlx::query("INSERT INTO login_failures (email, ip, at) VALUES ($1, $2, $3)")
            .bind(email.as_str())
            .bind(ip)
            .bind(db.now())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        return Err(AppError::Refused(ErrorCode::CredentialsWrong));
    }
    match row {
        Some(row) => user_from_row(&row),
        None => Err(AppError::Refused(ErrorCode::CredentialsWrong)),
    }
}

/// Failed sign-ins since a time, for one email or one client address.
async fn recent_failures(
    db: &Db,
    column: &'static str,
    value: &str,
    since: i64,
) -> Result<i64, AppError> {
    let sql = format!("SELECT COUNT(*) AS n FROM login_failures WHERE {column} = $1 AND at > $2");
    Ok(sqlx::query(&sql)
        .bind(value)
        .bind(since)
        .fetch_one(db.pool())
        .await?
        .try_get("n")?)
}

fn user_from_row(row: &sqlx::any::AnyRow) -> Result<CurrentUser, AppError> {
    let role: String = row.try_get("role")?;
    Ok(CurrentUser {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        role: Role::parse(&role).map_err(|_| {
            tracing::error!(%role, "unknown role stored in users");
            AppError::Internal
        })?,
    })
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Opens a new session for a user and returns the token for the cookie. A new token at
/// every sign-in: a session id planted before sign-in is never promoted.
pub async fn open_session(db: &Db, settings: &Settings, user_id: i64) -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let now = db.now();
    let mut tx = db.begin_write().await?;
    // Sweep this user's expired sessions while we hold the write lock anyway.
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND expires_at <= $2")
        .bind(user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash(&token))
        .bind(user_id)
        .bind(now)
        .bind(now + settings.session_ttl_secs)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(token)
}

pub async fn user_for_token(db: &Db, token: &str) -> Result<Option<CurrentUser>, AppError> {
    let row = sqlx::query(
        "SELECT u.id, u.email, u.display_name, u.role FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = $1 AND s.expires_at > $2",
    )
    .bind(token_hash(token))
    .bind(db.now())
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(user_from_row).transpose()
}

/// Ends a session on the server: the cookie is worthless afterwards, wherever it is.
pub async fn close_session(db: &Db, token: &str) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash(token))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn list_users(
    db: &Db,
    actor: &CurrentUser,
    page: u32,
    per_page: u32,
) -> Result<UserPage, AppError> {
    if actor.role != Role::Admin {
        return Err(AppError::forbidden());
    }
    let page = page.max(1);
    let per_page = per_page.clamp(1, 100);
    let total: i64 = sqlx::query("SELECT COUNT(*) AS n FROM users")
        .fetch_one(db.pool())
        .await?
        .try_get("n")?;
    let rows = sqlx::query(
        "SELECT id, email, display_name, role, created_at FROM users ORDER BY id DESC LIMIT $1 OFFSET $2",
    )
    .bind(i64::from(per_page))
    .bind(i64::from((page - 1) * per_page))
    .fetch_all(db.pool())
    .await?;
    let mut users = Vec::with_capacity(rows.len());
    for row in &rows {
        let user = user_from_row(row)?;
        let regions = match user.role {
            Role::Organiser | Role::Admin => super::regions::regions_of(db, user.id).await?,
            Role::Buyer | Role::Cooperative => Vec::new(),
        };
        users.push(UserRow {
            id: user.id,
            email: user.email,
            display_name: user.display_name,
            role: user.role,
            created_at: row.try_get("created_at")?,
            regions,
        });
    }
    Ok(UserPage {
        users,
        page,
        per_page,
        total,
    })
}

pub async fn user_count(db: &Db) -> Result<i64, AppError> {
    Ok(sqlx::query("SELECT COUNT(*) AS n FROM users")
        .fetch_one(db.pool())
        .await?
        .try_get("n")?)
}
