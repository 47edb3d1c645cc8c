//! Products and cooperatives as the rules see them: money, quantities, units, quality
//! signs, states, and the parse of a product or cooperative form into checked values.
use super::{ErrorCode, FieldErrors};
use serde::{Deserialize, Serialize};

mod weight;

pub use weight::{parse_weight, unit_weight_g, MAX_WEIGHT_G};

/// An amount in centimes of MAD. Never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Centimes(i64);

impl Centimes {
    /// The highest price a product can have: 1,000,000 MAD.
    pub const MAX: i64 = 100_000_000;

    pub fn new(centimes: i64) -> Option<Self> {
        (0..=Self::MAX)
            .contains(&centimes)
            .then_some(Self(centimes))
    }

    /// A price typed by a person: `45`, `45.5`, `45,50`, `1 250,00`. At most two decimals,
    /// more than zero.
    pub fn parse_price(raw: &str) -> Result<Self, ErrorCode> {
        let cleaned: String = raw
            .trim()
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{202f}')
            .collect();
        if cleaned.is_empty() {
            return Err(ErrorCode::Required);
        }
        let (whole, fraction) = match cleaned.split_once(['.', ',']) {
            Some((_, "")) => return Err(ErrorCode::PriceInvalid),
            Some((w, f)) => (w, f),
            None => (cleaned.as_str(), ""),
        };
        let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > 2 {
            return Err(ErrorCode::PriceInvalid);
        }
        let whole: i64 = whole.parse().map_err(|_| ErrorCode::PriceInvalid)?;
        let fraction: i64 = format!("{fraction:0<2}")
            .parse()
            .map_err(|_| ErrorCode::PriceInvalid)?;
        let centimes = whole
            .checked_mul(100)
            .and_then(|c| c.checked_add(fraction))
            .ok_or(ErrorCode::PriceInvalid)?;
        match Self::new(centimes) {
            Some(price) if centimes > 0 => Ok(price),
            _ => Err(ErrorCode::PriceInvalid),
        }
    }

    pub fn get(self) -> i64 {
        self.0
    }

    /// `45.50`: the amount with two decimals and a dot, as CSV files and the API write it.
    pub fn to_decimal(self) -> String {
        format!("{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

/// The most of one product a cooperative can hold or move at once.
pub const MAX_QUANTITY: i64 = 1_000_000;

/// A count of units moved into or out of stock: a whole number from 1 to 1,000,000.
pub fn parse_quantity(raw: &str) -> Result<i64, ErrorCode> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(ErrorCode::Required);
    }
    match raw.parse::<i64>() {
        Ok(n) if (1..=MAX_QUANTITY).contains(&n) => Ok(n),
        _ => Err(ErrorCode::QuantityInvalid),
    }
}

/// A signed change of a stock count (an adjustment): non-zero, at most 1,000,000 either way.
pub fn parse_delta(raw: &str) -> Result<i64, ErrorCode> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(ErrorCode::Required);
    }
    match raw.trim_start_matches('+').parse::<i64>() {
        Ok(n) if n != 0 && n.abs() <= MAX_QUANTITY => Ok(n),
        _ => Err(ErrorCode::QuantityInvalid),
    }
}

/// A whole number from 0 (a threshold, a stock level in a file).
pub fn parse_count(raw: &str) -> Result<i64, ErrorCode> {
    match raw.trim() {
        "" => Ok(0),
        raw => match raw.parse::<i64>() {
            Ok(n) if (0..=MAX_QUANTITY).contains(&n) => Ok(n),
            _ => Err(ErrorCode::CountInvalid),
        },
    }
}

code_enum!(
    /// How a product is sold. Jars, bottles, bags and boxes carry their net content.
    Unit { Kg = "kg", Litre = "litre", Piece = "piece", Jar = "jar", Bottle = "bottle", Bag = "bag", Box = "box" }
);

impl Unit {
    /// Whether the unit needs its net content (grams, or millilitres for a bottle).
    pub fn needs_net(self) -> bool {
        matches!(self, Self::Jar | Self::Bottle | Self::Bag | Self::Box)
    }

    /// The unit of the net content: millilitres for bottles, grams otherwise.
    pub fn net_symbol(self) -> &'static str {
        if self == Self::Bottle {
            "ml"
        } else {
            "g"
        }
    }
}

