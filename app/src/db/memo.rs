//! Reads worth remembering for a few seconds: reference data (provinces, categories) and
//! what every visitor's markets map shows alike. A value is kept for its time to live and
//! dropped at once when its owner writes (`Db::forget`), so this process never shows an
//! old value after its own change, and another process's change (a second server on the
//! same PostgreSQL, `souk seed`) shows within the time to live.
//!
//! Hand-written rather than a caching crate: a handful of keys, no eviction beyond the
//! time to live, and the one rule a crate would not give: a load that began before a
//! `forget` is not stored (a generation counter), so a write is never hidden by a read
//! that raced it.
use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long reference data that only seeding writes is remembered.
pub const REFERENCE_TTL: Duration = Duration::from_secs(60);
/// How long what organisers change from the app is remembered (their own process drops
/// it at once; other processes see the change within this time).
pub const SHARED_TTL: Duration = Duration::from_secs(10);

struct Entry {
    stored: Instant,
    ttl: Duration,
    value: Arc<dyn Any + Send + Sync>,
}

#[derive(Default)]
pub struct Memo {
    entries: Mutex<HashMap<String, Entry>>,
    /// Bumped by every `forget`; a load stores its value only if none came meanwhile.
    generation: AtomicU64,
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let keys = self.entries.lock().map(|e| e.len()).unwrap_or_default();
        f.debug_struct("Memo").field("entries", &keys).finish()
    }
}

impl Memo {
    fn fresh<T: Clone + 'static>(&self, key: &str) -> Option<T> {
        let entries = self.entries.lock().ok()?;
        let entry = entries.get(key)?;
        if entry.stored.elapsed() >= entry.ttl {
            return None;
        }
        entry.value.downcast_ref::<T>().cloned()
    }

    /// The value under `key` while fresh, else what `load` gives (stored when it is a
    /// value and no `forget` came while it loaded).
    pub async fn get_or_load<T, E, F>(&self, key: &str, ttl: Duration, load: F) -> Result<T, E>
    where
        T: Clone + Send + Sync + 'static,
        F: Future<Output = Result<T, E>>,
    {
        if let Some(value) = self.fresh::<T>(key) {
            return Ok(value);
        }
        let generation = self.generation.load(Ordering::Acquire);
        let value = load.await?;
        if let Ok(mut entries) = self.entries.lock() {
            if self.generation.load(Ordering::Acquire) == generation {
                entries.insert(
                    key.to_owned(),
                    Entry {
                        stored: Instant::now(),
                        ttl,
                        value: Arc::new(value.clone()),
                    },
                );
            }
        }
        Ok(value)
    }

    /// The value last stored under `key`, fresh or not (until forgotten): for drawing
    /// where a wait for the database is not possible and a minute-old value does.
    pub fn last<T: Clone + 'static>(&self, key: &str) -> Option<T> {
        let entries = self.entries.lock().ok()?;
        entries.get(key)?.value.downcast_ref::<T>().cloned()
    }

    /// Drops every value whose key starts with `prefix`, and any load under way.
    pub fn forget(&self, prefix: &str) {
        if let Ok(mut entries) = self.entries.lock() {
            self.generation.fetch_add(1, Ordering::AcqRel);
            entries.retain(|key, _| !key.starts_with(prefix));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn load(n: u32, calls: &std::cell::Cell<u32>) -> Result<u32, ()> {
        calls.set(calls.get() + 1);
        Ok(n)
    }

    #[tokio::test]
    async fn a_value_is_loaded_once_until_forgotten_or_stale() {
        let memo = Memo::default();
        let calls = std::cell::Cell::new(0);
        let ttl = Duration::from_secs(60);
        assert_eq!(memo.get_or_load("a:1", ttl, load(1, &calls)).await, Ok(1));
        assert_eq!(memo.get_or_load("a:1", ttl, load(2, &calls)).await, Ok(1));
        assert_eq!(calls.get(), 1);
        memo.forget("b:");
        assert_eq!(memo.get_or_load("a:1", ttl, load(3, &calls)).await, Ok(1));
        memo.forget("a:");
        assert_eq!(memo.get_or_load("a:1", ttl, load(4, &calls)).await, Ok(4));
        assert_eq!(
            memo.get_or_load("a:2", Duration::ZERO, load(5, &calls))
                .await,
            Ok(5)
        );
        assert_eq!(
            memo.get_or_load("a:2", Duration::ZERO, load(6, &calls))
                .await,
            Ok(6)
        );
        assert_eq!(calls.get(), 4);
    }

    #[tokio::test]
    async fn a_load_that_raced_a_write_is_not_kept() {
        let memo = Memo::default();
        let ttl = Duration::from_secs(60);
        let raced = memo
            .get_or_load("a", ttl, async {
                memo.forget("a");
                Ok::<_, ()>("old")
            })
            .await;
        assert_eq!(raced, Ok("old"));
        let after = memo
            .get_or_load("a", ttl, async { Ok::<_, ()>("new") })
            .await;
        assert_eq!(after, Ok("new"));
    }

    #[tokio::test]
    async fn a_failed_load_is_not_kept() {
        let memo = Memo::default();
        let ttl = Duration::from_secs(60);
        let failed = memo
            .get_or_load("a", ttl, async { Err::<u32, _>("down") })
            .await;
        assert_eq!(failed, Err("down"));
        assert_eq!(
            memo.get_or_load("a", ttl, async { Ok::<_, ()>(7) }).await,
            Ok(7)
        );
    }
}
