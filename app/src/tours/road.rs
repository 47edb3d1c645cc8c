//! Sleeping on the road: how one leg between two places is driven when the tour does
//! not go back to its depot each evening. A leg that fits in what is left of the working
//! day is driven at once (the crew sleeps where it arrives); one that does not is driven
//! the next morning (the crew sleeps where it is), or split over a lodging place: the
//! evening to it, the morning from it. The earliest arrival wins, then the fewer km.
//! The solver (through a time-dependent transport cost) and the itinerary use this same
//! arithmetic, so what is planned is what is printed.

/// Minutes in a day.
pub const DAY: f64 = 24.0 * 60.0;
const EPS: f64 = 1e-6;

/// The roads of a problem and the working day, with where a night may also be spent.
#[derive(Debug, Clone, PartialEq)]
pub struct Roads {
    pub size: usize,
    pub km: Vec<f64>,
    pub minutes: Vec<f64>,
    /// Driving only between these minutes after midnight.
    pub drive_from: f64,
    pub drive_until: f64,
    /// Places (indices) where a leg may stop for the night (the depot among them).
    pub lodging: Vec<usize>,
}

/// One drive without a night in it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Drive {
    pub from: usize,
    pub to: usize,
    pub leaves: f64,
    pub arrives: f64,
    pub km: f64,
    pub minutes: f64,
}

/// A leg: one drive, or two with a night at a lodging place between them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Leg {
    pub first: Drive,
    pub second: Option<Drive>,
}

impl Leg {
    pub fn arrives(&self) -> f64 {
        self.second.unwrap_or(self.first).arrives
    }

    pub fn km(&self) -> f64 {
        self.first.km + self.second.map_or(0.0, |drive| drive.km)
    }

    pub fn drives(&self) -> impl Iterator<Item = Drive> {
        std::iter::once(self.first).chain(self.second)
    }
}

/// The day (0 = the tour's first) an instant falls on.
pub fn day_of(at: f64) -> i64 {
    (at / DAY).floor() as i64
}

impl Roads {
    pub fn km(&self, from: usize, to: usize) -> f64 {
        self.km[from * self.size + to]
    }

    pub fn minutes(&self, from: usize, to: usize) -> f64 {
        self.minutes[from * self.size + to]
    }

    fn drive(&self, from: usize, to: usize, leaves: f64) -> Drive {
        let minutes = self.minutes(from, to);
        Drive {
            from,
            to,
            leaves,
            arrives: leaves + minutes,
            km: self.km(from, to),
            minutes,
        }
    }

    /// How the leg from `from` to `to` is driven when the crew is free to leave at
    /// `leaves`; none when no way fits in the working days (a leg longer than a day's
    /// driving with no lodging place to split it).
    pub fn leg(&self, from: usize, to: usize, leaves: f64) -> Option<Leg> {
        let (from_clock, until) = (self.drive_from, self.drive_until);
        let mut day = day_of(leaves);
        let mut clock = leaves - day as f64 * DAY;
        // Free at night: the crew leaves the next morning (or this morning).
        if clock < from_clock {
            clock = from_clock;
        } else if clock > until + EPS {
            day += 1;
            clock = from_clock;
        }
        let leaves = day as f64 * DAY + clock;
        let minutes = self.minutes(from, to);
        if from == to || clock + minutes <= until + EPS {
            return Some(Leg {
                first: self.drive(from, to, leaves),
                second: None,
            });
        }
        let morning = (day + 1) as f64 * DAY + from_clock;
        let window = until - from_clock;
        let mut best = (minutes <= window + EPS).then(|| Leg {
            first: self.drive(from, to, morning),
            second: None,
        });
        for &lodging in &self.lodging {
            if lodging == from
                || lodging == to
                || clock + self.minutes(from, lodging) > until + EPS
                || self.minutes(lodging, to) > window + EPS
            {
                continue;
            }
            let split = Leg {
                first: self.drive(from, lodging, leaves),
                second: Some(self.drive(lodging, to, morning)),
            };
            let better = best.is_none_or(|best| {
                split.arrives() < best.arrives() - EPS
                    || (split.arrives() < best.arrives() + EPS && split.km() < best.km() - EPS)
            });
            if better {
                best = Some(split);
            }
        }
        best
    }

