//! What a trend plot draws of a session's readings, shared by the window's trends
//! (`ui::trends`) and the PDF report (`report`), so both thin a long session alike.
//! Pure: points from the fold.

use crate::clock::Time;
use crate::session::{SessionState, Vital};

/// More points than this per series are decimated: a plot a few hundred pixels (or a
/// page's 140 mm) wide cannot show more, and drawing them would cost the frame, or
/// megabytes of PDF.
pub const MAX_POINTS: usize = 1200;

/// A series of at most this many points also gets a marker on each: a line needs two
/// points, so without markers a vital read once would not show at all. Above it (a
/// device stream) markers would merge into a band thicker than the line they mark.
pub const MARKERS_UP_TO: usize = 300;

/// One vital's valid readings as `[x, value]` points in measured order, `x` as the
/// caller places a time on its axis; values that are not finite numbers (a forged or
/// damaged log: `inf`, `NaN`) are left out, since no axis can place them; at most
/// [`MAX_POINTS`] points, thinned by [`decimate`].
pub fn series(state: &SessionState, vital: Vital, x: impl Fn(Time) -> f64) -> Vec<[f64; 2]> {
    let points: Vec<[f64; 2]> = state
        .measured_between(None, None)
        .filter_map(|(_, v)| {
            let value = v.values.get(vital).filter(|value| value.is_finite())?;
            Some([x(v.at), value])
        })
        .collect();
    decimate(&points, MAX_POINTS)
}

/// At most `max` points: each bucket of the time axis keeps its lowest and highest value,
/// so a spike stays visible however long the session. Points in, points out, in order;
/// `max` below 2 keeps every point.
pub fn decimate(points: &[[f64; 2]], max: usize) -> Vec<[f64; 2]> {
    if points.len() <= max || max < 2 {
        return points.to_vec();
    }
    let buckets = max / 2;
    let per = points.len().div_ceil(buckets);
    points
        .chunks(per)
        .flat_map(|chunk| {
            let (mut lo, mut hi) = (chunk[0], chunk[0]);
            for p in chunk {
                if p[1] < lo[1] {
                    lo = *p;
                }
                if p[1] > hi[1] {
                    hi = *p;
                }
            }
            if lo[0] <= hi[0] { [lo, hi] } else { [hi, lo] }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimation_keeps_spikes_and_bounds_the_points() {
        let mut points: Vec<[f64; 2]> = (0..14_400).map(|i| [i as f64, 97.0]).collect();
        points[7_000][1] = 84.0;
        let kept = decimate(&points, MAX_POINTS);
        assert!(kept.len() <= MAX_POINTS);
        assert!(kept.iter().any(|p| p[1] == 84.0), "the dip is still drawn");
        assert!(kept.windows(2).all(|w| w[0][0] <= w[1][0]), "in time order");
    }
}
