//! `souk bench territory`: how fast points are placed into provinces (the region check of
//! every address, a site's province), on the shipped Kingdom's outlines, in memory.
use app::territory::atlas::Atlas;
use app::territory::kingdom::{parse_kingdom, KINGDOM};
use std::time::Instant;

/// Places `points` pseudo-random points spread over Morocco's bounding box (the same
/// points every run), `rounds` times, and prints the median time and how many landed.
pub fn run(points: usize, rounds: usize) -> Result<(), String> {
    let started = Instant::now();
    let kingdom = parse_kingdom(KINGDOM).map_err(|e| e.to_string())?;
    let seats: Vec<(f64, f64)> = kingdom
        .regions
        .iter()
        .flat_map(|r| &r.provinces)
        .filter_map(|p| p.seat.as_ref().and_then(|s| s.lat.zip(s.lon)))
        .collect();
    let atlas = Atlas::new(kingdom.regions.into_iter().flat_map(|region| {
        let code = region.code;
        region
            .provinces
            .into_iter()
            .map(move |p| (p.code, code.clone(), p.outline))
    }));
    println!(
        "atlas of {} outlines built in {:.1} ms",
        atlas.len(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    // A linear congruential generator: the same points on every machine.
    let mut state: u64 = 0x5eed_2026;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let spread: Vec<(f64, f64)> = (0..points)
        .map(|_| (21.0 + 15.0 * next(), -17.5 + 16.5 * next()))
        .collect();
    // Where addresses are: within about 30 km of a seat.
    let towns: Vec<(f64, f64)> = (0..points)
        .map(|i| {
            let (lat, lon) = seats[i % seats.len()];
            (lat + 0.6 * (next() - 0.5), lon + 0.6 * (next() - 0.5))
        })
        .collect();
    place(&atlas, "over Morocco's bounding box", &spread, rounds);
    place(&atlas, "around the 75 seats", &towns, rounds);
    Ok(())
}

fn place(atlas: &Atlas, what: &str, sample: &[(f64, f64)], rounds: usize) {
    let points = sample.len();
    let mut timings = Vec::with_capacity(rounds);
    let (mut inside, mut near) = (0, 0);
    for _ in 0..rounds.max(1) {
        let (mut i, mut n) = (0, 0);
        let round = Instant::now();
        for (lat, lon) in sample {
            match atlas.locate(*lat, *lon) {
                Some(placed) if placed.inside => i += 1,
                Some(_) => n += 1,
                None => {}
            }
        }
        timings.push(round.elapsed().as_secs_f64());
        (inside, near) = (i, n);
    }
    timings.sort_by(f64::total_cmp);
    let median = timings[timings.len() / 2];
    println!(
        "{points} points {what} placed in {:.1} ms (median of {}): {inside} inside a province, {near} within {} km of one, {} in none; {:.1} µs a point",
        median * 1000.0,
        timings.len(),
        app::territory::atlas::NEAR_KM,
        points - inside - near,
        median * 1e6 / points as f64
    );
}
