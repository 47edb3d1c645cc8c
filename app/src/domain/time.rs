//! Days and hours as people in Morocco read them. Every local date and time goes through
//! `Africa/Casablanca` from jiff's bundled time-zone database: UTC+1 most of the year,
//! UTC+0 during Ramadan (its dates move every year; the database knows them).
use super::ErrorCode;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::LazyLock;

/// The zone every market hour, pickup deadline and date on screen is in.
pub const ZONE_NAME: &str = "Africa/Casablanca";

/// Morocco's zone. The database is compiled in, so a machine without tzdata has it too;
/// should it ever lack the zone, UTC+1 (Morocco outside Ramadan) rather than a panic.
pub fn zone() -> &'static TimeZone {
    static ZONE: LazyLock<TimeZone> = LazyLock::new(|| {
        TimeZone::get(ZONE_NAME).unwrap_or_else(|_| TimeZone::fixed(jiff::tz::offset(1)))
    });
    &ZONE
}

/// A calendar day. Written `YYYY-MM-DD` everywhere (database, forms, API), which also
/// sorts as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Day(Date);

/// In the API's contract: a `YYYY-MM-DD` string.
#[cfg(feature = "ssr")]
impl utoipa::PartialSchema for Day {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .into()
    }
}

#[cfg(feature = "ssr")]
impl utoipa::ToSchema for Day {}

impl Day {
    pub fn from_ymd(year: i64, month: i64, day: i64) -> Option<Self> {
        let (year, month, day) = (
            i16::try_from(year).ok()?,
            i8::try_from(month).ok()?,
            i8::try_from(day).ok()?,
        );
        Date::new(year, month, day).ok().map(Self)
    }

    /// `YYYY-MM-DD`, a real date between 2000 and 2100.
    pub fn parse(raw: &str) -> Result<Self, ErrorCode> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(ErrorCode::Required);
        }
        let mut parts = raw.splitn(3, '-');
        let mut next = || {
            parts
                .next()
                .filter(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|p| p.parse::<i64>().ok())
        };
        match (next(), next(), next()) {
            (Some(y), Some(m), Some(d)) if (2000..=2100).contains(&y) => {
                Self::from_ymd(y, m, d).ok_or(ErrorCode::DateInvalid)
            }
            _ => Err(ErrorCode::DateInvalid),
        }
    }

    /// The day of a Unix timestamp, in Morocco.
    pub fn of_timestamp(secs: i64) -> Self {
        Self(local(secs).date())
    }

    /// The Unix timestamp of a time of this day (minutes after midnight) in Morocco. A
    /// time the clocks skip (the hour after 02:00 when Ramadan ends) is read as the same
    /// wall time after the change; a time they pass twice, as its first passing.
    pub fn at(self, minutes: i64) -> i64 {
        let minutes = minutes.clamp(0, 24 * 60);
        let midnight = self.0.to_datetime(jiff::civil::Time::midnight());
        midnight
            .checked_add(minutes.minutes())
            .and_then(|wall| zone().to_timestamp(wall))
            .map(|at| at.as_second())
            .unwrap_or_default()
    }

    pub fn ymd(self) -> (i64, i64, i64) {
        (
            i64::from(self.0.year()),
            i64::from(self.0.month()),
            i64::from(self.0.day()),
        )
    }

    pub fn plus(self, days: i64) -> Self {
        self.0.checked_add(days.days()).map_or(self, Self)
    }

    pub fn days_until(self, other: Self) -> i64 {
        self.0
            .until(other.0)
            .map_or(0, |span| i64::from(span.get_days()))
    }

    /// 0 for Monday ... 6 for Sunday.
    pub fn weekday(self) -> i64 {
        i64::from(self.0.weekday().to_monday_zero_offset())
    }

    pub fn first_of_month(self) -> Self {
        Self(self.0.first_of_month())
    }

    /// `YYYYMMDD`, as iCalendar writes dates.
    pub fn compact(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{y:04}{m:02}{d:02}")
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl From<Day> for String {
    fn from(day: Day) -> Self {
        day.to_string()
    }
}

impl TryFrom<String> for Day {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        Self::parse(&raw).map_err(|_| format!("not a date: {raw}"))
    }
}

/// A Unix timestamp as a wall clock in Morocco.
fn local(secs: i64) -> jiff::civil::DateTime {
    let at = Timestamp::from_second(secs).unwrap_or(Timestamp::UNIX_EPOCH);
    zone().to_datetime(at)
}

