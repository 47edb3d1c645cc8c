//! Distances and driving times between a problem's places: geodesic distance times a
//! road factor at an average speed, or an imported road matrix.
use crate::domain::tours::{pair_field, PlanPlace};
use crate::domain::{ErrorCode, FieldErrors};
use crate::markets::sites::geodesic_m;
use std::collections::HashMap;

/// Road distances (km) and driving times (minutes) between places, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    pub size: usize,
    pub km: Vec<f64>,
    pub minutes: Vec<f64>,
}

impl Matrix {
    pub fn km(&self, from: usize, to: usize) -> f64 {
        self.km[from * self.size + to]
    }

    pub fn minutes(&self, from: usize, to: usize) -> f64 {
        self.minutes[from * self.size + to]
    }

    /// Geodesic distance times the road factor, driven at an average speed.
    pub fn geodesic(places: &[PlanPlace], road_factor: f64, speed_kmh: f64) -> Self {
        let size = places.len();
        let mut km = vec![0.0; size * size];
        for (i, a) in places.iter().enumerate() {
            for (j, b) in places.iter().enumerate() {
                km[i * size + j] = geodesic_m(a.lat, a.lon, b.lat, b.lon) / 1000.0 * road_factor;
            }
        }
        let minutes = km.iter().map(|km| km / speed_kmh * 60.0).collect();
        Self { size, km, minutes }
    }

    /// An imported matrix, `from,to,km,minutes` per line (a header line is allowed, `;`
    /// too); every ordered pair of these places must be there.
    pub fn from_csv(places: &[PlanPlace], csv: &str) -> Result<Self, FieldErrors> {
        let index: HashMap<&str, usize> = places
            .iter()
            .enumerate()
            .map(|(i, place)| (place.code.as_str(), i))
            .collect();
        let size = places.len();
        let mut km = vec![f64::NAN; size * size];
        let mut minutes = vec![f64::NAN; size * size];
        let mut errors = FieldErrors::new();
        for (number, line) in csv.lines().enumerate() {
            let cells: Vec<&str> = line.split([',', ';']).map(str::trim).collect();
            if cells.iter().all(|cell| cell.is_empty()) {
                continue;
            }
            let numbers = (
                cells
                    .get(2)
                    .and_then(|v| v.replace(' ', "").parse::<f64>().ok()),
                cells
                    .get(3)
                    .and_then(|v| v.replace(' ', "").parse::<f64>().ok()),
            );
            let (Some(distance), Some(time)) = numbers else {
                if number > 0 || cells.len() != 4 {
                    errors.add("matrix_csv", ErrorCode::CsvMalformed);
                    break;
                }
                continue;
            };
            if !(distance >= 0.0 && time >= 0.0 && distance.is_finite() && time.is_finite()) {
                errors.add("matrix_csv", ErrorCode::CsvMalformed);
                break;
            }
            let from = cells[0].to_lowercase();
            let to = cells[1].to_lowercase();
            if let (Some(&i), Some(&j)) = (index.get(from.as_str()), index.get(to.as_str())) {
                km[i * size + j] = distance;
                minutes[i * size + j] = time;
            }
        }
        for i in 0..size {
            km[i * size + i] = 0.0;
            minutes[i * size + i] = 0.0;
        }
        let mut missing = 0;
        for (i, a) in places.iter().enumerate() {
            for (j, b) in places.iter().enumerate() {
                if km[i * size + j].is_nan() {
                    missing += 1;
                    if missing <= 5 {
                        errors.add(&pair_field(&a.code, &b.code), ErrorCode::MatrixPairMissing);
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(Self { size, km, minutes })
        } else {
            Err(errors)
        }
    }
}
