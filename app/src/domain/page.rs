//! One page of a list, as asked for: the only way a page number reaches a query, so no
//! list can be asked for page 0, for a page beyond `MAX_PAGE`, or for an offset that
//! wraps (offsets are computed in i64).
use super::{ErrorCode, FieldErrors};

/// The last page anyone may ask for: at 100 a page, a million rows deep.
pub const MAX_PAGE: u32 = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    number: u32,
    per_page: u32,
}

impl Page {
    /// Page `number` (1..=MAX_PAGE, else `page: number_invalid`) of `per_page` rows,
    /// which is brought within 1..=`max_per_page`.
    pub fn new(number: u32, per_page: u32, max_per_page: u32) -> Result<Self, FieldErrors> {
        if !(1..=MAX_PAGE).contains(&number) {
            let mut errors = FieldErrors::new();
            errors.add("page", ErrorCode::NumberInvalid);
            return Err(errors);
        }
        Ok(Self {
            number,
            per_page: per_page.clamp(1, max_per_page.max(1)),
        })
    }

    /// The page number and size from a query's text (`?page=3&per_page=50`): empty is
    /// the default, anything else must be a number within bounds (`page` and `per_page`
    /// errors, both reported).
    pub fn parse(
        page: &str,
        per_page: &str,
        default_per_page: u32,
        max_per_page: u32,
    ) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let number = |raw: &str, default: u32, max: u32| match raw.trim() {
            "" => Ok(default),
            raw => raw
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or(ErrorCode::NumberInvalid),
        };
        let page = errors.check("page", number(page, 1, MAX_PAGE));
        let per_page = errors.check("per_page", number(per_page, default_per_page, max_per_page));
        match (page, per_page) {
            (Some(page), Some(per_page)) => Self::new(page, per_page, max_per_page),
            _ => Err(errors),
        }
    }

    pub fn number(self) -> u32 {
        self.number
    }

    pub fn per_page(self) -> u32 {
        self.per_page
    }

    /// `LIMIT`.
    pub fn limit(self) -> i64 {
        i64::from(self.per_page)
    }

    /// `OFFSET`: the rows before this page.
    pub fn offset(self) -> i64 {
        (i64::from(self.number) - 1) * i64::from(self.per_page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_beyond_the_bounds_are_refused_not_wrapped() {
        for bad in [0, MAX_PAGE + 1, u32::MAX] {
            let errors = Page::new(bad, 20, 100).expect_err("out of bounds");
            assert_eq!(errors.get("page"), Some(ErrorCode::NumberInvalid), "{bad}");
        }
        let last = Page::new(MAX_PAGE, 100, 100).expect("the last page");
        assert_eq!(last.offset(), 999_900);
        assert_eq!(last.limit(), 100);
    }

    #[test]
    fn page_size_is_brought_within_the_lists_bounds() {
        assert_eq!(Page::new(1, 0, 100).expect("ok").per_page(), 1);
        assert_eq!(Page::new(1, 5_000, 100).expect("ok").per_page(), 100);
        assert_eq!(Page::new(3, 24, 100).expect("ok").offset(), 48);
    }

    #[test]
    fn query_text_is_checked_field_by_field() {
        assert_eq!(Page::parse("", "", 24, 100), Page::new(1, 24, 100));
        let errors = Page::parse("4294967295", "abc", 24, 100).expect_err("both wrong");
        assert_eq!(errors.get("page"), Some(ErrorCode::NumberInvalid));
        assert_eq!(errors.get("per_page"), Some(ErrorCode::NumberInvalid));
        assert!(
            Page::parse("2", "500", 24, 100).is_err(),
            "over the list's maximum"
        );
    }
}