/// A date and time of a Unix timestamp in Morocco, `YYYY-MM-DD HH:MM` (ISO order reads
/// in every language): order timelines, messages, the stock ledger, payouts.
pub fn timestamp_text(secs: i64) -> String {
    let at = local(secs);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute()
    )
}

/// Morocco's offset from UTC at a moment, in seconds (3600 or 0 in Ramadan).
pub fn offset_at(secs: i64) -> i32 {
    let at = Timestamp::from_second(secs).unwrap_or(Timestamp::UNIX_EPOCH);
    zone().to_offset(at).seconds()
}

/// A change of Morocco's offset: when (Unix seconds), the offset before and after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OffsetChange {
    pub at: i64,
    pub before: i32,
    pub after: i32,
}

/// The offset changes from `from` to `until` (Unix seconds), oldest first.
pub fn offset_changes(from: i64, until: i64) -> Vec<OffsetChange> {
    let Ok(start) = Timestamp::from_second(from) else {
        return Vec::new();
    };
    let mut before = offset_at(from);
    let mut changes = Vec::new();
    for transition in zone().following(start) {
        let at = transition.timestamp().as_second();
        if at > until {
            break;
        }
        let after = transition.offset().seconds();
        if after != before {
            changes.push(OffsetChange { at, before, after });
            before = after;
        }
    }
    changes
}

/// `YYYYMMDDTHHMMSS` of a Unix timestamp seen at a fixed offset (seconds).
pub fn compact_at_offset(secs: i64, offset: i32) -> String {
    let at = Timestamp::from_second(secs + i64::from(offset)).unwrap_or(Timestamp::UNIX_EPOCH);
    at.strftime("%Y%m%dT%H%M%S").to_string()
}

/// `YYYYMMDDTHHMMSSZ` of a Unix timestamp, as iCalendar writes UTC.
pub fn utc_compact(secs: i64) -> String {
    let at = Timestamp::from_second(secs).unwrap_or(Timestamp::UNIX_EPOCH);
    at.strftime("%Y%m%dT%H%M%SZ").to_string()
}

pub fn days_in_month(year: i64, month: i64) -> i64 {
    Day::from_ymd(year, month, 1).map_or(0, |day| i64::from(day.0.days_in_month()))
}

/// A month as `YYYY-MM` (the month view of the calendar).
pub fn parse_month(raw: &str) -> Option<Day> {
    Day::parse(&format!("{}-01", raw.trim())).ok()
}

/// A time of day `HH:MM` as minutes after midnight.
pub fn parse_time(raw: &str) -> Result<i64, ErrorCode> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(ErrorCode::Required);
    }
    let (h, m) = raw
        .split_once([':', 'h', 'H'])
        .ok_or(ErrorCode::TimeInvalid)?;
    let m = if m.is_empty() { "00" } else { m };
    match (h.parse::<i64>(), m.parse::<i64>()) {
        (Ok(h), Ok(m))
            if (0..24).contains(&h) && (0..60).contains(&m) && m.to_string().len() <= 2 =>
        {
            Ok(h * 60 + m)
        }
        _ => Err(ErrorCode::TimeInvalid),
    }
}

