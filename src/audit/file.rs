//! One file as the audit sees it: is it a session log at all, is it intact, and what
//! the protocol checks say about the session it holds.

use crate::alerts::Profile;
use crate::audit::checks::{Check, ProtocolAudit, Verdict, audit_session};
pub use crate::audit::trusted::Trust;
use crate::audit::trusted::TrustedKeys;
use crate::log::LogError;
use crate::log::content::check_content;
use crate::log::read::{fold_sealed, read_log_bytes_unverified, signature_altered};
use crate::log::seal::{PublicKey, Unverified, verify_all};
use crate::shown::excerpt;
use std::path::PathBuf;

/// What the file turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Integrity {
    Intact,
    /// A row's hash does not match: edited after it was sealed.
    Altered,
    /// It ends before its seal row: cut short (a copy interrupted, a full disk).
    Truncated,
    Empty,
    NotALog,
    Unreadable,
    /// Sealed as written, but its rows do not make a session.
    Invalid,
}

impl Integrity {
    pub const ALL: [Integrity; 7] = [
        Integrity::Intact,
        Integrity::Altered,
        Integrity::Truncated,
        Integrity::Empty,
        Integrity::NotALog,
        Integrity::Unreadable,
        Integrity::Invalid,
    ];

    /// The value in `--json` and `--csv`.
    pub fn key(self) -> &'static str {
        match self {
            Integrity::Intact => "intact",
            Integrity::Altered => "altered",
            Integrity::Truncated => "truncated",
            Integrity::Empty => "empty",
            Integrity::NotALog => "not-a-log",
            Integrity::Unreadable => "unreadable",
            Integrity::Invalid => "invalid",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Integrity::NotALog => "not a log",
            other => other.key(),
        }
    }
}

/// Everything the audit says about one file.
#[derive(Clone, Debug, PartialEq)]
pub struct FileAudit {
    /// The folder given, joined with the file's path below it.
    pub path: PathBuf,
    pub integrity: Integrity,
    /// Why it is not intact.
    pub reason: Option<String>,
    pub patient_id: Option<String>,
    /// The profile the protocol was checked against.
    pub profile: Option<String>,
    pub protocol: Option<ProtocolAudit>,
    /// Worth knowing, not a failure: e.g. the log's profile is not known here.
    pub notes: Vec<String>,
    /// The key whose signature of the seal verified (intact logs only).
    pub signed_by: Option<PublicKey>,
    /// What the trusted keys say of the signature; `None` when none were given.
    pub trust: Option<Trust>,
}

impl FileAudit {
    /// The value of `status` in `--json` and `--csv`: the integrity's key, except for an
    /// intact log that the trusted keys do not vouch for (`untrusted`, `unsigned`).
    pub fn status(&self) -> &'static str {
        self.distrust().unwrap_or(self.integrity.key())
    }

    /// The status as the table shows it.
    pub fn status_title(&self) -> &'static str {
        self.distrust().unwrap_or(self.integrity.title())
    }

    fn distrust(&self) -> Option<&'static str> {
        match (&self.trust, self.integrity) {
            (Some(Trust::Untrusted), Integrity::Intact) => Some("untrusted"),
            (Some(Trust::Unsigned), Integrity::Intact) => Some("unsigned"),
            _ => None,
        }
    }

    /// Why the seal's signature is not vouched for, when trusted keys were given.
    fn trust_problem(&self) -> Option<String> {
        match (&self.trust, self.signed_by) {
            (Some(Trust::Untrusted), Some(key)) => Some(format!(
                "untrusted: signed by key {}, which the trusted keys do not name",
                key.fingerprint()
            )),
            (Some(Trust::Unsigned), _) => {
                Some("unsigned: the seal carries no signature".to_string())
            }
            _ => None,
        }
    }
}

impl FileAudit {
    fn refused(path: PathBuf, integrity: Integrity, reason: String) -> FileAudit {
        FileAudit {
            path,
            integrity,
            reason: Some(reason),
            patient_id: None,
            profile: None,
            protocol: None,
            notes: Vec::new(),
            signed_by: None,
            trust: None,
        }
    }