    /// The latest moment the crew may leave `from` and still reach `to` by `arrive_by`.
    /// Arrival never decreases with departure, and is linear or constant between the
    /// instants tried here, so the latest departure is one of them.
    pub fn latest_leave(&self, from: usize, to: usize, arrive_by: f64) -> Option<f64> {
        let minutes = self.minutes(from, to);
        let mut tries = vec![arrive_by - minutes];
        let last = day_of(arrive_by);
        for day in last - 3..=last {
            let midnight = day as f64 * DAY;
            tries.push(midnight + self.drive_from);
            tries.push(midnight + self.drive_until - minutes);
            tries.push(midnight + self.drive_until);
            for &lodging in &self.lodging {
                tries.push(midnight + self.drive_until - self.minutes(from, lodging));
            }
        }
        tries
            .into_iter()
            .filter(|&leaves| {
                leaves <= arrive_by + EPS
                    && self
                        .leg(from, to, leaves)
                        .is_some_and(|leg| leg.arrives() <= arrive_by + EPS)
            })
            .max_by(f64::total_cmp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Place 0 the depot, 1 and 2 two towns 300 minutes apart (a km per minute), 3 a
    /// lodging place halfway; driving 06:00–20:00.
    fn roads() -> Roads {
        let minutes = vec![
            0.0, 100.0, 300.0, 200.0, //
            100.0, 0.0, 300.0, 150.0, //
            300.0, 300.0, 0.0, 150.0, //
            200.0, 150.0, 150.0, 0.0,
        ];
        Roads {
            size: 4,
            km: minutes.clone(),
            minutes,
            drive_from: 360.0,
            drive_until: 1200.0,
            lodging: vec![0, 3],
        }
    }

    #[test]
    fn a_leg_that_fits_the_day_is_driven_at_once() {
        let leg = roads().leg(1, 2, 14.0 * 60.0).expect("a leg");
        assert_eq!(leg.second, None);
        assert_eq!(leg.arrives(), 19.0 * 60.0);
    }

    #[test]
    fn a_leg_past_the_evening_goes_over_the_nearest_lodging_place_or_waits_for_the_morning() {
        // Leaving at 17:00, 300 minutes would end at 22:00: through the lodging place (150
        // minutes tonight, 150 tomorrow) it arrives at 08:30 instead of 11:00.
        let leg = roads().leg(1, 2, 17.0 * 60.0).expect("a leg");
        assert_eq!(leg.first.to, 3);
        assert_eq!(leg.arrives(), DAY + 8.5 * 60.0);
        assert_eq!(leg.km(), 300.0);
        // Without lodging places the crew sleeps where it is.
        let alone = Roads {
            lodging: Vec::new(),
            ..roads()
        };
        let leg = alone.leg(1, 2, 17.0 * 60.0).expect("a leg");
        assert_eq!(
            (leg.first.leaves, leg.arrives()),
            (DAY + 360.0, DAY + 660.0)
        );
        // Free at 23:00: tomorrow morning.
        let leg = alone.leg(1, 2, 23.0 * 60.0).expect("a leg");
        assert_eq!(leg.first.leaves, DAY + 360.0);
    }

    #[test]
    fn a_leg_longer_than_a_working_day_needs_a_lodging_place() {
        let short = Roads {
            drive_until: 600.0,
            lodging: Vec::new(),
            ..roads()
        };
        assert_eq!(short.leg(1, 2, 360.0), None);
    }

    #[test]
    fn the_latest_departure_is_the_inverse_of_the_leg() {
        let roads = roads();
        for arrive_by in [
            10.0 * 60.0,
            19.0 * 60.0,
            DAY + 8.5 * 60.0,
            DAY + 11.0 * 60.0,
            2.0 * DAY + 7.0 * 60.0,
        ] {
            let leaves = roads.latest_leave(1, 2, arrive_by).expect("some departure");
            let leg = roads.leg(1, 2, leaves).expect("a leg");
            assert!(leg.arrives() <= arrive_by + EPS, "{arrive_by}: {leg:?}");
            // A minute later is too late.
            let later = roads
                .leg(1, 2, leaves + 1.0)
                .map_or(f64::INFINITY, |l| l.arrives());
            assert!(later > arrive_by + EPS, "{arrive_by}: leaving at {leaves}");
        }
        let short = Roads {
            drive_until: 600.0,
            lodging: Vec::new(),
            ..roads
        };
        assert_eq!(short.latest_leave(1, 2, 5.0 * DAY), None);
    }
}
