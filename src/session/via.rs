//! How an imported reading was measured: which pressure channel and heart-rate source a
//! monitor's row gave, and which vitals came as a continuous stream (whose alerts wait for
//! the condition delay rather than a recheck).

use crate::session::reading::Vital;
use std::fmt;

/// Where a pressure was measured.
#[derive(Clone, Copy, Debug, Eq, Hash, PartialEq, PartialOrd, Ord, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BpChannel {
    NonInvasive,
    Arterial,
}

/// Where a heart rate was counted, in the order a row's rates are preferred.
#[derive(Clone, Copy, Debug, Eq, Hash, PartialEq, PartialOrd, Ord, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HrChannel {
    Ecg,
    Oximeter,
    Unspecified,
    BpCuff,
    Arterial,
}

impl BpChannel {
    pub const ALL: [BpChannel; 2] = [BpChannel::NonInvasive, BpChannel::Arterial];

    pub fn name(self) -> &'static str {
        match self {
            BpChannel::NonInvasive => "non-invasive",
            BpChannel::Arterial => "arterial",
        }
    }

    pub fn from_name(name: &str) -> Option<BpChannel> {
        BpChannel::ALL.into_iter().find(|c| c.name() == name)
    }
}

impl HrChannel {
    pub const ALL: [HrChannel; 5] = [
        HrChannel::Ecg,
        HrChannel::Oximeter,
        HrChannel::Unspecified,
        HrChannel::BpCuff,
        HrChannel::Arterial,
    ];

    pub fn name(self) -> &'static str {
        match self {
            HrChannel::Ecg => "ecg",
            HrChannel::Oximeter => "oximeter",
            HrChannel::Unspecified => "unspecified",
            HrChannel::BpCuff => "bp-cuff",
            HrChannel::Arterial => "arterial",
        }
    }

    pub fn from_name(name: &str) -> Option<HrChannel> {
        HrChannel::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// How a reading was measured; all empty for a reading typed at the chair.
#[derive(Clone, Copy, Debug, Default, Eq, PartialEq)]
pub struct Via {
    pub bp: Option<BpChannel>,
    pub hr: Option<HrChannel>,
    /// Vitals that came as a stream (bit `Vital as u8`).
    streamed: u8,
}

impl Via {
    pub fn is_streamed(&self, vital: Vital) -> bool {
        self.streamed & (1 << vital as u8) != 0
    }

    pub fn set_streamed(&mut self, vital: Vital, streamed: bool) {
        let bit = 1 << vital as u8;
        self.streamed = if streamed {
            self.streamed | bit
        } else {
            self.streamed & !bit
        };
    }

    pub fn is_empty(&self) -> bool {
        *self == Via::default()
    }

    /// Reads the log's text back (see [`fmt::Display`]).
    pub fn parse(text: &str) -> Result<Via, String> {
        let mut via = Via::default();
        for part in text.split("; ").filter(|p| !p.is_empty()) {
            let bad = || {
                format!(
                    "'{}' is not a measurement note",
                    crate::shown::excerpt(part)
                )
            };
            match part.split_once(' ') {
                Some(("bp", c)) => via.bp = Some(BpChannel::from_name(c).ok_or_else(bad)?),
                Some(("hr", c)) => via.hr = Some(HrChannel::from_name(c).ok_or_else(bad)?),
                Some(("stream", vitals)) => {
                    for name in vitals.split(' ') {
                        via.set_streamed(Vital::from_name(name).ok_or_else(bad)?, true);
                    }
                }
                _ => return Err(bad()),
            }
        }
        Ok(via)
    }
}

/// `bp arterial; hr ecg; stream heart_rate spo2`: what the log's `detail` holds on an
/// imported reading's row.
impl fmt::Display for Via {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Written straight out: an import writes this on every row of its log.
        let mut sep = "";
        if let Some(bp) = self.bp {
            write!(f, "bp {}", bp.name())?;
            sep = "; ";
        }
        if let Some(hr) = self.hr {
            write!(f, "{sep}hr {}", hr.name())?;
            sep = "; ";
        }
        let mut streamed = Vital::ALL
            .into_iter()
            .filter(|v| self.is_streamed(*v))
            .peekable();
        if streamed.peek().is_some() {
            write!(f, "{sep}stream")?;
            for vital in streamed {
                write!(f, " {}", vital.name())?;
            }
        }
        Ok(())
    }
}