    pub fn unreadable(path: PathBuf, reason: String) -> FileAudit {
        FileAudit::refused(path, Integrity::Unreadable, reason)
    }

    pub fn verdict(&self, check: Check) -> Verdict {
        match (check, &self.protocol) {
            // Only a log whose seal can be relied on passes: an invalid one's chain holds,
            // but what it seals no chair or import writes (a forger's recomputed chain, or
            // a defect), and a tool that keeps the logs whose seal passes must not keep it.
            (Check::Seal, _) if self.trust_problem().is_some() => Verdict::Fail,
            (Check::Seal, _) if self.integrity == Integrity::Intact => Verdict::Pass,
            (Check::Seal, _) => Verdict::Fail,
            (_, None) => Verdict::NotChecked,
            (check, Some(p)) => p
                .verdicts
                .iter()
                .find(|(c, _)| *c == check)
                .map_or(Verdict::NotApplicable, |(_, v)| *v),
        }
    }

    /// True only when every check that applies passed.
    pub fn passed(&self) -> bool {
        Check::ALL
            .iter()
            .all(|c| matches!(self.verdict(*c), Verdict::Pass | Verdict::NotApplicable))
    }

    /// Each failure as `check: what`, the seal's first.
    pub fn problems(&self) -> Vec<String> {
        let seal = self
            .reason
            .iter()
            .cloned()
            .chain(self.trust_problem())
            .map(|r| format!("{}: {r}", Check::Seal.key()));
        let protocol = self
            .protocol
            .iter()
            .flat_map(|p| &p.findings)
            .map(|f| format!("{}: {}", f.check.key(), f.text));
        seal.chain(protocol).collect()
    }
}

/// The profiles the protocol is checked against.
pub struct Profiles {
    /// `--profile`: every file against this one.
    chosen: Option<Profile>,
    default: Profile,
    /// How the person auditing can name the profile a log records when it is not built
    /// in, added to the note that says so (the command line's flag); empty where they
    /// cannot (the window).
    naming: &'static str,
    /// `--trusted-keys`: whose signatures are vouched for; `None`: any key that verifies.
    trusted: Option<TrustedKeys>,
}

impl Profiles {
    /// Each log against the profile it records (a built-in one), else the default.
    pub fn as_recorded() -> Profiles {
        Profiles {
            chosen: None,
            default: Profile::default_profile(),
            naming: "",
            trusted: None,
        }
    }

    pub fn chosen(profile: Profile) -> Profiles {
        Profiles {
            chosen: Some(profile),
            default: Profile::default_profile(),
            naming: "",
            trusted: None,
        }
    }

    /// Says, where a log's profile is not known, how to name it, e.g. "give it with
    /// --profile".
    pub fn naming_another_with(mut self, naming: &'static str) -> Profiles {
        self.naming = naming;
        self
    }

    /// Judges each signature against `keys`: a log signed by another key is
    /// `untrusted`, an unsigned one `unsigned`.
    pub fn trusting(mut self, keys: TrustedKeys) -> Profiles {
        self.trusted = Some(keys);
        self
    }

    /// The profile for a session that recorded `name`, and a note when it is not the one
    /// the session ran with.
    fn for_session(&self, name: &str) -> (std::borrow::Cow<'_, Profile>, Option<String>) {
        use std::borrow::Cow;
        if let Some(p) = &self.chosen {
            return (Cow::Borrowed(p), None);
        }
        if name == self.default.name {
            return (Cow::Borrowed(&self.default), None);
        }
        match Profile::builtin_by_recorded_name(name) {
            Some(p) => (Cow::Owned(p), None),
            None => (
                Cow::Borrowed(&self.default),
                Some(format!(
                    "the log's profile '{}' is not known here; checked against '{}'{}",
                    excerpt(name),
                    self.default.name,
                    if self.naming.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", self.naming)
                    }
                )),
            ),
        }
    }
}