code_enum!(
    /// Official quality signs of Moroccan terroir products.
    QualitySign { Igp = "igp", Aop = "aop", Organic = "organic", LabelAgricole = "label_agricole" }
);

code_enum!(
    /// Pending until an admin verifies it; only verified cooperatives are public.
    CooperativeStatus { Pending = "pending", Verified = "verified", Suspended = "suspended" }
);

code_enum!(
    /// Archived products leave the catalogue but keep their history.
    ProductStatus { Active = "active", Archived = "archived" }
);

code_enum!(
    /// Why a stock level changed: one ledger row per change.
    MovementKind { Received = "received", Adjusted = "adjusted", Held = "held", Released = "released", Sold = "sold", Returned = "returned" }
);

/// A product form as typed (web form, API body or CSV row): every field a string.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProductForm {
    pub sku: String,
    pub name_fr: String,
    pub name_ar: String,
    pub name_en: String,
    pub description_fr: String,
    pub description_ar: String,
    pub description_en: String,
    pub category: String,
    pub unit: String,
    pub unit_net: String,
    /// One unit's weight in grams, for the road (needed for pieces).
    pub weight_g: String,
    pub price: String,
    pub low_stock_threshold: String,
    /// Certificate references by sign; a sign with a reference is claimed.
    pub igp_ref: String,
    pub aop_ref: String,
    pub organic_ref: String,
    pub label_agricole_ref: String,
}

/// A product form that passed every check.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductDraft {
    pub sku: String,
    pub name_fr: String,
    pub name_ar: String,
    pub name_en: String,
    pub description_fr: String,
    pub description_ar: String,
    pub description_en: String,
    pub category: String,
    pub unit: Unit,
    pub unit_net: Option<i64>,
    pub weight_g: Option<i64>,
    pub price: Centimes,
    pub low_stock_threshold: i64,
    pub quality_signs: Vec<(QualitySign, String)>,
}

pub const NAME_MAX: usize = 120;
pub const DESCRIPTION_MAX: usize = 4000;
pub const REFERENCE_MAX: usize = 60;

/// Trimmed text within a length; empty is allowed unless `required`.
pub fn parse_text(raw: &str, max: usize, required: bool) -> Result<String, ErrorCode> {
    let text = raw.trim();
    if required && text.is_empty() {
        Err(ErrorCode::Required)
    } else if text.chars().count() > max {
        Err(ErrorCode::TooLong)
    } else {
        Ok(text.to_owned())
    }
}

/// A stock-keeping reference: letters, digits, `-`, `_`, `.`; unique within a cooperative.
pub fn parse_sku(raw: &str) -> Result<String, ErrorCode> {
    let sku = parse_text(raw, 40, true)?;
    if sku
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        Ok(sku.to_uppercase())
    } else {
        Err(ErrorCode::SkuInvalid)
    }
}

