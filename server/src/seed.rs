//! Reference data (the territory) and the demo accounts.
use app::accounts::{service, NewUserForm};
use app::db::Db;
use app::domain::{ErrorCode, Role};
use app::error::AppError;
use app::territory::service::{parse_region, seed_region, SeedError, FES_MEKNES};

/// The password of every demo account (written in the README).
pub const DEMO_PASSWORD: &str = "souk-demo-2026";

/// One account per role, for trying Souk out.
pub const DEMO_ACCOUNTS: [(&str, &str, Role); 4] = [
    ("admin@souk.ma", "Administration du pôle ESS", Role::Admin),
    (
        "organisateur@souk.ma",
        "Conseil régional Fès-Meknès",
        Role::Organiser,
    ),
    (
        "cooperative@souk.ma",
        "Coopérative Zitoun Sefrou",
        Role::Cooperative,
    ),
    ("acheteur@souk.ma", "Salma Bennani", Role::Buyer),
];

#[derive(Debug, thiserror::Error)]
pub enum SeedFailure {
    #[error(transparent)]
    Territory(#[from] SeedError),
    #[error("cannot create demo account {0}: {1}")]
    Account(String, AppError),
    #[error("cannot read {0}: {1}")]
    File(String, std::io::Error),
}

/// The Fès-Meknès territory, or another region's file. Seeding twice changes nothing.
pub async fn territory(db: &Db, file: Option<&str>) -> Result<(), SeedFailure> {
    let json = match file {
        Some(path) => {
            std::fs::read_to_string(path).map_err(|e| SeedFailure::File(path.to_owned(), e))?
        }
        None => FES_MEKNES.to_owned(),
    };
    seed_region(db, &parse_region(&json)?).await?;
    Ok(())
}

/// The demo accounts; those that exist already are left as they are.
pub async fn demo(db: &Db) -> Result<(), SeedFailure> {
    for (email, name, role) in DEMO_ACCOUNTS {
        let form = NewUserForm {
            email: email.into(),
            password: DEMO_PASSWORD.into(),
            display_name: name.into(),
            role: role.as_str().into(),
        };
        match service::create_user_unchecked(db, &form).await {
            Ok(_) => tracing::info!(email, role = role.as_str(), "demo account created"),
            Err(AppError::Invalid(errors))
                if errors.get("email") == Some(ErrorCode::EmailTaken) => {}
            Err(error) => return Err(SeedFailure::Account(email.to_owned(), error)),
        }
    }
    Ok(())
}
