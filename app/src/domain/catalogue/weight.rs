//! What a product weighs on the road: by its unit where the unit says it (a kg, a litre
//! taken as a kg, a jar's or a bag's grams, a bottle's millilitres taken as grams), else
//! the estimate its cooperative gives (needed for pieces). A tour's load is counted so.
use super::Unit;
use crate::domain::ErrorCode;

/// The heaviest unit a cooperative may declare, in grams (a tonne).
pub const MAX_WEIGHT_G: i64 = 1_000_000;

/// A weight in grams as typed; empty is "not given".
pub fn parse_weight(raw: &str) -> Result<Option<i64>, ErrorCode> {
    match raw.trim() {
        "" => Ok(None),
        raw => raw
            .parse::<i64>()
            .ok()
            .filter(|grams| (1..=MAX_WEIGHT_G).contains(grams))
            .map(Some)
            .ok_or(ErrorCode::QuantityInvalid),
    }
}

/// One unit's weight in grams: the cooperative's estimate when given, else what the
/// unit says; none for a piece without an estimate.
pub fn unit_weight_g(unit: Unit, unit_net: Option<i64>, estimate: Option<i64>) -> Option<i64> {
    estimate.or(match unit {
        Unit::Kg | Unit::Litre => Some(1000),
        Unit::Jar | Unit::Bottle | Unit::Bag | Unit::Box => unit_net,
        Unit::Piece => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unit_gives_the_weight_and_a_piece_needs_an_estimate() {
        assert_eq!(unit_weight_g(Unit::Kg, None, None), Some(1000));
        assert_eq!(unit_weight_g(Unit::Bottle, Some(750), None), Some(750));
        assert_eq!(unit_weight_g(Unit::Jar, Some(250), Some(400)), Some(400));
        assert_eq!(unit_weight_g(Unit::Piece, None, None), None);
        assert_eq!(unit_weight_g(Unit::Piece, None, Some(1800)), Some(1800));
    }

    #[test]
    fn a_weight_is_whole_grams_within_a_tonne() {
        assert_eq!(parse_weight(" "), Ok(None));
        assert_eq!(parse_weight("1800"), Ok(Some(1800)));
        for bad in ["0", "-3", "1,5", "lourd", "1000001"] {
            assert_eq!(parse_weight(bad), Err(ErrorCode::QuantityInvalid), "{bad}");
        }
    }
}
