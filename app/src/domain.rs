//! Pure types and rules: no IO, compiled for the server and the wasm bundle alike,
//! so forms and server functions share one set of checks.
/// An enum stored and sent as a short code (`"pending"`), with every value listed.
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $code),+ }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some(Self::$variant),)+ _ => None }
            }
        }
    };
}

pub mod account;
pub mod catalogue;
pub mod council;
pub mod error;
pub mod follow_up;
pub mod markets;
pub mod open_data;
pub mod orders;
pub mod page;
pub mod search;
pub mod territory;
pub mod time;
pub mod tours;

pub use account::{DisplayName, Email, Password, Role};
pub use catalogue::{Centimes, CooperativeStatus, MovementKind, ProductStatus, QualitySign, Unit};
pub use error::{ErrorCode, FieldErrors};
pub use page::Page;
pub use territory::{ProvinceKind, ProvinceSummary, RegionSummary, SiteSummary};
