//! The one clock of Souk: every service and job asks the application state's `Clock` for
//! the time, so tests can hold it still and move it (across a Ramadan change, past a
//! market's closing) instead of rewriting rows.
use crate::domain::time::Day;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// The system's clock, or a hand-set one shared by every copy (tests).
#[derive(Clone, Debug, Default)]
pub struct Clock {
    set: Option<Arc<AtomicI64>>,
}

impl Clock {
    pub fn system() -> Self {
        Self::default()
    }

    /// A clock that shows `at` (Unix seconds) until it is set or advanced.
    pub fn fixed(at: i64) -> Self {
        Self {
            set: Some(Arc::new(AtomicI64::new(at))),
        }
    }

    /// Seconds since the Unix epoch.
    pub fn now(&self) -> i64 {
        match &self.set {
            Some(at) => at.load(Ordering::SeqCst),
            None => system_now(),
        }
    }

    /// Today in Morocco.
    pub fn today(&self) -> Day {
        Day::of_timestamp(self.now())
    }

    /// Moves a fixed clock to `at`. The system clock cannot be moved: it is an error of the
    /// caller, reported rather than ignored.
    pub fn set(&self, at: i64) -> Result<(), SystemClock> {
        let set = self.set.as_ref().ok_or(SystemClock)?;
        set.store(at, Ordering::SeqCst);
        Ok(())
    }

    /// Moves a fixed clock `secs` forward.
    pub fn advance(&self, secs: i64) -> Result<(), SystemClock> {
        let set = self.set.as_ref().ok_or(SystemClock)?;
        set.fetch_add(secs, Ordering::SeqCst);
        Ok(())
    }
}

/// A try to move the system clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SystemClock;

fn system_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_moves_only_when_told_and_every_copy_sees_it() {
        let clock = Clock::fixed(1_801_965_600);
        let copy = clock.clone();
        assert_eq!(copy.now(), 1_801_965_600);
        clock.advance(3600).expect("a fixed clock");
        assert_eq!(copy.now(), 1_801_969_200);
        clock.set(0).expect("a fixed clock");
        assert_eq!(copy.today().to_string(), "1970-01-01");
    }

    #[test]
    fn the_system_clock_runs_and_cannot_be_moved() {
        let clock = Clock::system();
        assert!(clock.now() > 1_790_000_000);
        assert_eq!(clock.set(0), Err(SystemClock));
        assert_eq!(clock.advance(1), Err(SystemClock));
    }
}
