//! Making alarms heard: IEC 60601-1-8-style pulse patterns generated in code, played
//! through the system's audio. The core decides what sounds; this only plays it.

use crate::session::events::Priority;
use std::time::Duration;

/// Plays alarm tones. The program uses the system's audio; tests record what would have
/// sounded.
pub trait AlarmPlayer {
    /// Starts the tone for one announcement; an error when no sound can be made.
    fn play(&mut self, priority: Priority) -> Result<(), String>;
    /// Why no sound can be made, if so: shown as a technical alarm.
    fn unavailable(&self) -> Option<String>;
}

/// No player attached (a screen built outside the app, e.g. a benchmark): says so, as a
/// technical alarm, rather than staying silent unnoticed.
pub struct Unattached;

impl AlarmPlayer for Unattached {
    fn play(&mut self, _: Priority) -> Result<(), String> {
        Err("no sound player attached".into())
    }

    fn unavailable(&self) -> Option<String> {
        Some("no sound player attached".into())
    }
}

/// One pulse: pitch, then sound and silence.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pulse {
    pub hz: f32,
    pub on: Duration,
    pub off: Duration,
}

/// The burst for a priority (IEC 60601-1-8 style, not claimed compliant): high, ten fast
/// pulses in two groups of five; medium, three slower pulses; low, two soft pulses.
pub fn burst(priority: Priority) -> Vec<Pulse> {
    let pulse = |hz, on_ms, off_ms| Pulse {
        hz,
        on: Duration::from_millis(on_ms),
        off: Duration::from_millis(off_ms),
    };
    match priority {
        Priority::High => (0..10)
            .map(|i| pulse(880.0, 100, if i == 4 { 350 } else { 60 }))
            .collect(),
        Priority::Medium => (0..3).map(|_| pulse(660.0, 180, 120)).collect(),
        Priority::Low => (0..2).map(|_| pulse(523.0, 200, 200)).collect(),
    }
}

/// The computer's sound output, opened once. Without a device it stays silent and says
/// why, and the window shows "No sound: alarms are visual only".
pub struct SystemPlayer {
    stream: Result<rodio::OutputStream, String>,
}

impl SystemPlayer {
    pub fn open() -> SystemPlayer {
        let stream = rodio::OutputStreamBuilder::open_default_stream()
            .map(|mut s| {
                s.log_on_drop(false);
                s
            })
            .map_err(|e| e.to_string());
        SystemPlayer { stream }
    }
}

impl AlarmPlayer for SystemPlayer {
    fn play(&mut self, priority: Priority) -> Result<(), String> {
        use rodio::Source;
        let stream = self.stream.as_ref().map_err(Clone::clone)?;
        let sink = rodio::Sink::connect_new(stream.mixer());
        for p in burst(priority) {
            sink.append(
                rodio::source::SineWave::new(p.hz)
                    .take_duration(p.on)
                    .amplify(0.3),
            );
            sink.append(rodio::source::Zero::new(1, 48_000).take_duration(p.off));
        }
        // The sink plays on its own thread; the window does not wait for it.
        sink.detach();
        Ok(())
    }

    fn unavailable(&self) -> Option<String> {
        self.stream.as_ref().err().cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priorities_sound_different_and_high_is_a_ten_pulse_burst() {
        assert_eq!(burst(Priority::High).len(), 10);
        assert_eq!(burst(Priority::Medium).len(), 3);
        assert!((1..=2).contains(&burst(Priority::Low).len()));
        let pitch = |p| burst(p)[0].hz;
        assert!(pitch(Priority::High) > pitch(Priority::Medium));
        assert!(pitch(Priority::Medium) > pitch(Priority::Low));
    }
}
