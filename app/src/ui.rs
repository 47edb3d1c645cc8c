//! Shared components: layout, forms, errors, the language switch.
#[cfg(feature = "hydrate")]
pub mod browser;
pub mod errors;
pub mod forms;
pub mod layout;
pub mod map;
pub mod money;
pub mod pagination;

use crate::i18n::Locale;

/// Picks the text of the current language among a record's French, Arabic and English
/// columns, falling back to French (always filled in).
pub fn localized<'a>(locale: Locale, fr: &'a str, ar: &'a str, en: &'a str) -> &'a str {
    let chosen = match locale {
        Locale::fr => fr,
        Locale::ar => ar,
        Locale::en => en,
    };
    if chosen.is_empty() {
        fr
    } else {
        chosen
    }
}

/// Percent-encodes a path for use as a query value (`next=`).
pub fn encode_query_value(raw: &str) -> String {
    raw.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_translation_falls_back_to_french() {
        assert_eq!(localized(Locale::ar, "Fès", "فاس", "Fez"), "فاس");
        assert_eq!(localized(Locale::en, "Fès", "فاس", ""), "Fès");
    }

    #[test]
    fn next_paths_are_encoded() {
        assert_eq!(
            encode_query_value("/provinces/taza?x=1&y=é"),
            "/provinces/taza%3Fx%3D1%26y%3D%C3%A9"
        );
    }
}
