//! The allocator's hold on memory under load. glibc's malloc gives busy threads arenas of
//! their own (up to eight per core: tokio's workers, the SQLite connections' threads,
//! blocking tasks) and keeps what a request freed inside them, so the resident size of a
//! server that renders pages grows with the number of arenas, then stays. Souk gives the
//! freed pages of every arena back to the kernel on a timer (`--malloc-trim-secs`, 10 s)
//! and can cap the arenas (`--malloc-arenas`, off: two arenas halved the page rate under
//! 16 clients); 0 leaves glibc's own behaviour. Chosen from `souk bench soak` and wrk
//! (README, "Memory").
use std::time::Duration;

/// At most `arenas` malloc arenas from now on (0: glibc's default). Call it first thing,
/// before threads allocate.
pub fn limit_arenas(arenas: u32) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if let Ok(arenas) = i32::try_from(arenas) {
        if arenas > 0 {
            // SAFETY: mallopt only sets a parameter of the allocator; any value is accepted
            // and an unknown one is refused with a return code.
            unsafe {
                libc::mallopt(libc::M_ARENA_MAX, arenas);
            }
        }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let _ = arenas;
}

/// Gives the free pages of every arena back to the kernel every `period` (none when 0).
pub fn spawn_trim(period: Duration) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if !period.is_zero() {
        tokio::spawn(async move {
            let mut every = tokio::time::interval(period);
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            every.tick().await;
            loop {
                every.tick().await;
                // SAFETY: malloc_trim walks the allocator's own free lists under its locks.
                let trimmed = tokio::task::spawn_blocking(|| unsafe { libc::malloc_trim(0) });
                if trimmed.await.is_err() {
                    return;
                }
            }
        });
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let _ = period;
}