pub fn time_text(minutes: i64) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(raw: &str) -> Day {
        Day::parse(raw).expect("a date")
    }

    /// 2026-02-15 03:00 in Morocco: the clocks go back to UTC+0 for Ramadan.
    const RAMADAN_2026_STARTS: i64 = 1_771_120_800;
    /// 2026-03-22 02:00 in Morocco: back to UTC+1.
    const RAMADAN_2026_ENDS: i64 = 1_774_144_800;
    /// 2026-09-20 02:00 in Morocco: UTC+0 from then on (tzdata 2026f).
    const UTC_FROM_SEPTEMBER_2026: i64 = 1_789_866_000;

    #[test]
    fn days_round_trip_through_text() {
        for raw in ["2026-11-29", "2000-01-01", "2028-02-29", "2100-12-31"] {
            assert_eq!(day(raw).to_string(), raw);
        }
        assert_eq!(Day::of_timestamp(0), day("2000-01-01").plus(-10_957));
    }

    #[test]
    fn impossible_or_malformed_dates_are_refused() {
        for raw in [
            "2026-02-29",
            "2026-13-01",
            "2026-04-31",
            "29/11/2026",
            "2026-1-x",
            "1999-12-31",
            "abc",
        ] {
            assert_eq!(Day::parse(raw), Err(ErrorCode::DateInvalid), "{raw}");
        }
        assert_eq!(Day::parse(" "), Err(ErrorCode::Required));
    }

    #[test]
    fn weekdays_and_months_are_counted_right() {
        assert_eq!(day("2026-11-29").weekday(), 6); // a Sunday
        assert_eq!(day("2026-11-30").weekday(), 0);
        assert_eq!(day("2026-11-29").first_of_month(), day("2026-11-01"));
        assert_eq!(day("2026-12-31").plus(1), day("2027-01-01"));
        assert_eq!(day("2026-11-29").days_until(day("2027-01-01")), 33);
        assert_eq!(days_in_month(2028, 2), 29);
        assert_eq!(days_in_month(2026, 11), 30);
    }

    #[test]
    fn outside_ramadan_2025_morocco_was_an_hour_ahead_of_utc() {
        assert_eq!(Day::of_timestamp(1_764_288_000), day("2025-11-28")); // 00:00 UTC
        assert_eq!(Day::of_timestamp(1_764_370_800), day("2025-11-29")); // 23:00 UTC
        assert_eq!(day("2025-11-29").at(0), 1_764_370_800);
        assert_eq!(
            Day::of_timestamp(day("2025-11-29").at(14 * 60)),
            day("2025-11-29")
        );
        // An order placed at 22:40 in Fès reads 22:40, not 21:40.
        assert_eq!(
            timestamp_text(day("2025-11-29").at(22 * 60 + 40)),
            "2025-11-29 22:40"
        );
        assert_eq!(
            utc_compact(day("2025-11-29").at(10 * 60)),
            "20251129T090000Z"
        );
    }

    #[test]
    fn during_ramadan_morocco_is_on_utc() {
        // The night the clocks go back, 03:00 becomes 02:00 again.
        assert_eq!(timestamp_text(RAMADAN_2026_STARTS - 1), "2026-02-15 02:59");
        assert_eq!(timestamp_text(RAMADAN_2026_STARTS), "2026-02-15 02:00");
        // A market from 10:00 on the first day opens at 10:00 UTC, an hour later than
        // it would the week before.
        assert_eq!(
            utc_compact(day("2026-02-15").at(10 * 60)),
            "20260215T100000Z"
        );
        assert_eq!(
            utc_compact(day("2026-02-08").at(10 * 60)),
            "20260208T090000Z"
        );
        assert_eq!(
            day("2026-02-15").at(20 * 60) - day("2026-02-15").at(10 * 60),
            36_000
        );
        // Midnight to midnight over the change is 25 hours; over the way back, 23.
        assert_eq!(day("2026-02-16").at(0) - day("2026-02-15").at(0), 25 * 3600);
        assert_eq!(day("2026-03-23").at(0) - day("2026-03-22").at(0), 23 * 3600);
        // 02:30 on the way back does not exist: read as 03:30, after the change.
        assert_eq!(
            day("2026-03-22").at(2 * 60 + 30),
            RAMADAN_2026_ENDS + 30 * 60
        );
        assert_eq!(
            Day::of_timestamp(day("2026-02-15").at(23 * 60 + 30)),
            day("2026-02-15")
        );
        // The database's changes for 2026, as Python's zoneinfo (Debian's older tzdata)
        // also reads Ramadan; the database compiled in also knows that Morocco has stayed
        // on UTC+0 since September 2026.
        assert_eq!(
            offset_changes(day("2026-01-01").at(0), day("2026-12-31").at(0)),
            vec![
                OffsetChange {
                    at: RAMADAN_2026_STARTS,
                    before: 3600,
                    after: 0
                },
                OffsetChange {
                    at: RAMADAN_2026_ENDS,
                    before: 0,
                    after: 3600
                },
                OffsetChange {
                    at: UTC_FROM_SEPTEMBER_2026,
                    before: 3600,
                    after: 0
                },
            ]
        );
        assert_eq!(
            compact_at_offset(RAMADAN_2026_STARTS, 3600),
            "20260215T030000"
        );
    }

    #[test]
    fn times_are_minutes_after_midnight() {
        assert_eq!(parse_time("09:30"), Ok(570));
        assert_eq!(parse_time("9h"), Ok(540));
        assert_eq!(parse_time("24:00"), Err(ErrorCode::TimeInvalid));
        assert_eq!(parse_time("10:5x"), Err(ErrorCode::TimeInvalid));
        assert_eq!(time_text(1085), "18:05");
    }
}
