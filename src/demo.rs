//! The demo: a simulated patient on an accelerated clock. The patient is a pure function
//! of time, so the demo is reproducible; only `DemoClock` reads the computer's clock.

use crate::clock::{Clock, Time};
use crate::session::{Vital, VitalSet};
use chrono::Duration;
use std::time::Instant;

/// How much faster than life the demo runs: a 40-minute infusion and an hour of
/// observation (about 115 minutes) take about 4 minutes.
pub const SPEED: f64 = 30.0;

/// Simulated minutes between the demo's readings: about 2.5 s of real time.
pub const EVERY_MIN: i64 = 1;

/// The demo session's shape, in simulated minutes from its start.
pub const BASELINE_MIN: [i64; 2] = [2, 7];
pub const INFUSION_START_MIN: i64 = 10;
pub const INFUSION_MIN: i64 = 40;
pub const OBSERVATION_MIN: i64 = 60;
/// The script's last step.
const END_MIN: i64 = INFUSION_START_MIN + INFUSION_MIN + OBSERVATION_MIN;

/// A clock that runs `SPEED` times faster than the computer's, from `start`.
pub struct DemoClock {
    start: Time,
    began: Instant,
}

impl DemoClock {
    pub fn new(start: Time) -> DemoClock {
        DemoClock {
            start,
            began: Instant::now(),
        }
    }
}

impl Clock for DemoClock {
    fn real_time_until(&self, at: Time) -> std::time::Duration {
        let simulated = (at - self.now()).to_std().unwrap_or_default();
        simulated.div_f64(SPEED)
    }

    fn now(&self) -> Time {
        let simulated = self.began.elapsed().as_secs_f64() * SPEED;
        let now = self.start + Duration::milliseconds((simulated * 1000.0) as i64);
        // Whole seconds: the record does not need the simulation's jitter.
        now - Duration::nanoseconds(i64::from(chrono::Timelike::nanosecond(&now)))
    }
}

/// The simulated patient's vitals `minutes` after the demo started: a typical ketamine
/// blood-pressure rise that peaks near 40 minutes of infusion (high enough to raise an
/// alarm to acknowledge), a small heart-rate rise, and a brief SpO2 dip, breathing
/// (12-17 /min) slowing a little with it.
pub fn vitals_at(minutes: f64) -> VitalSet {
    let into_infusion = minutes - INFUSION_START_MIN as f64;
    let bell = |peak: f64, width: f64| (-((into_infusion - peak) / width).powi(2)).exp();
    let rise = if into_infusion > 0.0 {
        bell(38.0, 14.0)
    } else {
        0.0
    };
    // A little beat-to-beat variation that is the same on every run.
    let wobble = (minutes * 1.7).sin();
    let systolic = 124.0 + 64.0 * rise + 2.0 * wobble;
    let diastolic = 78.0 + 26.0 * rise + wobble;
    let heart_rate = 72.0 + 18.0 * rise + 2.0 * (minutes * 0.9).cos();
    let dip = if into_infusion > 0.0 {
        bell(22.0, 3.0)
    } else {
        0.0
    };
    let spo2 = 98.0 - 5.0 * dip;
    // Breathing slows a little with the SpO2 dip, never as far as an alarm (<= 11 /min).
    let resp_rate = 16.0 - 3.0 * dip + (minutes * 0.5).sin();
    VitalSet::of(&[
        (Vital::Systolic, systolic.round()),
        (Vital::Diastolic, diastolic.round()),
        (Vital::HeartRate, heart_rate.round()),
        (Vital::Spo2, spo2.round()),
        (Vital::RespRate, resp_rate.round()),
    ])
}

/// What the simulated nurse does, minute by simulated minute: two baseline sets, the
/// infusion started at 10 min and stopped 40 min later, a reading every minute during
/// the infusion and the observation that follows. Alarms are left to the real user.
pub struct DemoScript {
    start: Time,
    next_minute: i64,
    by: String,
}

impl DemoScript {
    pub fn new(start: Time, by: &str) -> DemoScript {
        DemoScript {
            start,
            next_minute: BASELINE_MIN[0],
            by: by.to_string(),
        }
    }

    /// When the next step is due, if the script has one left.
    pub fn next_at(&self) -> Option<Time> {
        (self.next_minute <= END_MIN).then(|| self.start + Duration::minutes(self.next_minute))
    }

    /// The commands whose simulated time has come by `now`, in order.
    pub fn due(&mut self, now: Time) -> Vec<crate::commands::Command> {
        use crate::commands::{Command, OnReject, OnWarning, ReadingEntry};
        use crate::session::events::{InfusionChange, Source};
        let mut due = Vec::new();
        while self.next_minute <= END_MIN && self.start + Duration::minutes(self.next_minute) <= now
        {
            let m = self.next_minute;
            let at = self.start + Duration::minutes(m);
            let infusion = |change, reason: &str| Command::Infusion {
                at,
                by: self.by.clone(),
                change,
                reason: reason.into(),
            };
            if m == INFUSION_START_MIN {
                due.push(infusion(
                    InfusionChange::Started {
                        rate_mg_per_kg_h: Some(0.75),
                    },
                    "DEMO: baseline complete",
                ));
            }
            if m == INFUSION_START_MIN + INFUSION_MIN {
                due.push(infusion(InfusionChange::Stopped, "DEMO: dose complete"));
            }
            if BASELINE_MIN.contains(&m) || m > INFUSION_START_MIN {
                due.push(Command::RecordReading(ReadingEntry {
                    at,
                    values: vitals_at(m as f64),
                    by: self.by.clone(),
                    source: Source::Device {
                        id: "DEMO-monitor".into(),
                    },
                    on_warning: OnWarning::KeepUnconfirmed,
                    on_reject: OnReject::DropValues,
                    via: Default::default(),
                }));
            }
            self.next_minute = if m < BASELINE_MIN[1] {
                BASELINE_MIN[1]
            } else if m < INFUSION_START_MIN {
                INFUSION_START_MIN
            } else {
                m + EVERY_MIN
            };
        }
        due
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rise_peaks_near_40_minutes_of_infusion_high_enough_to_alarm() {
        let peak = (0..120)
            .map(|m| (m, vitals_at(m as f64).get(Vital::Systolic).unwrap()))
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap();
        let into_infusion = peak.0 - INFUSION_START_MIN;
        assert!(
            (34..=44).contains(&into_infusion),
            "peak at {into_infusion} min"
        );
        assert!(peak.1 >= 180.0, "peak systolic {}", peak.1);
        assert!(vitals_at(0.0).get(Vital::Systolic).unwrap() < 130.0);
        assert!(
            vitals_at(115.0).get(Vital::Systolic).unwrap() < 135.0,
            "back near baseline"
        );
    }
}
