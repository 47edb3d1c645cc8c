//! The facts' days and months: an order's date in Morocco by the zone the pages use
//! (`domain::time`), as days since 1970-01-01, in SQL (`day_sql`) and in Rust alike.
use crate::domain::markets::Day;
use crate::domain::time::{offset_at, offset_changes};

/// Since when the facts' days follow Morocco's clock change by change (`day_sql`): the
/// first orders are later than this.
const DAYS_FROM: i64 = 946_684_800; // 2000-01-01
/// Until when (the zone's known changes end well before).
const DAYS_UNTIL: i64 = 4_102_444_800; // 2100-01-01

/// The `day` an instant falls on in Morocco (days since 1970-01-01 of its date there),
/// as the SQL of the integer expression `at`: the instant plus Morocco's offset then,
/// written as one `CASE` over the zone's changes (newest first), so both engines compute
/// the day the pages show, whichever hour the clocks keep (UTC+1, UTC+0 in Ramadan and
/// since September 2026). Made once from the zone.
pub fn day_sql(at: &str) -> String {
    static CASE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let changes = offset_changes(DAYS_FROM, DAYS_UNTIL);
        let first = changes
            .first()
            .map(|c| c.before)
            .unwrap_or_else(|| offset_at(DAYS_FROM));
        let mut case = String::from("(@at + CASE");
        for change in changes.iter().rev() {
            case.push_str(&format!(" WHEN @at >= {} THEN {}", change.at, change.after));
        }
        case.push_str(&format!(" ELSE {first} END) / 86400"));
        case
    });
    CASE.replace("@at", at)
}

/// The `day` a fact at instant `at` falls on: its date in Morocco, as `day_sql` writes it.
pub fn day_of(at: i64) -> i64 {
    (at + i64::from(offset_at(at))).div_euclid(86_400)
}

/// The first instant of `day` (the facts' day: `day_of` of it is `day`): midnight in
/// Morocco.
pub fn start_of(day: i64) -> i64 {
    Day::of_timestamp(day * 86_400).at(0)
}

/// The `day` of a calendar day.
pub fn day_number(day: Day) -> i64 {
    day_of(day.at(0))
}

/// The `month` of `order_months` a facts' `day` falls in: the day its month starts on.
pub fn month_of(day: i64) -> i64 {
    day_number(Day::of_timestamp(day * 86_400).first_of_month())
}

/// The first day of the month after `day`'s (a `month` of `order_months`).
pub fn next_month(day: i64) -> i64 {
    month_of(month_of(day) + 31)
}
