//! Writes a folder of sealed two-hour session logs, nested by chair and month, for the
//! audit's benchmark: `cargo run --release --example audit_folder -- DIR [COUNT]`. Each
//! is signed, as the program signs every log, so the audit verifies every signature; the
//! key is one made for the example (its secret fixed, so every run writes the same files).

use chrono::{DateTime, Duration};
use infusion_vitals::log::seal::SealKey;
use infusion_vitals::log::write::signed_log_bytes;
use infusion_vitals::sample_session::{Departures, completed_session};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(dir), count) = (args.next(), args.next()) else {
        eprintln!("usage: audit_folder DIR [COUNT]");
        return ExitCode::from(2);
    };
    let count: u32 = match count.as_deref().unwrap_or("2000").parse() {
        Ok(n) => n,
        Err(e) => {
            eprintln!("COUNT: {e}");
            return ExitCode::from(2);
        }
    };
    let key = SealKey::from_secret(&[7; 32]);
    let first = DateTime::parse_from_rfc3339("2026-01-05T08:00:00+01:00").expect("a valid time");
    for n in 0..count {
        // Four chairs, each seeing three patients a day.
        let day = i64::from(n / 12);
        let start = first + Duration::days(day) + Duration::hours(i64::from(n % 3) * 3);
        let month = start.format("%Y-%m").to_string();
        let path = PathBuf::from(&dir)
            .join(format!("chair-{}", n % 4 + 1))
            .join(month)
            .join(format!("{}-MRN-{n:05}.csv", start.format("%Y-%m-%dT%H%M")));
        let session = match completed_session(n, start, "RN-7", &Departures::none()) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("session {n}: {e}");
                return ExitCode::from(1);
            }
        };
        let written =
            std::fs::create_dir_all(path.parent().expect("a file in a folder")).and_then(|()| {
                std::fs::write(
                    &path,
                    signed_log_bytes(session.events(), &(start + Duration::hours(3)), Some(&key)),
                )
            });
        if let Err(e) = written {
            eprintln!("{}: {e}", path.display());
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}
