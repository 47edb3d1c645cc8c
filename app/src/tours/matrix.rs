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
                // A header line has words where the numbers go, both of them.
                let header = number == 0 && numbers.0.is_none() && numbers.1.is_none();
                if !header || cells.len() != 4 {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn place(code: &str, lat: f64, lon: f64) -> PlanPlace {
        PlanPlace {
            code: code.into(),
            site_id: None,
            name_fr: code.into(),
            name_ar: code.into(),
            province: String::new(),
            lat,
            lon,
        }
    }

    #[test]
    fn geodesic_distances_carry_the_road_factor_and_the_speed() {
        let places = [
            place("fes", 34.0331, -5.0003),
            place("meknes", 33.8935, -5.5473),
        ];
        let matrix = Matrix::geodesic(&places, 1.3, 65.0);
        let crow = geodesic_m(34.0331, -5.0003, 33.8935, -5.5473) / 1000.0;
        assert!((matrix.km(0, 1) - crow * 1.3).abs() < 1e-9);
        assert!((matrix.minutes(1, 0) - crow * 1.3 / 65.0 * 60.0).abs() < 1e-9);
        assert_eq!(matrix.km(1, 1), 0.0);
    }

    #[test]
    fn an_imported_matrix_needs_every_pair() {
        let places = [
            place("a", 0.0, 0.0),
            place("b", 0.0, 0.0),
            place("c", 0.0, 0.0),
        ];
        let full = "from;to;km;minutes\na;b;10;12\nb;a;11;13\na;c;5;6\nc;a;5;6\nb;c;7;8\nc;b;7;8\nz;a;1;1\n";
        let matrix = Matrix::from_csv(&places, full).expect("complete");
        assert_eq!((matrix.km(1, 0), matrix.minutes(1, 0)), (11.0, 13.0));
        let missing =
            Matrix::from_csv(&places, "a,b,10,12\nb,a,11,13\n").expect_err("pairs missing");
        assert_eq!(
            missing.get(&pair_field("a", "c")),
            Some(ErrorCode::MatrixPairMissing)
        );
        let malformed = Matrix::from_csv(&places, "a,b,ten,12\n").expect_err("not a number");
        assert_eq!(missing.0.len(), 4);
        assert_eq!(malformed.get("matrix_csv"), Some(ErrorCode::CsvMalformed));
    }
}
