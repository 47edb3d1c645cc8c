//! Prices and units as people read them in each language.
use crate::domain::Unit;
use crate::i18n::*;

/// `85,00 MAD` (French), `85.00 MAD` (English), `85,00 درهم` (Arabic). Integer centimes in.
pub fn price_text(locale: Locale, centimes: i64) -> String {
    let (whole, cents) = (centimes / 100, (centimes % 100).abs());
    let mut digits = whole.abs().to_string();
    let separator = if locale == Locale::en {
        ','
    } else {
        '\u{202f}'
    };
    let mut grouped = String::new();
    while digits.len() > 3 {
        let tail = digits.split_off(digits.len() - 3);
        grouped = format!("{separator}{tail}{grouped}");
    }
    let sign = if centimes < 0 { "-" } else { "" };
    match locale {
        Locale::en => format!("{sign}{digits}{grouped}.{cents:02} MAD"),
        Locale::fr => format!("{sign}{digits}{grouped},{cents:02} MAD"),
        Locale::ar => format!("{sign}{digits}{grouped},{cents:02} درهم"),
    }
}

/// `le kg`, `pot de 250 g`, `bouteille de 750 ml`, in the language.
pub fn unit_text(locale: Locale, unit: Unit, net: Option<i64>) -> String {
    let name = match unit {
        Unit::Kg => td_string!(locale, units.kg),
        Unit::Litre => td_string!(locale, units.litre),
        Unit::Piece => td_string!(locale, units.piece),
        Unit::Jar => td_string!(locale, units.jar),
        Unit::Bottle => td_string!(locale, units.bottle),
        Unit::Bag => td_string!(locale, units.bag),
        Unit::Box => td_string!(locale, units.box_pack),
    };
    match net {
        Some(net) => format!(
            "{name} {} {net} {}",
            td_string!(locale, units.of),
            unit.net_symbol()
        ),
        None => name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_are_written_in_the_language() {
        assert_eq!(price_text(Locale::fr, 8550), "85,50 MAD");
        assert_eq!(price_text(Locale::en, 125_000), "1,250.00 MAD");
        assert_eq!(price_text(Locale::fr, 125_000), "1\u{202f}250,00 MAD");
        assert_eq!(price_text(Locale::ar, 905), "9,05 درهم");
    }
}