impl ProductForm {
    /// Checks every field; the errors name the form's fields. The category is checked
    /// for shape here and for existence by the service.
    pub fn parse(&self) -> Result<ProductDraft, FieldErrors> {
        let mut errors = FieldErrors::new();
        let sku = errors.check("sku", parse_sku(&self.sku));
        let name_fr = errors.check("name_fr", parse_text(&self.name_fr, NAME_MAX, true));
        let name_ar = errors.check("name_ar", parse_text(&self.name_ar, NAME_MAX, false));
        let name_en = errors.check("name_en", parse_text(&self.name_en, NAME_MAX, false));
        let description_fr = errors.check(
            "description_fr",
            parse_text(&self.description_fr, DESCRIPTION_MAX, false),
        );
        let description_ar = errors.check(
            "description_ar",
            parse_text(&self.description_ar, DESCRIPTION_MAX, false),
        );
        let description_en = errors.check(
            "description_en",
            parse_text(&self.description_en, DESCRIPTION_MAX, false),
        );
        let category = errors.check(
            "category",
            match self.category.trim() {
                "" => Err(ErrorCode::Required),
                c if c.len() <= 40 => Ok(c.to_owned()),
                _ => Err(ErrorCode::CategoryUnknown),
            },
        );
        let unit = errors.check(
            "unit",
            match self.unit.trim() {
                "" => Err(ErrorCode::Required),
                u => Unit::from_code(u).ok_or(ErrorCode::UnitUnknown),
            },
        );
        let unit_net = match (unit, self.unit_net.trim()) {
            (Some(unit), "") if unit.needs_net() => {
                errors.add("unit_net", ErrorCode::UnitNetRequired);
                None
            }
            (_, "") => Some(None),
            (_, raw) => errors.check(
                "unit_net",
                match raw.parse::<i64>() {
                    Ok(n) if (1..=MAX_QUANTITY).contains(&n) => Ok(Some(n)),
                    _ => Err(ErrorCode::QuantityInvalid),
                },
            ),
        };
        let weight_g = errors
            .check("weight_g", parse_weight(&self.weight_g))
            .flatten();
        let price = errors.check("price", Centimes::parse_price(&self.price));
        let threshold = errors.check(
            "low_stock_threshold",
            parse_count(&self.low_stock_threshold),
        );
        let mut quality_signs = Vec::new();
        for (sign, field, raw) in [
            (QualitySign::Igp, "igp_ref", &self.igp_ref),
            (QualitySign::Aop, "aop_ref", &self.aop_ref),
            (QualitySign::Organic, "organic_ref", &self.organic_ref),
            (
                QualitySign::LabelAgricole,
                "label_agricole_ref",
                &self.label_agricole_ref,
            ),
        ] {
            if let Some(reference) = errors.check(field, parse_text(raw, REFERENCE_MAX, false)) {
                if !reference.is_empty() {
                    quality_signs.push((sign, reference));
                }
            }
        }
        match (
            sku,
            name_fr,
            name_ar,
            name_en,
            description_fr,
            description_ar,
            description_en,
            category,
            unit,
            unit_net,
            price,
            threshold,
        ) {
            (
                Some(sku),
                Some(name_fr),
                Some(name_ar),
                Some(name_en),
                Some(description_fr),
                Some(description_ar),
                Some(description_en),
                Some(category),
                Some(unit),
                Some(unit_net),
                Some(price),
                Some(low_stock_threshold),
            ) if errors.is_empty() => Ok(ProductDraft {
                sku,
                name_fr,
                name_ar,
                name_en,
                description_fr,
                description_ar,
                description_en,
                category,
                unit,
                unit_net,
                weight_g,
                price,
                low_stock_threshold,
                quality_signs,
            }),
            _ => Err(errors),
        }
    }
}

/// A coordinate typed by a person; empty means "not given".
pub fn parse_coordinate(raw: &str) -> Result<Option<f64>, ErrorCode> {
    match raw.trim().replace(',', ".").as_str() {
        "" => Ok(None),
        raw => raw
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .map(Some)
            .ok_or(ErrorCode::NumberInvalid),
    }
}

/// A cooperative's profile as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CooperativeForm {
    pub name_fr: String,
    pub name_ar: String,
    pub registration_number: String,
    pub province: String,
    pub address: String,
    pub lat: String,
    pub lon: String,
    pub description_fr: String,
    pub description_ar: String,
    pub description_en: String,
    pub phone: String,
    pub email: String,
    pub member_count: String,
    /// Checkbox values: present ("on", "true", "1") means yes.
    pub women_led: Option<String>,
    pub youth_led: Option<String>,
    pub labels: String,
    /// Programme codes, comma-separated.
    pub programmes: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CooperativeDraft {
    pub name_fr: String,
    pub name_ar: String,
    pub registration_number: String,
    pub province: String,
    pub address: String,
    pub coordinates: Option<(f64, f64)>,
    pub description_fr: String,
    pub description_ar: String,
    pub description_en: String,
    pub phone: String,
    pub email: String,
    pub member_count: i64,
    pub women_led: bool,
    pub youth_led: bool,
    pub labels: String,
    pub programmes: Vec<String>,
}

fn checked(flag: &Option<String>) -> bool {
    flag.as_deref()
        .is_some_and(|v| matches!(v.trim(), "on" | "true" | "1" | "yes"))
}

