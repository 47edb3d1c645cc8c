//! Solomon's VRPTW benchmark instances, read into the same [`Routing`] the tour planner
//! solves: Euclidean distances unrounded, travel time equal to distance, one shift from
//! the depot's ready time to its due date.
use super::solver::{Alternative, Routing, Solved, Visit};

/// Reads an instance: the `NUMBER CAPACITY` line under VEHICLE, then one line of seven
/// numbers per customer (number, x, y, demand, ready, due, service), the depot first.
pub fn parse(text: &str) -> Result<Routing, String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut fleet = None;
    let mut nodes: Vec<[f64; 7]> = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if line.trim_start().starts_with("NUMBER") {
            let values: Vec<i64> = lines
                .get(index + 1)
                .map(|next| {
                    next.split_whitespace()
                        .filter_map(|v| v.parse().ok())
                        .collect()
                })
                .unwrap_or_default();
            if let [vehicles, capacity] = values[..] {
                fleet = Some((vehicles, capacity));
            }
            continue;
        }
        let values: Vec<f64> = line
            .split_whitespace()
            .map_while(|value| value.parse().ok())
            .collect();
        if values.len() == 7 && line.split_whitespace().count() == 7 {
            let mut node = [0.0; 7];
            node.copy_from_slice(&values);
            nodes.push(node);
        }
    }
    let (vehicles, capacity) = fleet.ok_or("no VEHICLE NUMBER CAPACITY line")?;
    let depot = nodes.first().ok_or("no customers")?;
    if depot[0] != 0.0 {
        return Err("the first customer line must be the depot, number 0".into());
    }
    for (index, node) in nodes.iter().enumerate() {
        if node[0] != index as f64 {
            return Err(format!("customer {} is out of order", node[0]));
        }
    }
    let size = nodes.len();
    let mut distances = vec![0.0; size * size];
    for (from, a) in nodes.iter().enumerate() {
        for (to, b) in nodes.iter().enumerate() {
            distances[from * size + to] = (a[1] - b[1]).hypot(a[2] - b[2]);
        }
    }
    let visits = nodes[1..]
        .iter()
        .enumerate()
        .map(|(index, node)| Visit {
            alternatives: vec![Alternative {
                location: index + 1,
                duration: node[6],
                windows: vec![(node[4], node[5])],
            }],
            load: node[3] as i32,
            must: true,
        })
        .collect();
    Ok(Routing {
        size,
        durations: distances.clone(),
        distances,
        depot: 0,
        visits,
        vehicles: usize::try_from(vehicles).map_err(|_| "a negative vehicle count")?,
        capacity: i32::try_from(capacity).map_err(|_| "capacity out of range")?,
        shifts: vec![(depot[4], depot[5])],
        driving_limit: None,
        overnight: None,
    })
}

/// The routes as customer numbers, the shape `check_solomon.py` reads.
pub fn routes_json(solved: &Solved) -> String {
    let routes: Vec<Vec<usize>> = solved
        .routes
        .iter()
        .map(|route| route.stops.iter().map(|&(visit, _, _)| visit + 1).collect())
        .collect();
    serde_json::json!({ "routes": routes }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TINY: &str = "TINY\n\nVEHICLE\nNUMBER     CAPACITY\n  2         10\n\nCUSTOMER\nCUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME\n\n    0      0         0          0          0       100          0\n    1      3         4          5          0        50         10\n    2      6         8          5         20        60         10\n";

    #[test]
    fn an_instance_becomes_a_routing_problem() {
        let routing = parse(TINY).expect("parses");
        assert_eq!(routing.size, 3);
        assert_eq!((routing.vehicles, routing.capacity), (2, 10));
        assert_eq!(routing.distance(0, 1), 5.0);
        assert_eq!(routing.distance(0, 2), 10.0);
        assert_eq!(
            routing.visits[1].alternatives[0].windows,
            vec![(20.0, 60.0)]
        );
        assert_eq!(routing.shifts, vec![(0.0, 100.0)]);
    }

    #[test]
    fn an_instance_without_its_fleet_is_refused() {
        assert!(parse("    0 0 0 0 0 100 0\n").is_err());
    }
}
