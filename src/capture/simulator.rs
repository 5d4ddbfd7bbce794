//! A simulated patient monitor speaking IHE PCD-01: an ORU^R01 a second with SpO2, ECG
//! heart rate, the oximeter's pulse rate and respiratory rate, an NIBP set every 5
//! minutes (stamped with its own measurement time), a little noise, drop-outs (the probe
//! off: SpO2 sent with status `X`; the network gone: no message at all) and the demo
//! patient's blood-pressure rise. Used by the tests, the load measurement and the
//! `monitor_simulator` example. Pure: the caller gives the time and sends the text.

use crate::clock::Time;
use crate::demo::vitals_at;
use crate::session::Vital;

/// Seconds between NIBP measurements (a chair's usual cycle).
pub const NIBP_EVERY_S: i64 = 300;

/// One simulated monitor.
#[derive(Clone, Debug)]
pub struct SimulatedMonitor {
    /// Its EUI-64, sent in MSH-3 and OBX-18.
    pub device: String,
    /// PID-3; none sends no PID.
    pub patient: Option<String>,
    /// When the simulated patient's session began (the demo's minute 0).
    pub started: Time,
    /// Seconds (from `started`) during which the network is gone: nothing is sent.
    pub network_gone: Vec<(i64, i64)>,
    /// Every this many seconds the SpO2 probe is off for a second (0: never).
    pub probe_off_every_s: i64,
    /// Starts each control ID (`SIM1`, `SIM2`...).
    pub control_prefix: String,
    /// Messages made so far (the control IDs count them).
    sent: u64,
}

impl SimulatedMonitor {
    pub fn new(device: &str, patient: Option<&str>, started: Time) -> SimulatedMonitor {
        SimulatedMonitor {
            device: device.to_string(),
            patient: patient.map(str::to_string),
            started,
            network_gone: Vec::new(),
            probe_off_every_s: 97,
            control_prefix: "SIM".into(),
            sent: 0,
        }
    }

    /// The message the monitor sends at `now`, or none while its network is gone.
    pub fn message_at(&mut self, now: Time) -> Option<String> {
        let s = (now - self.started).num_seconds();
        if self.network_gone.iter().any(|(a, b)| (*a..*b).contains(&s)) {
            return None;
        }
        self.sent += 1;
        let minutes = s as f64 / 60.0;
        let v = vitals_at(minutes);
        let get = |vital| v.get(vital).unwrap_or_default();
        // Beat-to-beat noise that is the same on every run.
        let noise = |k: f64| ((s as f64) * k).sin();
        // To the millisecond, as monitors stamp a stream.
        let stamp = |t: Time| t.format("%Y%m%d%H%M%S%.3f%z").to_string();
        let dev = &self.device;
        let mut text = format!(
            "MSH|^~\\&|SIMULATOR^{dev}^EUI-64|CHAIR|INFUSION-VITALS||{}||ORU^R01^ORU_R01|{}{}|P|2.6|||NE|AL||UNICODE UTF-8|||IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO\r",
            stamp(now),
            self.control_prefix,
            self.sent
        );
        if let Some(patient) = &self.patient {
            text += &format!("PID|||{patient}^^^CLINIC^MR\r");
        }
        text += &format!(
            "OBR|1|||182777000^monitoring of patient^SNOMED-CT|||{}\r",
            stamp(now)
        );
        let mut n = 0;
        let mut obx = |code: &str, value: String, unit: &str, at: Time, status: &str| {
            n += 1;
            format!(
                "OBX|{n}|NM|{code}|1.1.1.{n}|{value}|{unit}|||||{status}|||{}||||{dev}^EUI-64\r",
                stamp(at)
            )
        };
        let probe_off = self.probe_off_every_s > 0 && s > 0 && s % self.probe_off_every_s == 0;
        let spo2 = (get(Vital::Spo2) + 0.6 * noise(0.7)).round().min(100.0);
        text += &if probe_off {
            obx(
                "150456^MDC_PULS_OXIM_SAT_O2^MDC",
                String::new(),
                "262688^MDC_DIM_PERCENT^MDC",
                now,
                "X",
            )
        } else {
            obx(
                "150456^MDC_PULS_OXIM_SAT_O2^MDC",
                format!("{spo2}"),
                "262688^MDC_DIM_PERCENT^MDC",
                now,
                "R",
            )
        };
        let hr = (get(Vital::HeartRate) + 1.5 * noise(1.3)).round();
        let per_min = "264864^MDC_DIM_BEAT_PER_MIN^MDC";
        text += &obx(
            "147842^MDC_ECG_HEART_RATE^MDC",
            format!("{hr}"),
            per_min,
            now,
            "R",
        );
        text += &obx(
            "149530^MDC_PULS_OXIM_PULS_RATE^MDC",
            format!("{}", hr + 1.0),
            per_min,
            now,
            "R",
        );
        let rr = (get(Vital::RespRate) + 0.8 * noise(0.3)).round();
        text += &obx(
            "151562^MDC_RESP_RATE^MDC",
            format!("{rr}"),
            "264928^MDC_DIM_RESP_PER_MIN^MDC",
            now,
            "R",
        );
        if s >= 0 && s % NIBP_EVERY_S == 0 {
            // The cuff's result, stamped when it was measured (a few seconds before).
            let measured = now - chrono::Duration::seconds(20);
            let mmhg = "266016^MDC_DIM_MMHG^MDC";
            let sys = get(Vital::Systolic);
            let dia = get(Vital::Diastolic);
            text += &obx(
                "150021^MDC_PRESS_BLD_NONINV_SYS^MDC",
                format!("{sys}"),
                mmhg,
                measured,
                "F",
            );
            text += &obx(
                "150022^MDC_PRESS_BLD_NONINV_DIA^MDC",
                format!("{dia}"),
                mmhg,
                measured,
                "F",
            );
            let mean = ((sys + 2.0 * dia) / 3.0).round();
            text += &obx(
                "150023^MDC_PRESS_BLD_NONINV_MEAN^MDC",
                format!("{mean}"),
                mmhg,
                measured,
                "F",
            );
        }
        Some(text)
    }
}