impl CooperativeForm {
    /// `in_territory` says whether coordinates lie in a loaded province (the territory's
    /// outlines; coordinates outside are refused).
    pub fn parse(
        &self,
        in_territory: impl Fn(f64, f64) -> bool,
    ) -> Result<CooperativeDraft, FieldErrors> {
        let mut e = FieldErrors::new();
        let name_fr = e.check("name_fr", parse_text(&self.name_fr, NAME_MAX, true));
        let name_ar = e.check("name_ar", parse_text(&self.name_ar, NAME_MAX, true));
        let registration_number = e.check(
            "registration_number",
            parse_text(&self.registration_number, REFERENCE_MAX, true),
        );
        let province = e.check("province", parse_text(&self.province, 40, true));
        let address = e.check("address", parse_text(&self.address, 300, true));
        let lat = e.check("lat", parse_coordinate(&self.lat));
        let lon = e.check("lon", parse_coordinate(&self.lon));
        let coordinates = match (lat, lon) {
            (Some(Some(lat)), Some(Some(lon))) if in_territory(lat, lon) => Some(Some((lat, lon))),
            (Some(Some(_)), Some(Some(_))) => {
                e.add("lat", ErrorCode::OutsideRegion);
                None
            }
            (Some(None), Some(None)) => Some(None),
            (Some(None), Some(Some(_))) => {
                e.add("lat", ErrorCode::Required);
                None
            }
            (Some(Some(_)), Some(None)) => {
                e.add("lon", ErrorCode::Required);
                None
            }
            _ => None,
        };
        let description_fr = e.check(
            "description_fr",
            parse_text(&self.description_fr, DESCRIPTION_MAX, false),
        );
        let description_ar = e.check(
            "description_ar",
            parse_text(&self.description_ar, DESCRIPTION_MAX, false),
        );
        let description_en = e.check(
            "description_en",
            parse_text(&self.description_en, DESCRIPTION_MAX, false),
        );
        let phone = e.check("phone", parse_text(&self.phone, 30, false));
        let email = e.check(
            "email",
            match self.email.trim() {
                "" => Ok(String::new()),
                raw => super::Email::parse(raw).map(|m| m.as_str().to_owned()),
            },
        );
        let member_count = e.check(
            "member_count",
            match self.member_count.trim() {
                "" => Err(ErrorCode::Required),
                raw => match raw.parse::<i64>() {
                    Ok(n) if (1..=100_000).contains(&n) => Ok(n),
                    _ => Err(ErrorCode::NumberInvalid),
                },
            },
        );
        let labels = e.check("labels", parse_text(&self.labels, 300, false));
        let programmes = self
            .programmes
            .split(',')
            .map(|p| p.trim().to_lowercase())
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>();
        if !e.is_empty() {
            return Err(e);
        }
        match (
            name_fr,
            name_ar,
            registration_number,
            province,
            address,
            coordinates,
            description_fr,
            description_ar,
            description_en,
            phone,
            email,
            member_count,
            labels,
        ) {
            (
                Some(name_fr),
                Some(name_ar),
                Some(registration_number),
                Some(province),
                Some(address),
                Some(coordinates),
                Some(description_fr),
                Some(description_ar),
                Some(description_en),
                Some(phone),
                Some(email),
                Some(member_count),
                Some(labels),
            ) => Ok(CooperativeDraft {
                name_fr,
                name_ar,
                registration_number,
                province,
                address,
                coordinates,
                description_fr,
                description_ar,
                description_en,
                phone,
                email,
                member_count,
                women_led: checked(&self.women_led),
                youth_led: checked(&self.youth_led),
                labels,
                programmes,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_are_read_as_centimes() {
        let price = |raw| Centimes::parse_price(raw).map(Centimes::get);
        assert_eq!(price("45"), Ok(4500));
        assert_eq!(price("45.5"), Ok(4550));
        assert_eq!(price("45,05"), Ok(4505));
        assert_eq!(price(" 1 250,00 "), Ok(125_000));
        assert_eq!(price(""), Err(ErrorCode::Required));
        for bad in [
            "-3",
            "0",
            "0.00",
            "4.555",
            "abc",
            "1e3",
            "12.",
            ".5x",
            "99999999999",
        ] {
            assert_eq!(price(bad), Err(ErrorCode::PriceInvalid), "{bad}");
        }
        assert_eq!(
            Centimes::parse_price("45.5").map(Centimes::to_decimal),
            Ok("45.50".to_owned())
        );
    }

    #[test]
    fn quantities_are_whole_and_positive() {
        assert_eq!(parse_quantity("12"), Ok(12));
        for bad in ["0", "-1", "1.5", "x", "1000001"] {
            assert_eq!(
                parse_quantity(bad),
                Err(ErrorCode::QuantityInvalid),
                "{bad}"
            );
        }
        assert_eq!(parse_delta("-4"), Ok(-4));
        assert_eq!(parse_delta("+4"), Ok(4));
        assert_eq!(parse_delta("0"), Err(ErrorCode::QuantityInvalid));
        assert_eq!(parse_count(""), Ok(0));
        assert_eq!(parse_count("-2"), Err(ErrorCode::CountInvalid));
    }

    fn honey() -> ProductForm {
        ProductForm {
            sku: "miel-thym-250".into(),
            name_fr: "Miel de thym".into(),
            name_ar: "عسل الزعتر".into(),
            category: "honey".into(),
            unit: "jar".into(),
            unit_net: "250".into(),
            price: "85".into(),
            igp_ref: "IGP-MA-12".into(),
            ..ProductForm::default()
        }
    }

    #[test]
    fn a_complete_product_form_parses() {
        let draft = honey().parse().expect("valid");
        assert_eq!(draft.sku, "MIEL-THYM-250");
        assert_eq!(draft.unit, Unit::Jar);
        assert_eq!(draft.unit_net, Some(250));
        assert_eq!(draft.price.get(), 8500);
        assert_eq!(
            draft.quality_signs,
            vec![(QualitySign::Igp, "IGP-MA-12".to_owned())]
        );
    }

    #[test]
    fn every_wrong_product_field_is_reported() {
        let form = ProductForm {
            sku: "bad sku!".into(),
            name_fr: " ".into(),
            unit: "barrel".into(),
            price: "-5".into(),
            low_stock_threshold: "-1".into(),
            ..honey()
        };
        let errors = form.parse().expect_err("invalid");
        assert_eq!(errors.get("sku"), Some(ErrorCode::SkuInvalid));
        assert_eq!(errors.get("name_fr"), Some(ErrorCode::Required));
        assert_eq!(errors.get("unit"), Some(ErrorCode::UnitUnknown));
        assert_eq!(errors.get("price"), Some(ErrorCode::PriceInvalid));
        assert_eq!(
            errors.get("low_stock_threshold"),
            Some(ErrorCode::CountInvalid)
        );
        let jar_without_net = ProductForm {
            unit_net: String::new(),
            ..honey()
        };
        assert_eq!(
            jar_without_net.parse().expect_err("net").get("unit_net"),
            Some(ErrorCode::UnitNetRequired)
        );
    }

    #[test]
    fn cooperative_coordinates_must_lie_in_the_region() {
        let form = CooperativeForm {
            name_fr: "Coopérative Test".into(),
            name_ar: "تعاونية".into(),
            registration_number: "RC-1".into(),
            province: "sefrou".into(),
            address: "Sefrou".into(),
            member_count: "12".into(),
            lat: "33.83".into(),
            lon: "-4.83".into(),
            women_led: Some("on".into()),
            ..CooperativeForm::default()
        };
        let in_morocco =
            |lat: f64, lon: f64| (21.0..=36.0).contains(&lat) && (-17.5..=-1.0).contains(&lon);
        let draft = form.parse(in_morocco).expect("valid");
        assert!(draft.women_led && !draft.youth_led);
        assert_eq!(draft.coordinates, Some((33.83, -4.83)));
        let paris = CooperativeForm {
            lat: "48.85".into(),
            lon: "2.35".into(),
            ..form.clone()
        };
        assert_eq!(
            paris.parse(in_morocco).expect_err("outside").get("lat"),
            Some(ErrorCode::OutsideRegion)
        );
        let text = CooperativeForm {
            lat: "north".into(),
            ..form
        };
        assert_eq!(
            text.parse(in_morocco).expect_err("nan").get("lat"),
            Some(ErrorCode::NumberInvalid)
        );
    }
}