/// One file's audit whose seal's signature, if it has one, is still to be verified: the
/// audit's workers verify a batch of files' signatures at once ([`verify_batch`]).
pub struct Audited {
    audit: FileAudit,
    /// The signature, and the seal row it is on.
    signature: Option<(u64, Unverified)>,
}

impl From<FileAudit> for Audited {
    /// A file refused before any signature was read (unreadable): nothing to verify.
    fn from(audit: FileAudit) -> Audited {
        Audited {
            audit,
            signature: None,
        }
    }
}

impl Audited {
    /// The audit as it stands once the signature's verdict is known: a signature that
    /// did not verify makes the log altered, whatever else was found.
    fn verified(self, verifies: bool) -> FileAudit {
        match self.signature {
            Some((row, s)) if !verifies => FileAudit::refused(
                self.audit.path,
                Integrity::Altered,
                signature_altered(row, &s).to_string(),
            ),
            _ => self.audit,
        }
    }
}

/// The audits of a batch of files, their signatures verified together (about twice as
/// fast a signature as one by one); when the batch fails, each alone, to find which.
pub fn verify_batch(audits: Vec<Audited>) -> Vec<FileAudit> {
    let signatures: Vec<&Unverified> = audits
        .iter()
        .filter_map(|a| a.signature.as_ref().map(|(_, s)| s))
        .collect();
    if verify_all(&signatures) {
        return audits.into_iter().map(|a| a.verified(true)).collect();
    }
    audits
        .into_iter()
        .map(|a| {
            let verifies = a.signature.as_ref().is_none_or(|(_, s)| s.verify());
            a.verified(verifies)
        })
        .collect()
}

/// Audits one file's bytes, its signature verified.
pub fn audit_bytes(path: PathBuf, bytes: &[u8], profiles: &Profiles) -> FileAudit {
    verify_batch(vec![audit_bytes_unverified(path, bytes, profiles)])
        .pop()
        .expect("one audit in, one out")
}

/// Audits one file's bytes, leaving its signature to [`verify_batch`].
pub fn audit_bytes_unverified(path: PathBuf, bytes: &[u8], profiles: &Profiles) -> Audited {
    let refused = |path, integrity, reason, signature| Audited {
        audit: FileAudit::refused(path, integrity, reason),
        signature,
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return refused(path, Integrity::Empty, "the file is empty".into(), None);
    }
    let (log, signature) = match read_log_bytes_unverified(bytes) {
        Ok(read) => read,
        Err(e) => {
            let integrity = match &e {
                LogError::Io(_) => Integrity::Unreadable,
                LogError::NotALog(_) => Integrity::NotALog,
                LogError::Altered { .. } => Integrity::Altered,
                LogError::Truncated { .. } => Integrity::Truncated,
                LogError::Invalid { .. } => Integrity::Invalid,
            };
            return refused(path, integrity, e.to_string(), None);
        }
    };
    let signature = signature.map(|s| (log.rows, s));
    let state = match fold_sealed(&log) {
        Ok(state) => state,
        // An invalid log's signature is verified too: a forgery is altered, not invalid.
        Err(e) => return refused(path, Integrity::Invalid, e.to_string(), signature),
    };
    let info = state.info.as_ref();
    let recorded = info.map_or("", |i| i.profile_name.as_str());
    let (profile, note) = profiles.for_session(recorded);
    if let Err(e) = check_content(&log.events, &profile.validation) {
        return refused(path, Integrity::Invalid, e.to_string(), signature);
    }
    let protocol = audit_session(&profile, &log.events, &state, log.version);
    let trust = profiles
        .trusted
        .as_ref()
        .map(|keys| keys.judge(log.signed_by.as_ref()));
    let audit = FileAudit {
        path,
        integrity: Integrity::Intact,
        reason: None,
        // An excerpt, as every text from a log the audit shows: a forged 10 MB identifier
        // must not make a 10 MB line in every output.
        patient_id: info.map(|i| excerpt(&i.patient_id)),
        profile: Some(profile.name.clone()),
        protocol: Some(protocol),
        notes: note.into_iter().collect(),
        signed_by: log.signed_by,
        trust,
    };
    Audited { audit, signature }
}
