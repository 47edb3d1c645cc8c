//! Text normalisation for full-text search, one rule for indexing and querying on both
//! engines: lower case, Latin accents folded, Arabic vowel marks and tatweel removed,
//! Arabic letter variants unified (أ إ آ ٱ → ا, ى → ي, ة → ه), Eastern digits made
//! Western, and Arabic words indexed with and without the article «ال».

/// The searchable form of some texts, as stored in `products.search_text`.
pub fn index_text<'a>(texts: impl IntoIterator<Item = &'a str>) -> String {
    let mut words: Vec<String> = Vec::new();
    for text in texts {
        for word in normalise(text).split_whitespace() {
            words.push(word.to_owned());
            if let Some(stem) = without_article(word) {
                words.push(stem.to_owned());
            }
        }
    }
    words.join(" ")
}

/// The words of a buyer's query, normalised and stripped of the Arabic article (the
/// index holds both forms). At most eight words are kept.
pub fn query_terms(query: &str) -> Vec<String> {
    normalise(query)
        .split_whitespace()
        .map(|word| without_article(word).unwrap_or(word).to_owned())
        .take(8)
        .collect()
}

fn without_article(word: &str) -> Option<&str> {
    word.strip_prefix("ال")
        .filter(|rest| rest.chars().count() >= 2)
}

/// Letters and digits in their searchable form; everything else becomes a space.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match fold(c) {
            Fold::Drop => {}
            Fold::Char(c) if c.is_alphanumeric() => out.push(c),
            Fold::Char(_) => out.push(' '),
            Fold::Str(s) => out.push_str(s),
        }
    }
    out
}

enum Fold {
    Drop,
    Char(char),
    Str(&'static str),
}

fn fold(c: char) -> Fold {
    let folded = match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'î' | 'ï' | 'í' => 'i',
        'ô' | 'ö' | 'ó' => 'o',
        'ù' | 'û' | 'ü' | 'ú' => 'u',
        'ç' => 'c',
        'ÿ' => 'y',
        'ñ' => 'n',
        'œ' => return Fold::Str("oe"),
        'æ' => return Fold::Str("ae"),
        // Arabic vowel marks, shadda, sukun, superscript alef, tatweel.
        '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' => return Fold::Drop,
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        'ى' | 'ئ' => 'ي',
        'ة' => 'ه',
        'ؤ' => 'و',
        '٠'..='٩' => char::from_u32(c as u32 - 0x0660 + u32::from(b'0')).unwrap_or(c),
        other => other,
    };
    Fold::Char(folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_accents_and_case_fold() {
        assert_eq!(
            normalise("Huile d'Olive ÉXTRA-vierge, Sefrou"),
            "huile d olive extra vierge  sefrou"
        );
        assert_eq!(normalise("Bœuf"), "boeuf");
    }

    #[test]
    fn arabic_vowel_marks_and_letter_variants_are_unified() {
        assert_eq!(normalise("عَسَلٌ"), "عسل");
        assert_eq!(normalise("زيـــت"), "زيت");
        assert_eq!(normalise("أركان"), normalise("اركان"));
        assert_eq!(normalise("تين مجفف ١٠٠"), "تين مجفف 100");
        assert_eq!(normalise("زيتونة"), "زيتونه");
    }

    #[test]
    fn arabic_words_are_found_with_or_without_the_article() {
        let index = index_text(["العسل الحر"]);
        assert!(index.split(' ').any(|w| w == "عسل"), "{index}");
        assert_eq!(query_terms("العسل"), vec!["عسل"]);
        assert_eq!(query_terms("عسل"), vec!["عسل"]);
        // A two-letter remainder is not a word: «الم» stays whole.
        assert_eq!(query_terms("الم"), vec!["الم"]);
    }

    #[test]
    fn a_query_keeps_only_letters_and_digits() {
        assert_eq!(
            query_terms("\"miel\" OR *; DROP"),
            vec!["miel", "or", "drop"]
        );
        assert!(query_terms("  ,;  ").is_empty());
        assert_eq!(query_terms("a b c d e f g h i j").len(), 8);
    }
}
