//! Who a user is: email, password rules, display name and role.
use super::ErrorCode;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A syntactically valid, lower-cased email address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, ErrorCode> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err(ErrorCode::Required);
        }
        if email.chars().count() > Self::MAX_LEN {
            return Err(ErrorCode::TooLong);
        }
        let (local, domain) = email.split_once('@').ok_or(ErrorCode::EmailMalformed)?;
        let well_formed = !local.is_empty()
            && local.len() <= 64
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !email
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "<>()[]\\,;:\"".contains(c));
        if well_formed {
            Ok(Self(email))
        } else {
            Err(ErrorCode::EmailMalformed)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A password strong enough to keep: 10 to 128 characters, letters mixed with digits or
/// symbols, not one of the passwords every attacker tries first.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

const COMMON_PASSWORDS: &[&str] = &[
    "password123",
    "password1!",
    "azerty1234",
    "azertyuiop1",
    "qwerty1234",
    "1234567890a",
    "motdepasse1",
    "motdepasse123",
    "marrakech123",
    "maroc123456",
    "welcome123",
    "souk123456",
];

impl Password {
    pub const MIN_LEN: usize = 10;
    pub const MAX_LEN: usize = 128;

    pub fn parse(raw: &str) -> Result<Self, ErrorCode> {
        let length = raw.chars().count();
        if length == 0 {
            return Err(ErrorCode::Required);
        }
        if length < Self::MIN_LEN {
            return Err(ErrorCode::PasswordTooShort);
        }
        if length > Self::MAX_LEN {
            return Err(ErrorCode::PasswordTooLong);
        }
        let has_letter = raw.chars().any(char::is_alphabetic);
        let has_other = raw.chars().any(|c| !c.is_alphabetic());
        let first = raw.chars().next();
        let one_repeated_char = raw.chars().all(|c| Some(c) == first);
        if !has_letter
            || !has_other
            || one_repeated_char
            || COMMON_PASSWORDS.contains(&raw.to_lowercase().as_str())
        {
            return Err(ErrorCode::PasswordWeak);
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(…)")
    }
}

/// The name shown for a user: 1 to 80 characters once trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayName(String);

impl DisplayName {
    pub const MAX_LEN: usize = 80;

    pub fn parse(raw: &str) -> Result<Self, ErrorCode> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(ErrorCode::Required);
        }
        if name.chars().count() > Self::MAX_LEN {
            return Err(ErrorCode::TooLong);
        }
        if name.chars().any(char::is_control) {
            return Err(ErrorCode::Invalid);
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a user may do. Only buyers can register themselves; an admin creates the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Role {
    Buyer,
    Cooperative,
    Organiser,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Buyer, Role::Cooperative, Role::Organiser, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Buyer => "buyer",
            Role::Cooperative => "cooperative",
            Role::Organiser => "organiser",
            Role::Admin => "admin",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ErrorCode> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == raw.trim())
            .ok_or(ErrorCode::RoleUnknown)
    }

    pub fn can_self_register(self) -> bool {
        self == Role::Buyer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_is_trimmed_and_lower_cased() {
        assert_eq!(
            Email::parse("  Fatima@Coop.MA ").map(|e| e.to_string()),
            Ok("fatima@coop.ma".into())
        );
    }

    #[test]
    fn malformed_emails_are_refused() {
        for raw in [
            "fatima",
            "fatima@",
            "@coop.ma",
            "fa tima@coop.ma",
            "a@b",
            "a@@b.ma",
            "a@b..ma",
            "a@.b.ma",
        ] {
            assert_eq!(Email::parse(raw), Err(ErrorCode::EmailMalformed), "{raw}");
        }
        assert_eq!(Email::parse("   "), Err(ErrorCode::Required));
        assert_eq!(
            Email::parse(&format!("{}@coop.ma", "a".repeat(250))),
            Err(ErrorCode::TooLong)
        );
    }

    #[test]
    fn weak_passwords_are_refused_with_the_reason() {
        assert_eq!(Password::parse("").err(), Some(ErrorCode::Required));
        assert_eq!(
            Password::parse("short1").err(),
            Some(ErrorCode::PasswordTooShort)
        );
        assert_eq!(
            Password::parse(&"a1".repeat(65)).err(),
            Some(ErrorCode::PasswordTooLong)
        );
        assert_eq!(
            Password::parse("onlyletterss").err(),
            Some(ErrorCode::PasswordWeak)
        );
        assert_eq!(
            Password::parse("12345678901").err(),
            Some(ErrorCode::PasswordWeak)
        );
        assert_eq!(
            Password::parse("Password123").err(),
            Some(ErrorCode::PasswordWeak)
        );
        assert!(Password::parse("zitoun-sefrou-2026").is_ok());
        assert!(Password::parse("زيت-الزيتون-2026").is_ok());
    }

    #[test]
    fn a_password_never_shows_in_debug_output() {
        let password = Password::parse("zitoun-sefrou-2026").expect("strong password");
        assert!(!format!("{password:?}").contains("zitoun"));
    }

    #[test]
    fn display_names_are_trimmed_and_bounded() {
        assert_eq!(
            DisplayName::parse("  Aïcha ").map(|n| n.as_str().to_owned()),
            Ok("Aïcha".into())
        );
        assert_eq!(DisplayName::parse(" "), Err(ErrorCode::Required));
        assert_eq!(DisplayName::parse(&"é".repeat(81)), Err(ErrorCode::TooLong));
    }

    #[test]
    fn only_buyers_register_themselves() {
        let self_registering: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| r.can_self_register())
            .collect();
        assert_eq!(self_registering, vec![Role::Buyer]);
        assert_eq!(Role::parse("admin"), Ok(Role::Admin));
        assert_eq!(Role::parse("superuser"), Err(ErrorCode::RoleUnknown));
    }
}
