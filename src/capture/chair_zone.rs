//! The chair's time zone, in which a monitor's time without an offset is read: the `TZ`
//! environment variable when it names an IANA zone (as the C library reads it), else the
//! system's zone (`iana-time-zone`: /etc/localtime, the Windows registry, macOS
//! settings), else the computer's present offset, which is right until the next
//! daylight-saving change and is said so.

use crate::import::times::Zone;

/// The zone, and a note when only a fixed offset could be found.
pub fn chair_zone() -> (Zone, Option<String>) {
    let named = std::env::var("TZ")
        .ok()
        .map(|tz| tz.trim_start_matches(':').to_string())
        .filter(|tz| !tz.is_empty())
        .or_else(|| iana_time_zone::get_timezone().ok());
    if let Some(zone) = named
        .as_deref()
        .and_then(|n| n.parse::<chrono_tz::Tz>().ok())
    {
        return (Zone::Iana(zone), None);
    }
    let offset = *chrono::Local::now().offset();
    let note = format!(
        "the system's time zone could not be found ({}); monitor times without an offset are read at {offset}, which is wrong after the next daylight-saving change",
        named.as_deref().unwrap_or("none named")
    );
    (Zone::Fixed(offset), Some(note))
}
