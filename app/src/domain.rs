//! Pure types and rules: no IO, compiled for the server and the wasm bundle alike,
//! so forms and server functions share one set of checks.
pub mod account;
pub mod catalogue;
pub mod error;
pub mod search;
pub mod territory;

pub use account::{DisplayName, Email, Password, Role};
pub use catalogue::{Centimes, CooperativeStatus, MovementKind, ProductStatus, QualitySign, Unit};
pub use error::{ErrorCode, FieldErrors};
pub use territory::{ProvinceKind, ProvinceSummary, SiteSummary};
