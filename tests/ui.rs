//! The window, driven as a nurse drives it: labelled fields, buttons, what is shown.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use egui_plot::PlotMemory;
use infusion_vitals::chrono::{DateTime, Duration};
use infusion_vitals::clock::{Clock, Time};
use infusion_vitals::journal;
use infusion_vitals::session::events::{AlertKey, Priority};
use infusion_vitals::session::{EventKind, Vital};
use infusion_vitals::ui::sound::AlarmPlayer;
use infusion_vitals::ui::trends;
use infusion_vitals::ui::{App, PathRequest};
use std::path::Path;
use std::sync::{Arc, Mutex};

/// A clock the test moves by hand.
#[derive(Clone)]
struct HandClock(Arc<Mutex<Time>>);

impl HandClock {
    fn at(hhmm: &str) -> HandClock {
        HandClock(Arc::new(Mutex::new(t(hhmm))))
    }
    fn advance(&self, minutes: i64) {
        *self.0.lock().unwrap() += Duration::minutes(minutes);
    }
    fn advance_seconds(&self, seconds: i64) {
        *self.0.lock().unwrap() += Duration::seconds(seconds);
    }
}

impl Clock for HandClock {
    fn now(&self) -> Time {
        *self.0.lock().unwrap()
    }
}

fn t(hhmm: &str) -> Time {
    DateTime::parse_from_rfc3339(&format!("2026-03-14T{hhmm}:00+01:00")).unwrap()
}

/// Records what would have sounded; never touches the computer's audio.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<Priority>>>);

impl AlarmPlayer for Recorder {
    fn play(&mut self, priority: Priority) -> Result<(), String> {
        self.0.lock().unwrap().push(priority);
        Ok(())
    }
    fn unavailable(&self) -> Option<String> {
        None
    }
}

/// A machine with no sound device.
struct NoDevice;

impl AlarmPlayer for NoDevice {
    fn play(&mut self, _: Priority) -> Result<(), String> {
        Err("no audio device found".into())
    }
    fn unavailable(&self) -> Option<String> {
        Some("no audio device found".into())
    }
}

/// One frame as eframe runs it: the app's logic (which also runs alone while the window
/// is hidden), then its view.
fn frame(ui: &mut egui::Ui, app: &mut App) {
    app.logic(ui.ctx());
    app.ui(ui);
}

fn app(data: &Path, clock: &HandClock) -> App {
    App::new(data, Some(&data.join("demo")), Arc::new(clock.clone()))
        .with_player(Arc::new(|| Box::new(Recorder::default())))
}

fn harness(data: &Path, clock: &HandClock) -> Harness<'static, App> {
    harness_of_size(data, clock, egui::vec2(1280.0, 800.0))
}

/// What a clinic laptop's 1366x768 screen leaves under a title bar and a taskbar.
const LAPTOP: egui::Vec2 = egui::vec2(1366.0, 700.0);

fn harness_of_size(data: &Path, clock: &HandClock, size: egui::Vec2) -> Harness<'static, App> {
    let app = app(data, clock);
    Harness::builder()
        .with_size(size)
        .with_max_steps(64)
        .build_ui_state(frame, app)
}

/// Runs frames until the input is all handed over: a click or a Tab gets a frame of its
/// own (`ui::input_order`), so input given at once takes several frames.
fn settle(h: &mut Harness<'_, App>) {
    h.run_steps(2);
    let _ = h.run_ok();
}

fn type_into(h: &mut Harness<'_, App>, label: &str, text: &str) {
    let field = h.get_by_label(label);
    field.click();
    field.type_text(text);
    settle(h);
}

/// Selects all the text of a field, so that what is typed or pressed next replaces it.
fn select_all_in(h: &mut Harness<'_, App>, label: &str) {
    h.get_by_label(label).click();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
}

fn start_session(h: &mut Harness<'_, App>) {
    type_into(h, "Patient identifier", "MRN-0042");
    type_into(h, "Weight (kg)", "72");
    type_into(h, "Nurse", "RN-ALVAREZ");
    h.get_by_label("Start new session").click();
    settle(h);
    assert!(h.state().live().is_some(), "the live screen opened");
}

/// A session started at 09:00 by RN-ALVAREZ for MRN-0042, on the live screen.
fn live_session() -> (tempfile::TempDir, HandClock, Harness<'static, App>) {
    live_session_of_size(egui::vec2(1280.0, 800.0))
}

/// [`live_session`] in a window of `size`.
fn live_session_of_size(size: egui::Vec2) -> (tempfile::TempDir, HandClock, Harness<'static, App>) {
    let data = tempfile::tempdir().unwrap();
    let clock = HandClock::at("09:00");
    let mut h = harness_of_size(data.path(), &clock, size);
    h.run_steps(2);
    start_session(&mut h);
    (data, clock, h)
}

/// Types a reading's values into the form (empty: left empty) and saves it: BP, heart
/// rate and SpO2, and the respiratory rate when a fifth is given.
fn enter<const N: usize>(h: &mut Harness<'_, App>, values: [&str; N]) {
    let labels = [
        "Systolic (mmHg)",
        "Diastolic (mmHg)",
        "Heart rate (bpm)",
        "SpO2 (%)",
        "Resp. rate (/min)",
    ];
    for (label, value) in labels.into_iter().zip(values) {
        if !value.is_empty() {
            type_into(h, label, value);
        }
    }
    h.get_by_label("Save reading (Enter)").click();
    settle(h);
}

fn readings(h: &Harness<'_, App>) -> usize {
    h.state().live().unwrap().session().state().readings.len()
}

#[test]
fn a_new_session_starts_from_the_start_screen_and_is_journaled() {
    let data = tempfile::tempdir().unwrap();
    let clock = HandClock::at("09:00");
    let mut h = harness(data.path(), &clock);
    h.run_steps(2);
    h.get_by_label_contains("New session");
    start_session(&mut h);
    let journals = journal::find(&data.path().join("sessions")).unwrap();
    assert_eq!(journals.len(), 1);
    h.get_by_label_contains("Patient MRN-0042");
}

#[test]
fn a_missing_patient_identifier_is_asked_for() {
    let data = tempfile::tempdir().unwrap();
    let mut h = harness(data.path(), &HandClock::at("09:00"));
    h.run_steps(2);
    h.get_by_label("Start new session").click();
    h.run_steps(2);
    h.get_by_label_contains("Enter the patient identifier");
    assert!(h.state().live().is_none());
}

#[test]
fn numbers_the_profile_does_not_accept_are_refused_with_the_cores_words_and_no_journal() {
    let data = tempfile::tempdir().unwrap();
    let mut h = harness(data.path(), &HandClock::at("09:00"));
    h.run_steps(2);
    type_into(&mut h, "Patient identifier", "MRN-0042");
    type_into(&mut h, "Weight (kg)", "5");
    type_into(&mut h, "Nurse", "RN-ALVAREZ");
    select_all_in(&mut h, "Planned minutes");
    h.get_by_label("Planned minutes").type_text("700");
    h.run_steps(1);
    h.get_by_label("Start new session").click();
    h.run_steps(2);
    h.get_by_label_contains("Weight 5 kg: below the accepted range (accepted 20-300 kg)");
    h.get_by_label_contains(
        "Planned minutes 700 min: above the accepted range (accepted 10-600 min)",
    );
    assert!(h.state().live().is_none());
    let sessions = data.path().join("sessions");
    assert!(
        !sessions.exists() || journal::find(&sessions).unwrap().is_empty(),
        "no journal for a session that did not open"
    );
}

#[test]
fn a_set_is_recorded_saved_on_disk_and_shown() {
    let (data, clock, mut h) = live_session();
    clock.advance(2);
    enter(&mut h, ["124", "78", "72", "98"]);
    h.get_by_label_contains("Saved at 09:02:00, on disk");
    assert_eq!(readings(&h), 1);
    let on_disk = journal::read(&journal::find(&data.path().join("sessions")).unwrap()[0]).unwrap();
    assert_eq!(on_disk.events.len(), 2, "opened and the reading, on disk");
    h.get_by_label("124");
}

#[test]
fn a_rejected_value_shows_its_message_beside_the_field_and_nothing_is_saved() {
    let (_data, _clock, mut h) = live_session();
    enter(&mut h, ["400", "80", "", ""]);
    h.get_by_label_contains(
        "Systolic 400: above the accepted range, cannot be saved (accepted 40-300 mmHg)",
    );
    h.get_by_label_contains("Not saved");
    assert_eq!(readings(&h), 0);
}

#[test]
fn a_warning_value_is_saved_only_after_an_explicit_confirmation() {
    let (_data, _clock, mut h) = live_session();
    enter(&mut h, ["", "", "", "84"]);
    h.get_by_label_contains("SpO2 84: unusually low");
    assert_eq!(readings(&h), 0, "not saved before the confirmation");
    h.get_by_label("Confirm and save").click();
    h.run_steps(3);
    assert_eq!(readings(&h), 1);
    let state = h.state().live().unwrap().session().state();
    let doubt = state.readings[0].versions[0].doubt.clone().unwrap();
    assert!(doubt.confirmed, "the confirmation is recorded");
}

#[test]
fn a_high_alarm_is_shown_acknowledged_with_the_action_and_latched() {
    let (_data, _clock, mut h) = live_session();
    enter(&mut h, ["205", "110", "88", "97"]);
    h.get_by_label_contains("*** Systolic high 205 mmHg >= 200");
    // Acknowledging needs the action taken.
    h.get_by_label("Acknowledge alarm 1").click();
    h.run_steps(2);
    h.get_by_label_contains("Write the action taken first");
    type_into(
        &mut h,
        "Action taken (needed to acknowledge)",
        "infusion paused, Dr. Okafor called",
    );
    h.get_by_label("Acknowledge alarm 1").click();
    h.run_steps(3);
    h.get_by_label_contains(
        "acknowledged by RN-ALVAREZ at 09:00: infusion paused, Dr. Okafor called",
    );
    let state = h.state().live().unwrap().session().state();
    let alert = state.active_alert(AlertKey::High(Vital::Systolic)).unwrap();
    assert_eq!(alert.priority, Priority::High);
    assert!(alert.is_acknowledged());
    // The tile says the alarm is acknowledged, not only the alarm list.
    h.get_by_label("*** HIGH ALARM, acknowledged 09:00");
}

#[test]
fn an_unacknowledged_high_alarm_stays_when_the_value_recovers() {
    let (_data, clock, mut h) = live_session();
    enter(&mut h, ["205", "110", "88", "97"]);
    clock.advance(6);
    enter(&mut h, ["130", "80", "80", "97"]);
    h.get_by_label_contains("*** Systolic high 205 mmHg >= 200");
    h.get_by_label("Acknowledge alarm 1");
}

#[test]
fn a_tile_before_any_reading_says_no_reading_yet_not_within_limits() {
    let (_data, _clock, mut h) = live_session();
    assert_eq!(h.query_all_by_label("no reading yet").count(), Vital::COUNT);
    assert!(h.query_by_label_contains("within limits").is_none());
    enter(&mut h, ["124", "78", "", ""]);
    assert_eq!(h.query_all_by_label("within limits").count(), 2, "BP read");
    assert_eq!(
        h.query_all_by_label("no reading yet").count(),
        3,
        "HR, SpO2, respiratory rate not yet"
    );
}

#[test]
fn a_latched_high_alarm_beside_a_normal_value_says_it_is_latched_with_its_reading() {
    let (_data, clock, mut h) = live_session();
    enter(&mut h, ["205", "110", "88", "97"]);
    h.get_by_label("*** HIGH ALARM");
    clock.advance(6);
    enter(&mut h, ["130", "80", "80", "97"]);
    h.get_by_label("130");
    h.get_by_label("*** HIGH ALARM, latched: 205 at 09:00");
    assert!(h.query_by_label("*** HIGH ALARM").is_none());
    h.snapshot("live_latched_high");
    // A newer value at least as high is itself the alarm's reason: no latch to explain.
    // (Over 5 min later and a usual pulse pressure: else it would ask to confirm first.)
    clock.advance(6);
    enter(&mut h, ["210", "115", "80", "97"]);
    assert_eq!(readings(&h), 3);
    h.get_by_label("*** HIGH ALARM");
}

#[test]
fn trends_with_a_single_reading_show_it_on_one_time_axis_for_every_plot() {
    let (_data, clock, mut h) = live_session();
    clock.advance(2);
    enter(&mut h, ["124", "78", "72", "98", "16"]);
    h.run_steps(2);
    let [bp, spo2, resp_rate] = trends::PLOT_IDS.map(|id| {
        PlotMemory::load(&h.ctx, egui::Id::unique(id))
            .expect("the plot was drawn")
            .transform()
    });
    let x = trends::TimeAxis::of(t("09:00")).x(t("09:02"));
    for plot in [bp, spo2, resp_rate] {
        let (min, max) = (plot.bounds().min()[0], plot.bounds().max()[0]);
        assert!(
            min < x && x < max,
            "the reading at 09:02 is inside {min}..{max}"
        );
    }
    // The same moment at the same x: the same time span over the same pixels.
    assert_eq!(bp.bounds().range_x(), spo2.bounds().range_x());
    assert_eq!(bp.frame().x_range(), spo2.frame().x_range());
    // The legend is a row of labels outside the plots.
    h.get_by_label("Systolic mmHg");
    h.get_by_label("Heart rate bpm");
    h.snapshot("trends_single_reading");
}

/// A session started in the window with one reading, the window then gone (as in a
/// crash): its data folder, its clock and its journal's path.
fn session_left_with_a_reading() -> (tempfile::TempDir, HandClock, std::path::PathBuf) {
    let data = tempfile::tempdir().unwrap();
    let clock = HandClock::at("09:00");
    {
        let mut h = harness(data.path(), &clock);
        h.run_steps(2);
        start_session(&mut h);
        enter(&mut h, ["124", "78", "72", "98"]);
    }
    let path = journal::find(&data.path().join("sessions"))
        .unwrap()
        .remove(0);
    (data, clock, path)
}

#[test]
fn an_unfinished_session_is_offered_for_resuming_and_a_crash_cut_is_said() {
    let (data, clock, path) = session_left_with_a_reading();
    // The machine died while writing the next line.
    use std::io::Write;
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap()
        .write_all(b"3,reading,recorded,2026-03-14T09:0")
        .unwrap();

    let mut h = harness(data.path(), &clock);
    h.run_steps(2);
    h.get_by_label_contains(
        "Patient MRN-0042 - opened 14 Mar 09:00 by RN-ALVAREZ - 1 readings - cut by a crash",
    );
    h.get_by_label("Resume session 1").click();
    h.run_steps(3);
    h.get_by_label_contains("Resumed after a crash: the journal's last line (row 4) was cut short");
    assert_eq!(readings(&h), 1, "everything shown as saved is back");
    clock.advance(3);
    enter(&mut h, ["126", "80", "", ""]);
    assert_eq!(readings(&h), 2);
}

#[test]
fn snapshots_of_the_start_screen_a_normal_session_and_an_active_high_alarm() {
    let data = tempfile::tempdir().unwrap();
    let clock = HandClock::at("09:00");
    let mut h = harness(data.path(), &clock);
    h.run_steps(2);
    h.snapshot("start_screen");
    start_session(&mut h);
    enter(&mut h, ["124", "78", "72", "98"]);
    clock.advance(5);
    enter(&mut h, ["122", "76", "70", "98"]);
    h.get_by_label("Start infusion").click();
    h.run_steps(2);
    for (minutes, sys) in [(10, 134), (10, 148)] {
        clock.advance(minutes);
        enter(&mut h, [&sys.to_string(), "84", "80", "97"]);
    }
    h.snapshot("live_session");
    clock.advance(6);
    enter(&mut h, ["206", "110", "96", "96"]);
    h.snapshot("live_high_alarm");
}

#[test]
fn a_reading_is_amended_with_a_reason_and_the_original_stays_visible() {
    let (_data, _clock, mut h) = live_session();
    enter(&mut h, ["142", "78", "72", "98"]);
    h.get_by_label("Correct").click();
    h.run_steps(2);
    h.get_by_label("Reading to correct").click();
    h.run_steps(2);
    h.get_by_label_contains("#1 09:00 - 142/78").click();
    h.run_steps(2);
    select_all_in(&mut h, "Corrected Systolic");
    h.run_steps(1);
    h.get_by_label("Corrected Systolic").type_text("124");
    h.run_steps(2);
    h.get_by_label("Save correction").click();
    h.run_steps(2);
    h.get_by_label_contains("needs a reason");
    type_into(
        &mut h,
        "Reason for the correction (required)",
        "digits swapped, monitor showed 124",
    );
    h.get_by_label("Save correction").click();
    h.run_steps(3);
    // The table is beside the trends, with the reading form.
    h.get_by_label("Reading").click();
    h.run_steps(2);
    let state = h.state().live().unwrap().session().state();
    let versions = &state.readings[0].versions;
    assert_eq!(versions.len(), 2, "the original stays");
    assert_eq!(versions[1].values.get(Vital::Systolic), Some(124.0));
    assert_eq!(
        versions[1].reason.as_deref(),
        Some("digits swapped, monitor showed 124")
    );
    h.get_by_label("superseded");
    h.get_by_label("amended");
}

#[test]
fn side_effects_and_interventions_are_noted_and_listed_on_the_live_screen() {
    let (_data, clock, mut h) = live_session();
    h.get_by_label("Notes").click();
    h.run_steps(2);
    type_into(
        &mut h,
        "Details (severity, what the patient said)",
        "mild, wants a bowl",
    );
    h.get_by_label("Note side effect").click();
    h.run_steps(2);
    clock.advance(3);
    type_into(&mut h, "Intervention given", "ondansetron 4 mg IV");
    h.get_by_label("Note intervention").click();
    h.run_steps(2);
    let state = h.state().live().unwrap().session().state();
    assert_eq!(state.side_effects[0].text, "nausea: mild, wants a bowl");
    assert_eq!(state.interventions[0].text, "ondansetron 4 mg IV");
    // Listed on the live screen (the fields were cleared), whichever tab is open.
    h.get_by_label("Reading").click();
    h.run_steps(2);
    let newest = h.get_by_label("09:03  intervention: ondansetron 4 mg IV (RN-ALVAREZ)");
    let older = h.get_by_label("09:00  side effect: nausea: mild, wants a bowl (RN-ALVAREZ)");
    assert!(newest.rect().top() < older.rect().top(), "newest first");
    h.snapshot("live_notes");
}

#[test]
fn the_session_ends_with_discharge_close_and_an_export_through_the_path_function() {
    let data = tempfile::tempdir().unwrap();
    let clock = HandClock::at("09:00");
    let exported = data.path().join("exports").join("chosen.log.csv");
    std::fs::create_dir_all(exported.parent().unwrap()).unwrap();
    let asked = Arc::new(Mutex::new(Vec::<String>::new()));
    let (target, log) = (exported.clone(), asked.clone());
    let picker: infusion_vitals::ui::PathPicker =
        Arc::new(Mutex::new(move |request: PathRequest| {
            match request {
                PathRequest::SaveLog(name) => log.lock().unwrap().push(name.to_string()),
                PathRequest::OpenLog
                | PathRequest::ImportFile
                | PathRequest::SaveReport(_)
                | PathRequest::SaveBundle(_)
                | PathRequest::Folder => {
                    panic!("asked only where to save the log here")
                }
            }
            Some(target.clone())
        }));
    let app = app(data.path(), &clock).with_path_picker(picker);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(64)
        .build_ui_state(frame, app);
    h.run_steps(2);
    start_session(&mut h);
    enter(&mut h, ["124", "78", "72", "98"]);
    h.get_by_label("Start infusion").click();
    h.run_steps(2);
    clock.advance(40);
    type_into(&mut h, "Reason", "dose complete");
    h.get_by_label("Stop infusion").click();
    h.run_steps(2);
    enter(&mut h, ["126", "80", "74", "98"]);
    h.get_by_label("End").click();
    h.run_steps(2);
    type_into(
        &mut h,
        "Modified Aldrete score (0-10, 9 or more to discharge)",
        "10",
    );
    h.get_by_label("Escort present (no driving until the next day)")
        .click();
    h.get_by_label("Vitals near baseline").click();
    h.run_steps(2);
    h.get_by_label("Record discharge").click();
    h.run_steps(2);
    type_into(&mut h, "Reason for closing", "discharged home with escort");
    h.get_by_label("Close session").click();
    h.run_steps(2);
    h.get_by_label("Choose...").click();
    h.run_steps(2);
    h.get_by_label("Export sealed log").click();
    h.run_steps(3);
    assert_eq!(
        asked.lock().unwrap().as_slice(),
        ["MRN-0042-20260314-0900.log.csv"]
    );
    h.get_by_label_contains("Sealed log saved to");
    let log = infusion_vitals::log::read_log(std::fs::File::open(&exported).unwrap())
        .expect("the exported log is intact");
    // Signed with the installation's key, made in the data directory.
    let key = infusion_vitals::seal_key::load_or_create(data.path()).unwrap();
    assert_eq!(log.signed_by, Some(key.public()));
    let state = infusion_vitals::session::SessionState::fold(&log.events).unwrap();
    assert!(state.closed_at.is_some());
    assert_eq!(state.discharge.unwrap().1.aldrete_score, 10);
    assert_eq!(state.readings.len(), 2);
}

#[test]
fn a_reading_too_early_to_confirm_a_recheck_says_from_when_beside_the_form() {
    let (_data, clock, mut h) = live_session();
    clock.advance_seconds(30);
    enter(&mut h, ["185", "95", "", ""]);
    // 5 min after 09:00:30 is 09:05:30: the card says 09:05, and means it.
    h.get_by_label_contains("Systolic high 185 mmHg >= 180: recheck at 09:05");
    clock.advance_seconds(4 * 60 + 20);
    enter(&mut h, ["186", "95", "", ""]);
    assert_eq!(readings(&h), 2, "saved all the same");
    h.get_by_label_contains("Saved at 09:04:50");
    h.get_by_label("Systolic high: too early to confirm: recheck from 09:05");
    h.get_by_label_contains("recheck at 09:05");
    clock.advance_seconds(20);
    enter(&mut h, ["187", "95", "", ""]);
    assert!(
        h.query_by_label_contains("too early to confirm").is_none(),
        "the note was about the reading before"
    );
    let state = h.state().live().unwrap().session().state();
    let alert = state.active_alert(AlertKey::High(Vital::Systolic)).unwrap();
    assert_eq!(alert.priority, Priority::Medium, "09:05:10 confirms");
}

/// The End tab of a live session after one reading.
fn end_tab() -> (tempfile::TempDir, Harness<'static, App>) {
    let (data, _clock, mut h) = live_session();
    enter(&mut h, ["124", "78", "72", "98"]);
    h.get_by_label("End").click();
    h.run_steps(2);
    (data, h)
}

/// Clicks a button below the fold of the End tab's scrolling panel, as a nurse scrolls to it.
fn press(h: &mut Harness<'_, App>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    // Until the scroll has come to rest, so the click lands where the button is.
    h.run_steps(30);
    h.get_by_label(label).click();
    h.run_steps(3);
}

fn export_to(h: &mut Harness<'_, App>, path: &str) {
    h.get_by_label("Save the log to (path)").scroll_to_me();
    h.run_steps(30);
    select_all_in(h, "Save the log to (path)");
    h.get_by_label("Save the log to (path)").type_text(path);
    h.run_steps(2);
    press(h, "Export sealed log");
}

#[test]
fn an_export_with_no_path_is_refused_and_says_what_to_type() {
    let (_data, mut h) = end_tab();
    press(&mut h, "Export sealed log");
    h.get_by_label_contains("Not saved: no path. Type where to save the sealed log");
    // Before, an empty field saved under the suggested name wherever the program ran.
    assert!(!Path::new("MRN-0042-20260314-0900.log.csv").exists());
}

#[test]
fn an_export_over_an_existing_file_asks_and_keeps_the_file_until_replace() {
    let (data, mut h) = end_tab();
    let existing = data.path().canonicalize().unwrap().join("earlier.log.csv");
    std::fs::write(&existing, "an earlier export\n").unwrap();
    let question = format!("{} exists: Replace it?", existing.display());

    export_to(&mut h, existing.to_str().unwrap());
    h.get_by_label(&question);
    assert_eq!(
        std::fs::read_to_string(&existing).unwrap(),
        "an earlier export\n"
    );
    press(&mut h, "Cancel");
    assert!(h.query_by_label(&question).is_none());
    assert!(h.query_by_label_contains("Sealed log saved").is_none());
    assert_eq!(
        std::fs::read_to_string(&existing).unwrap(),
        "an earlier export\n"
    );

    press(&mut h, "Export sealed log");
    h.get_by_label(&question);
    press(&mut h, "Replace");
    assert!(h.query_by_label(&question).is_none());
    h.get_by_label(&format!("Sealed log saved to {}", existing.display()));
    let log = infusion_vitals::log::read_log(std::fs::File::open(&existing).unwrap())
        .expect("replaced by the sealed log");
    assert_eq!(
        infusion_vitals::session::SessionState::fold(&log.events)
            .unwrap()
            .readings
            .len(),
        1
    );
}

/// `path` (absolute) written relative to the folder the test runs in, as a nurse might
/// type a bare or relative name.
fn relative_to_working_folder(path: &Path) -> std::path::PathBuf {
    let here = std::env::current_dir().unwrap();
    let mut relative = std::path::PathBuf::new();
    for _ in here.components().skip(1) {
        relative.push("..");
    }
    relative.join(path.strip_prefix("/").unwrap())
}

#[test]
fn an_export_says_the_full_path_it_wrote_to_when_a_relative_one_was_typed() {
    let (data, mut h) = end_tab();
    let folder = data.path().join("exports");
    std::fs::create_dir(&folder).unwrap();
    let typed = relative_to_working_folder(&folder.join("today.log.csv"));
    assert!(typed.is_relative());
    export_to(&mut h, typed.to_str().unwrap());
    let written = folder.canonicalize().unwrap().join("today.log.csv");
    h.get_by_label(&format!("Sealed log saved to {}", written.display()));
    assert!(written.is_file());
}

#[test]
fn an_export_never_writes_over_the_session_journal_nor_into_a_missing_folder() {
    let (data, mut h) = end_tab();
    let journal = journal::find(&data.path().join("sessions")).unwrap()[0].clone();
    let before = std::fs::read(&journal).unwrap();
    export_to(&mut h, journal.to_str().unwrap());
    h.get_by_label_contains("is this session's journal; save to another file");
    assert!(h.query_by_label("Replace").is_none(), "not even asked");
    assert_eq!(std::fs::read(&journal).unwrap(), before);

    let missing = data.path().join("no-such-folder").join("x.log.csv");
    export_to(&mut h, missing.to_str().unwrap());
    h.get_by_label_contains("no-such-folder cannot be used");
}

#[test]
fn the_pre_infusion_blood_pressure_rule_is_shown_before_the_start() {
    let (_data, clock, mut h) = live_session();
    h.get_by_label_contains("Baseline: take a full set");
    enter(&mut h, ["146", "92", "72", "98"]);
    h.get_by_label_contains("** mean BP 146/92 >= 140/90: clinician review before the start");
    clock.advance(6);
    enter(&mut h, ["176", "104", "74", "98"]);
    h.get_by_label_contains("*** mean BP 161/98 >= 160/100: HOLD until a clinician decides");
    h.get_by_label_contains("BP twice 5 min apart");
    // The start records the clinician's decision, and waits for it.
    h.get_by_label("Start infusion").click();
    h.run_steps(2);
    h.get_by_label_contains("the clinician's decision");
    assert!(
        h.state()
            .live()
            .unwrap()
            .session()
            .state()
            .infusion
            .started_at
            .is_none()
    );
    h.snapshot("start_needs_a_clinician_decision");
    type_into(
        &mut h,
        "Clinician's decision",
        "Dr Lee reviewed: proceed at 0.5 mg/kg",
    );
    h.get_by_label("Start infusion").click();
    h.run_steps(2);
    let state = h.state().live().unwrap().session().state();
    assert!(state.infusion.started_at.is_some());
}

/// The sample import, sealed at a fixed time so the picture does not change between runs.
fn sealed_sample(folder: &Path) -> std::path::PathBuf {
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/hypertensive-rise.csv");
    let profile = infusion_vitals::alerts::Profile::default_profile();
    let options = infusion_vitals::import::ImportOptions {
        file_label: "hypertensive-rise.csv".into(),
        patient_id: "DEMO-hypertensive-rise".into(),
        by: "RN-DEMO".into(),
        profile,
    };
    let eleven = DateTime::parse_from_rfc3339("2026-03-21T11:00:00+01:00").unwrap();
    let sealed_at = infusion_vitals::clock::FixedClock(eleven);
    let report = infusion_vitals::import::import_bytes(
        std::fs::read(input).unwrap(),
        &Default::default(),
        options,
        &sealed_at,
        &mut |_, _| {},
    )
    .unwrap_or_else(|e| panic!("{e}"))
    .report;
    let sample = folder.join("hypertensive-rise.log.csv");
    let key = infusion_vitals::log::seal::SealKey::from_secret(&[7; 32]);
    infusion_vitals::log::file::save_log(&sample, report.session.events(), &eleven, &key).unwrap();
    sample
}

#[test]
fn a_finished_log_opens_in_review_with_its_seal_summary_alarms_and_a_pdf_report() {
    let data = tempfile::tempdir().unwrap();
    let clock = HandClock::at("09:00");
    let sample = sealed_sample(data.path());
    let chosen = sample.clone();
    let picker: infusion_vitals::ui::PathPicker =
        Arc::new(Mutex::new(move |request: PathRequest| {
            assert_eq!(request, PathRequest::OpenLog);
            Some(chosen.clone())
        }));
    let app = app(data.path(), &clock).with_path_picker(picker);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(64)
        .build_ui_state(frame, app);
    h.run_steps(2);
    h.get_by_label("Browse...").click();
    h.run_steps(2);
    h.get_by_label("Open for review").click();
    h.run_steps(3);
    h.get_by_label_contains("Seal intact: sealed 2026-03-21 11:00+01:00");
    h.get_by_label_contains("Patient DEMO-hypertensive-rise");
    h.get_by_label_contains("Peak systolic: 188 mmHg at 09:45");
    h.get_by_label_contains("Alarms by highest priority:");
    assert!(
        h.query_by_label("Save reading (Enter)").is_none(),
        "nothing can be entered"
    );
    assert!(
        h.query_by_label_contains("Acknowledge alarm").is_none(),
        "nothing can be acknowledged"
    );
    let review = h.state().review().unwrap();
    assert!(review.is_intact());
    assert_eq!(review.state().readings.len(), 11);
    let events = review.events().len();
    h.snapshot("review_intact");

    h.get_by_label("Alarm history").click();
    h.run_steps(2);
    h.get_by_label_contains("** Systolic high (medium)");
    h.snapshot("review_alarm_history");

    let pdf = data.path().join("report.pdf");
    type_into(&mut h, "Save the report to (path)", pdf.to_str().unwrap());
    h.get_by_label("Save report as PDF").click();
    h.run_steps(2);
    h.get_by_label_contains("Report saved to");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    h.run_steps(5);
    assert_eq!(
        h.state().review().unwrap().events().len(),
        events,
        "review adds nothing"
    );

    h.get_by_label("Back").click();
    h.run_steps(2);
    // Enter in the path field opens the log, as the button does.
    type_into(
        &mut h,
        "Session log to review (path)",
        sample.to_str().unwrap(),
    );
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    h.get_by_label_contains("Seal intact: sealed 2026-03-21 11:00+01:00");
}

#[test]
fn a_finished_log_exports_its_fhir_bundle_from_the_review_screen_through_the_path_function() {
    let data = tempfile::tempdir().unwrap();
    let sample = sealed_sample(data.path());
    let chosen = data.path().join("chosen.fhir.json");
    let asked = Arc::new(Mutex::new(Vec::<String>::new()));
    let (target, log) = (chosen.clone(), asked.clone());
    let picker: infusion_vitals::ui::PathPicker =
        Arc::new(Mutex::new(move |request: PathRequest| {
            match request {
                PathRequest::SaveBundle(name) => log.lock().unwrap().push(name.to_string()),
                other => panic!("asked only where to save the bundle here, not {other:?}"),
            }
            Some(target.clone())
        }));
    let app = app(data.path(), &HandClock::at("09:00"))
        .with_path_picker(picker)
        .reviewing(&sample);
    let mut h = Harness::builder()
        // Tall enough to show both save forms under the summary without scrolling.
        .with_size(egui::vec2(1280.0, 1000.0))
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    h.run_steps(3);
    h.get_by_label_contains("Seal intact");
    h.get_by_label_contains("Export to the record system (FHIR R4 bundle)");
    // The second Choose... is the bundle's: the report's form comes first.
    let choose: Vec<_> = h.get_all_by_label("Choose...").collect();
    assert_eq!(choose.len(), 2, "the report's and the bundle's");
    choose[1].click();
    h.run_steps(2);
    assert_eq!(
        asked.lock().unwrap().as_slice(),
        ["hypertensive-rise.log.fhir.json"]
    );
    h.get_by_label("Export FHIR bundle").click();
    h.run_steps(3);
    h.get_by_label(&format!(
        "FHIR bundle saved to {}",
        chosen.canonicalize().unwrap().display()
    ));
    // The same bytes as `export --fhir` writes: one function of the log.
    let written = std::fs::read(&chosen).unwrap();
    let log = infusion_vitals::review::review_log(&std::fs::read(&sample).unwrap()).unwrap();
    assert_eq!(written, infusion_vitals::fhir::bundle_json(&log).unwrap());
    let bundle: serde_json::Value = serde_json::from_slice(&written).unwrap();
    assert_eq!(bundle["resourceType"], "Bundle");
    let patient = &bundle["entry"][0]["resource"];
    assert_eq!(patient["identifier"][0]["value"], "DEMO-hypertensive-rise");
    assert!(
        !data.path().join("hypertensive-rise.log.pdf").exists(),
        "the report's form was not used"
    );
}

#[test]
fn a_log_that_is_not_intact_is_not_exported_from_the_review_screen() {
    let data = tempfile::tempdir().unwrap();
    let sample = sealed_sample(data.path());
    // One digit changed by hand: altered, shown in review without its untrusted rows.
    let text = std::fs::read_to_string(&sample).unwrap();
    let at = text.find(",188,").expect("the sample's peak systolic");
    let altered = format!("{},189,{}", &text[..at], &text[at + 5..]);
    std::fs::write(&sample, altered).unwrap();
    let app = app(data.path(), &HandClock::at("09:00")).reviewing(&sample);
    let mut h = Harness::builder()
        // Tall enough to show both save forms under the summary without scrolling.
        .with_size(egui::vec2(1280.0, 1000.0))
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    h.run_steps(3);
    h.get_by_label_contains("NOT INTACT");
    h.get_by_label_contains("Not offered: the log is not intact");
    assert!(h.query_by_label("Export FHIR bundle").is_none());
    assert_eq!(
        h.get_all_by_label("Choose...").count(),
        1,
        "the report's only"
    );
    // The report of it can still be saved, marked.
    h.get_by_label("Save report as PDF").click();
    h.run_steps(3);
    h.get_by_label_contains("Report saved to");
    assert!(!data.path().join("hypertensive-rise.log.fhir.json").exists());
}

#[test]
fn a_report_saves_beside_the_log_asks_before_replacing_and_never_writes_over_the_log() {
    let data = tempfile::tempdir().unwrap();
    let sample = sealed_sample(data.path());
    let app = app(data.path(), &HandClock::at("09:00")).reviewing(&sample);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    h.run_steps(3);
    h.get_by_label_contains("Seal intact");
    let log_before = std::fs::read(&sample).unwrap();

    // An empty field saves beside the log, as its hint says, and says where in full.
    let beside = data
        .path()
        .canonicalize()
        .unwrap()
        .join("hypertensive-rise.log.pdf");
    h.get_by_label("Save report as PDF").click();
    h.run_steps(3);
    h.get_by_label(&format!("Report saved to {}", beside.display()));
    let first = std::fs::read(&beside).unwrap();
    assert!(first.starts_with(b"%PDF"));

    // Again: the report there is kept until Replace.
    std::fs::write(&beside, "kept").unwrap();
    h.get_by_label("Save report as PDF").click();
    h.run_steps(3);
    let question = format!("{} exists: Replace it?", beside.display());
    h.get_by_label(&question);
    assert_eq!(std::fs::read(&beside).unwrap(), b"kept");
    h.get_by_label("Replace").click();
    h.run_steps(3);
    assert!(std::fs::read(&beside).unwrap().starts_with(b"%PDF"));

    // The log under review is never written over, whatever the field says.
    select_all_in(&mut h, "Save the report to (path)");
    h.get_by_label("Save the report to (path)")
        .type_text(sample.to_str().unwrap());
    h.run_steps(2);
    h.get_by_label("Save report as PDF").click();
    h.run_steps(3);
    h.get_by_label_contains("is the log under review; save to another file");
    assert!(h.query_by_label("Replace").is_none());
    assert_eq!(std::fs::read(&sample).unwrap(), log_before);
}

#[test]
fn a_forged_log_with_infinite_values_opens_and_its_report_is_saved() {
    let data = tempfile::tempdir().unwrap();
    let sample = sealed_sample(data.path());
    // Values changed and the chain recomputed, as a forger would: the seal is intact.
    let bytes = std::fs::read(&sample).unwrap();
    let mut events = infusion_vitals::review::review_log(&bytes).unwrap().events;
    let readings = events.iter_mut().filter_map(|e| match &mut e.kind {
        EventKind::ReadingRecorded { values, .. } => Some(values),
        _ => None,
    });
    for (values, forged) in readings.skip(3).zip([f64::INFINITY, 1e9, f64::NAN]) {
        values.set(Vital::Systolic, Some(forged));
    }
    let eleven = DateTime::parse_from_rfc3339("2026-03-21T11:00:00+01:00").unwrap();
    // Signed by the forger's own key: the review still opens it, whatever it holds.
    let key = infusion_vitals::log::seal::SealKey::from_secret(&[9; 32]);
    infusion_vitals::log::file::save_log(&sample, &events, &eleven, &key).unwrap();
    let app = app(data.path(), &HandClock::at("09:00")).reviewing(&sample);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    h.run_steps(3);
    h.get_by_label_contains("NOT INTACT - invalid: row");
    // The report was drawn on the window's thread: it grew without limit, or aborted.
    h.get_by_label("Save report as PDF").click();
    h.run_steps(3);
    h.get_by_label_contains("Report saved to");
    let pdf = data.path().join("hypertensive-rise.log.pdf");
    assert!(std::fs::read(pdf).unwrap().starts_with(b"%PDF"));
}

#[test]
fn an_altered_log_opens_read_only_marked_with_its_row_and_only_the_rows_before_it() {
    let data = tempfile::tempdir().unwrap();
    let sample = sealed_sample(data.path());
    let text = std::fs::read_to_string(&sample).unwrap();
    // The fifth reading's systolic, changed after sealing.
    let (index, row) = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(",reading,recorded,"))
        .nth(4)
        .unwrap();
    let row_number = index + 1;
    let row = row.to_string();
    let edited = row.replacen(",final,1", ",final,2", 1);
    assert!(row != edited, "the edit changed the row");
    let altered = data.path().join("altered.log.csv");
    std::fs::write(&altered, text.replacen(&row, &edited, 1)).unwrap();
    let mut h = harness(data.path(), &HandClock::at("09:00"));
    h.run_steps(2);
    type_into(
        &mut h,
        "Session log to review (path)",
        altered.to_str().unwrap(),
    );
    h.get_by_label("Open for review").click();
    h.run_steps(3);
    h.get_by_label_contains(&format!("NOT INTACT - altered at row {row_number}"));
    h.get_by_label_contains("only the rows before the fault are shown");
    let review = h.state().review().unwrap();
    assert!(!review.is_intact());
    assert_eq!(
        review.state().readings.len(),
        4,
        "the readings before the altered one"
    );
    h.snapshot("review_altered");
}

#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn open_log_starts_the_window_on_its_review_and_a_bad_one_on_the_start_screen_saying_why() {
    let data = tempfile::tempdir().unwrap();
    let sample = sealed_sample(data.path());
    let clock = HandClock::at("09:00");
    let app = app(data.path(), &clock).reviewing(&sample);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(64)
        .build_ui_state(frame, app);
    h.run_steps(2);
    h.get_by_label_contains("Seal intact");

    let missing = data.path().join("missing.csv");
    let app = self::app(data.path(), &clock).reviewing(&missing);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(64)
        .build_ui_state(frame, app);
    h.run_steps(2);
    h.get_by_label_contains("cannot open");
    h.get_by_label("Open for review");
}

#[test]
fn a_log_dropped_on_the_window_opens_for_review() {
    let data = tempfile::tempdir().unwrap();
    let sample = sealed_sample(data.path());
    let mut h = harness(data.path(), &HandClock::at("09:00"));
    h.run_steps(2);
    h.input_mut().dropped_files.push(Arc::new(Dropped(sample)));
    h.run_steps(3);
    h.get_by_label_contains("Seal intact");
    assert!(h.state().review().is_some());
}

#[test]
fn the_protocol_numbers_and_profile_are_editable_and_a_wrong_profile_is_refused() {
    let data = tempfile::tempdir().unwrap();
    let mut h = harness(data.path(), &HandClock::at("09:00"));
    h.run_steps(2);
    type_into(&mut h, "Patient identifier", "MRN-0042");
    type_into(&mut h, "Weight (kg)", "72");
    type_into(&mut h, "Nurse", "RN-ALVAREZ");
    select_all_in(&mut h, "Threshold profile");
    h.get_by_label("Threshold profile")
        .type_text("no-such-profile");
    h.run_steps(1);
    h.get_by_label("Start new session").click();
    h.run_steps(2);
    h.get_by_label_contains("no profile named 'no-such-profile'");
    assert!(h.state().live().is_none());
    select_all_in(&mut h, "Planned minutes");
    h.get_by_label("Planned minutes").type_text("60");
    select_all_in(&mut h, "Threshold profile");
    h.get_by_label("Threshold profile")
        .type_text("ketamine-iv-adult");
    h.run_steps(1);
    h.get_by_label("Start new session").click();
    h.run_steps(3);
    let state = h.state().live().expect("started").session().state();
    let protocol = &state.info.as_ref().unwrap().protocol;
    assert_eq!(
        (protocol.name.as_str(), protocol.planned_min),
        ("0.5 mg/kg over 60 min", Some(60))
    );
}

fn with_high_alarm(
    data: &Path,
    clock: &HandClock,
    player: infusion_vitals::ui::PlayerFactory,
) -> Harness<'static, App> {
    let app = App::new(data, Some(&data.join("demo")), Arc::new(clock.clone())).with_player(player);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(64)
        .build_ui_state(frame, app);
    h.run_steps(2);
    start_session(&mut h);
    enter(&mut h, ["205", "110", "88", "97"]);
    h
}

#[test]
fn a_high_alarm_is_heard_as_a_high_tone() {
    let data = tempfile::tempdir().unwrap();
    let heard = Recorder::default();
    let player = heard.clone();
    let _h = with_high_alarm(
        data.path(),
        &HandClock::at("09:00"),
        Arc::new(move || Box::new(player.clone())),
    );
    assert!(
        heard.0.lock().unwrap().contains(&Priority::High),
        "{:?}",
        heard.0.lock().unwrap()
    );
}

/// Key presses and the text they type, as a keyboard sends them.
fn keystrokes(h: &mut Harness<'_, App>, typed: &str) {
    for c in typed.chars() {
        let key = match c {
            '\t' => Some(egui::Key::Tab),
            '\n' => Some(egui::Key::Enter),
            _ => None,
        };
        match key {
            Some(key) => {
                for pressed in [true, false] {
                    h.event(egui::Event::Key {
                        key,
                        physical_key: None,
                        pressed,
                        repeat: false,
                        modifiers: egui::Modifiers::NONE,
                    });
                }
            }
            None => h.event(egui::Event::Text(c.to_string())),
        }
    }
}

#[test]
fn keys_typed_faster_than_the_frames_land_where_they_were_typed() {
    let (_data, _clock, mut h) = live_session();
    // Two whole readings arrive before a single frame is drawn (a slow computer), and
    // nobody clicks: the cursor starts in Systolic and returns there after each save.
    // Respiratory rate comes after SpO2, before the time.
    keystrokes(&mut h, "121\t80\t70\t98\t16\n118\t76\t72\t97\t14\t08:55\n");
    settle(&mut h);

    let state = h.state().live().unwrap().session().state();
    let saved: Vec<[Option<f64>; Vital::COUNT]> = state
        .readings
        .iter()
        .map(|r| {
            let v = r.current().unwrap().values;
            Vital::ALL.map(|vital| v.get(vital))
        })
        .collect();
    assert_eq!(
        saved,
        vec![
            [Some(121.0), Some(80.0), Some(70.0), Some(98.0), Some(16.0)],
            [Some(118.0), Some(76.0), Some(72.0), Some(97.0), Some(14.0)],
        ]
    );
}

#[test]
fn a_session_is_started_with_the_keyboard_alone() {
    let data = tempfile::tempdir().unwrap();
    let clock = HandClock::at("09:00");
    let mut h = harness(data.path(), &clock);
    h.run_steps(2);
    // The cursor waits in the patient identifier; Tab moves on; Enter starts.
    keystrokes(&mut h, "MRN-0042\t72\tRN-ALVAREZ\n");
    settle(&mut h);
    let live = h.state().live().expect("the live screen opened");
    let info = live.session().state().info.clone().unwrap();
    assert_eq!(info.patient_id, "MRN-0042");
    assert_eq!(info.weight_kg, Some(72.0));
}

#[test]
fn enter_with_nothing_typed_says_why_nothing_was_saved() {
    let (_data, _clock, mut h) = live_session();
    keystrokes(&mut h, "\n");
    settle(&mut h);
    h.get_by_label_contains("Nothing saved: enter at least one value");
    assert_eq!(readings(&h), 0);
}

#[test]
fn an_alarm_sounds_and_escalates_on_time_while_the_window_is_hidden() {
    let data = tempfile::tempdir().unwrap();
    let clock = HandClock::at("09:00");
    let heard = Recorder::default();
    let player = heard.clone();
    let app = App::new(data.path(), None, Arc::new(clock.clone()))
        .with_player(Arc::new(move || Box::new(player.clone())));
    // Hidden, eframe calls only the app's logic, never its view.
    let hidden = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let shown = hidden.clone();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(64)
        .build_ui_state(
            move |ui, app: &mut App| {
                app.logic(ui.ctx());
                if !shown.load(std::sync::atomic::Ordering::SeqCst) {
                    app.ui(ui);
                }
            },
            app,
        );
    h.run_steps(2);
    start_session(&mut h);
    enter(&mut h, ["185", "95", "80", "97"]);
    clock.advance(5);
    enter(&mut h, ["186", "95", "80", "97"]);
    let sounded = |_: &Harness<'_, App>| heard.0.lock().unwrap().clone();
    assert_eq!(sounded(&h).last(), Some(&Priority::Medium));
    let before = sounded(&h).len();
    hidden.store(true, std::sync::atomic::Ordering::SeqCst);
    clock.advance_seconds(150);
    h.step();
    assert_eq!(
        sounded(&h)[before..],
        [Priority::Medium],
        "re-announced while hidden: {:?}",
        sounded(&h)
    );
    clock.advance_seconds(150);
    h.step();
    assert_eq!(
        sounded(&h).last(),
        Some(&Priority::High),
        "escalated and heard as high while hidden: {:?}",
        sounded(&h)
    );
    let app = h.state();
    let state = app.live().unwrap().session().state();
    let escalated = state
        .active_alert(infusion_vitals::session::events::AlertKey::High(
            Vital::Systolic,
        ))
        .unwrap();
    assert_eq!(escalated.priority, Priority::High);
}

#[test]
fn the_pause_button_shows_its_countdown_and_is_logged() {
    let data = tempfile::tempdir().unwrap();
    let clock = HandClock::at("09:00");
    let mut h = with_high_alarm(
        data.path(),
        &clock,
        Arc::new(|| Box::new(Recorder::default())),
    );
    h.get_by_label("Pause alarm sound (2 min)").click();
    h.run_steps(2);
    h.get_by_label("Sound paused: 2:00 left");
    clock.advance_seconds(30);
    h.run_steps(2);
    h.get_by_label("Sound paused: 1:30 left");
    let events = h.state().live().unwrap().session().events();
    assert!(events.iter().any(|e| matches!(
        e.kind,
        infusion_vitals::session::EventKind::AudioPaused { .. }
    ) && e.by == "RN-ALVAREZ"));
    clock.advance_seconds(90);
    h.run_steps(2);
    h.get_by_label("Pause alarm sound (2 min)");
}

#[test]
fn a_snooze_needs_a_reason_and_then_shows_its_time_left() {
    let data = tempfile::tempdir().unwrap();
    let clock = HandClock::at("09:00");
    let mut h = with_high_alarm(
        data.path(),
        &clock,
        Arc::new(|| Box::new(Recorder::default())),
    );
    h.get_by_label("Snooze alarm 2").click();
    h.run_steps(2);
    h.get_by_label_contains("Snooze Diastolic high: anything worse still sounds");
    h.get_by_label("Confirm snooze").click();
    h.run_steps(2);
    h.get_by_label_contains("a snooze needs a reason");
    type_into(
        &mut h,
        "Reason for the snooze (required)",
        "cuff rechecked, white-coat effect, clinician aware",
    );
    h.get_by_label("Confirm snooze").click();
    h.run_steps(2);
    h.get_by_label_contains("snoozed until 09:10:00 (10 min left)");
}

#[test]
fn no_sound_device_is_a_technical_alarm_not_a_crash() {
    let data = tempfile::tempdir().unwrap();
    let h = with_high_alarm(
        data.path(),
        &HandClock::at("09:00"),
        Arc::new(|| Box::new(NoDevice)),
    );
    h.get_by_label_contains("TECHNICAL: No sound: alarms are visual only (no audio device found)");
    h.get_by_label_contains("*** Systolic high 205 mmHg >= 200");
    let logged: Vec<_> = h
        .state()
        .live()
        .unwrap()
        .session()
        .events()
        .iter()
        .filter(|e| matches!(&e.kind, infusion_vitals::session::EventKind::TechnicalAlarm { condition } if condition.contains("no sound")))
        .collect();
    assert_eq!(logged.len(), 1, "logged once, not every frame");
    let events = h.state().live().unwrap().session().events();
    assert!(
        !events.iter().any(|e| matches!(
            e.kind,
            infusion_vitals::session::EventKind::AlarmSounded { .. }
        )),
        "nothing is logged as heard when nothing could be heard"
    );
}

#[test]
fn snapshot_of_a_high_alarm_with_sound_paused_and_a_vital_snoozed() {
    let data = tempfile::tempdir().unwrap();
    let clock = HandClock::at("09:00");
    let mut h = with_high_alarm(
        data.path(),
        &clock,
        Arc::new(|| Box::new(Recorder::default())),
    );
    h.get_by_label("Snooze alarm 2").click();
    h.run_steps(2);
    type_into(
        &mut h,
        "Reason for the snooze (required)",
        "cuff rechecked, clinician aware",
    );
    h.get_by_label("Confirm snooze").click();
    h.run_steps(2);
    h.get_by_label("Pause alarm sound (2 min)").click();
    h.run_steps(2);
    h.snapshot("live_high_alarm_paused_snoozed");
}

#[test]
fn a_limit_is_changed_for_this_patient_and_shown_beside_the_default() {
    let (_data, _clock, mut h) = live_session();
    h.get_by_label("Limits").click();
    h.run_steps(2);
    h.get_by_label("Systolic high * low").click();
    h.run_steps(2);
    type_into(&mut h, "New limit", "170");
    type_into(
        &mut h,
        "Why (required; who is recorded)",
        "usual BP runs 165, agreed with Dr. Okafor",
    );
    h.get_by_label("Set limit").click();
    h.run_steps(2);
    h.get_by_label(">= 170 (default 160)");
    let state = h.state().live().unwrap().session().state();
    assert_eq!(
        state
            .limits
            .get(&(AlertKey::High(Vital::Systolic), Priority::Low)),
        Some(&170.0)
    );
}

#[test]
fn a_session_opened_with_another_profile_says_so_when_resumed() {
    let data = tempfile::tempdir().unwrap();
    let clock = HandClock::at("09:00");
    let clinic = data.path().join("clinic.toml");
    let default = include_str!("../assets/profiles/ketamine-iv-adult.toml");
    std::fs::write(
        &clinic,
        default.replace("name = \"Ketamine IV, adult\"", "name = \"Clinic strict\""),
    )
    .unwrap();
    {
        let mut h = harness(data.path(), &clock);
        h.run_steps(2);
        select_all_in(&mut h, "Threshold profile");
        h.get_by_label("Threshold profile")
            .type_text(clinic.to_str().unwrap());
        start_session(&mut h);
    }
    let mut h = harness(data.path(), &clock);
    h.run_steps(2);
    h.get_by_label("Resume session 1").click();
    h.run_steps(3);
    h.get_by_label_contains("This session opened with profile 'Clinic strict' 1.0; it continues with 'Ketamine IV, adult' 1.0");
}

/// A fixture's path as a user would type it: relative to the folder the program runs
/// in (the package, under `cargo test`), so the snapshot is the same in any checkout.
fn import_fixture(name: &str) -> String {
    format!("tests/fixtures/import/{name}")
}

/// The start screen's guided import of `path`, read: the window of a fresh data folder
/// (kept alive by the returned guard) at 09:00 on 2026-11-01, after the file's readings.
fn guided_import_of(path: &str) -> (tempfile::TempDir, Harness<'static, App>) {
    let data = tempfile::tempdir().unwrap();
    let clock = HandClock::at("09:00");
    *clock.0.lock().unwrap() = DateTime::parse_from_rfc3339("2026-11-01T09:00:00+01:00").unwrap();
    let mut h = harness(data.path(), &clock);
    h.run_steps(2);
    h.get_by_label("Import a file...").click();
    settle(&mut h);
    type_into(&mut h, "File to import (path)", path);
    h.get_by_label("Read file").click();
    settle(&mut h);
    (data, h)
}

/// Runs frames until the import's thread is done.
fn wait_for_import(h: &mut Harness<'_, App>) {
    for _ in 0..500 {
        h.run_steps(1);
        let busy = match &h.state().screen {
            infusion_vitals::ui::app::Screen::Import(i) => i.is_busy(),
            _ => false,
        };
        if !busy {
            h.run_steps(2);
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("the import did not finish");
}

#[test]
fn a_guided_import_previews_asks_what_the_file_leaves_open_and_shows_the_summary() {
    let data = tempfile::tempdir().unwrap();
    let clock = HandClock::at("09:00");
    *clock.0.lock().unwrap() = DateTime::parse_from_rfc3339("2026-11-01T09:00:00+01:00").unwrap();
    let mut h = harness(data.path(), &clock);
    h.run_steps(2);
    h.get_by_label("Import a file...").click();
    h.run_steps(2);
    type_into(
        &mut h,
        "File to import (path)",
        &import_fixture("dates_never_settle_order.csv"),
    );
    h.get_by_label("Read file").click();
    h.run_steps(3);
    // The preview: the header and the first rows, and the column found for each vital.
    h.get_by_label_contains("Preview: UTF-8, comma-separated, header on line 1");
    h.get_by_label("05/03/2026 09:00:00");
    h.get_by_label_contains(
        "To import, answer: no date in 'Time' settles which of its fields is the day",
    );
    assert!(
        h.query_by_label("Import").is_none(),
        "nothing to import before the answer"
    );
    h.snapshot("import_preview");
    // The questions the CLI asks by flag.
    h.get_by_label("day first (dd/MM/yyyy)").click();
    h.run_steps(2);
    type_into(
        &mut h,
        "Time zone of the file's times (e.g. Europe/Berlin or +01:00)",
        "Europe/Berlin",
    );
    type_into(&mut h, "Patient identifier", "P-IMPORT");
    h.get_by_label("Import").click();
    wait_for_import(&mut h);
    h.get_by_label_contains("readings written, 0 values or rows rejected");
    h.get_by_label_contains("time: 'Time' (date and time), dates day first");
    // The zone named as the window asked for it, not as the command line's flag.
    h.get_by_label_contains("; zone: Europe/Berlin (Time zone of the file's times)");
    h.get_by_label("Open in review").click();
    h.run_steps(3);
    h.get_by_label_contains("Review, read-only: dates_never_settle_order.log.csv");
    h.get_by_label_contains("Seal intact");
    // Signed with the installation's key, as every log the window seals.
    let written = data.path().join("imports/dates_never_settle_order.log.csv");
    let log = infusion_vitals::log::read_log(std::fs::File::open(written).unwrap()).unwrap();
    let key = infusion_vitals::seal_key::load_or_create(data.path()).unwrap();
    assert_eq!(log.signed_by, Some(key.public()));
    let state = h.state().review().unwrap().state();
    let first = state.readings[0].versions[0].at;
    assert_eq!(
        infusion_vitals::clock::format_time(&first),
        "2026-03-05T09:00:00+01:00",
        "day first: 5 March"
    );
}

#[test]
fn the_guided_import_names_its_fields_not_the_command_lines_flags() {
    let data = tempfile::tempdir().unwrap();
    let mut h = harness(data.path(), &HandClock::at("09:00"));
    h.run_steps(2);
    h.get_by_label("Import a file...").click();
    h.run_steps(2);
    type_into(
        &mut h,
        "File to import (path)",
        &import_fixture("vitaldb_seconds_since_start.csv"),
    );
    h.get_by_label("Read file").click();
    h.run_steps(3);
    let start = "Recording started at (e.g. 2026-03-14T09:30:00+01:00)";
    type_into(&mut h, start, "09:00");
    h.get_by_label_contains(
        "Recording started at '09:00' is not an ISO 8601 time such as 2026-03-14T09:30:00+01:00",
    );
    select_all_in(&mut h, start);
    h.get_by_label(start).type_text("2026-03-14 09:00:00");
    settle(&mut h);
    h.get_by_label_contains(
        "Recording started at '2026-03-14 09:00:00' has no UTC offset; add one (2026-03-14T09:30:00+01:00) or fill in Time zone of the file's times",
    );
    for flag in ["--start", "--tz"] {
        assert!(h.query_by_label_contains(flag).is_none(), "{flag} shown");
    }
}

#[test]
fn a_file_imported_into_the_live_session_joins_its_readings_and_alarms() {
    let (_data, clock, mut h) = live_session();
    clock.advance(30);
    // Tall enough that the whole import shows without scrolling.
    h.set_size(egui::vec2(1280.0, 1800.0));
    h.get_by_label("Import readings from a file...").click();
    h.run_steps(2);
    h.get_by_label_contains("Import readings into this session");
    type_into(
        &mut h,
        "File to import (path)",
        &import_fixture("spot_readings_one_spo2_low.csv"),
    );
    h.get_by_label("Read file").click();
    h.run_steps(3);
    type_into(
        &mut h,
        "Time zone of the file's times (e.g. Europe/Berlin or +01:00)",
        "Europe/Berlin",
    );
    assert!(
        h.query_by_label("Patient identifier").is_none(),
        "the session already has its patient"
    );
    h.get_by_label("Add to this session").scroll_to_me();
    settle(&mut h);
    h.get_by_label("Add to this session").click();
    for _ in 0..500 {
        h.run_steps(1);
        if !h.state().live().unwrap().is_importing() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.run_steps(3);
    h.get_by_label_contains("4 rows read, 4 readings written");
    h.get_by_label_contains("alerts were checked at 09:30:00 as after readings entered late");
    h.get_by_label_contains("SpO2 low 87 % (measured 09:10) < 90");
    h.snapshot("import_into_session");
    let session = h.state().live().unwrap().session();
    assert_eq!(session.state().readings.len(), 4);
    let alarm = session
        .state()
        .active_alert(AlertKey::Low(Vital::Spo2))
        .expect("the file's SpO2 of 87 raised an alarm");
    assert_eq!(alarm.priority, Priority::High);
    let journal = journal::find(&_data.path().join("sessions")).unwrap();
    let on_disk = journal::read(&journal[0]).unwrap();
    assert_eq!(
        on_disk.events,
        session.events(),
        "on disk before it is shown"
    );
    // Back on the trends, the readings are in the table.
    h.get_by_label("Back to the trends").click();
    h.run_steps(2);
    h.get_by_label_contains("126/80");
}

/// Logs of four sessions, one of them edited after sealing, one with a gap in its
/// readings, and a file that is not a log.
fn audit_folder(root: &Path) {
    use infusion_vitals::sample_session::{Departures, completed_session};
    let start = DateTime::parse_from_rfc3339("2026-03-16T08:00:00+01:00").unwrap();
    let write = |name: &str, n: u32, departures: &Departures| {
        let at = start + Duration::days(i64::from(n));
        let session = completed_session(n, at, "RN-7", departures).unwrap();
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let bytes =
            infusion_vitals::log::write::log_bytes(session.events(), &(at + Duration::hours(3)));
        std::fs::write(path, bytes).unwrap();
    };
    write("chair-1/mon.csv", 0, &Departures::none());
    write("chair-1/tue.csv", 1, &Departures::none());
    write("chair-2/wed.csv", 2, &Departures::none());
    write(
        "chair-2/thu-gap.csv",
        3,
        &Departures {
            skipped_minutes: vec![30, 40],
            acknowledges_alarms: true,
        },
    );
    let edited = root.join("chair-1/tue.csv");
    let text = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(&edited, text.replacen(",final,12", ",final,13", 1)).unwrap();
    std::fs::write(root.join("chair-2/export.csv"), "Time,SYS\n08:00,120\n").unwrap();
}

#[test]
fn a_folder_that_is_not_one_is_refused_until_retyped_and_enter_starts_the_audit() {
    let data = tempfile::tempdir().unwrap();
    let logs = data.path().join("logs");
    audit_folder(&logs);
    let mut h = harness(data.path(), &HandClock::at("09:00"));
    h.run_steps(2);
    h.get_by_label("Audit a folder of logs...").click();
    h.run_steps(2);
    type_into(&mut h, "Folder to audit (path)", "/no/such/folder");
    h.get_by_label("Audit").click();
    h.run_steps(2);
    h.get_by_label_contains("'/no/such/folder' is not a folder");

    select_all_in(&mut h, "Folder to audit (path)");
    h.key_press(egui::Key::Backspace);
    h.run_steps(1);
    assert!(
        h.query_by_label_contains("is not a folder").is_none(),
        "the refusal goes once the path is edited"
    );
    h.get_by_label("Folder to audit (path)")
        .type_text(logs.to_str().unwrap());
    h.run_steps(1);
    h.key_press(egui::Key::Enter);
    for _ in 0..200 {
        h.run_steps(1);
        let audit = h.state().audit().unwrap();
        if !audit.is_running() && h.query_by_label_contains("Done:").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    h.get_by_label_contains("Done: 5 files checked");
}

#[test]
fn an_audit_of_a_folder_shows_progress_then_a_table_that_filters_sorts_and_opens_a_file() {
    let data = tempfile::tempdir().unwrap();
    // Relative to the package, where tests run: the path typed shows in the snapshot.
    let logs = Path::new("target").join("ui-audit-folder");
    let _ = std::fs::remove_dir_all(&logs);
    audit_folder(&logs);
    let mut h = harness(data.path(), &HandClock::at("09:00"));
    h.run_steps(2);
    h.get_by_label("Audit a folder of logs...").click();
    h.run_steps(2);
    type_into(&mut h, "Folder to audit (path)", logs.to_str().unwrap());
    h.get_by_label("Audit").click();
    for _ in 0..200 {
        h.run_steps(1);
        if !h.state().audit().unwrap().is_running() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    h.run_steps(2);
    h.get_by_label_contains("Done: 5 files checked");
    h.get_by_label_contains("files: 5 (intact 3, altered 1, not a log 1)");
    h.get_by_label_contains("passed: 2, failed: 3");
    h.get_by_label_contains("reading_gaps: no reading from");
    h.snapshot("audit_view");

    h.get_by_label("Failed only").click();
    h.run_steps(2);
    assert!(
        h.query_by_label("chair-1/mon.csv").is_none(),
        "a passed file is hidden"
    );
    h.get_by_label("chair-1/tue.csv");
    type_into(&mut h, "Filter (file, patient or problem)", "gap");
    h.run_steps(2);
    assert!(
        h.query_by_label("chair-1/tue.csv").is_none(),
        "filtered out"
    );
    h.get_by_label("chair-2/thu-gap.csv");

    h.get_by_label("All files").click();
    select_all_in(&mut h, "Filter (file, patient or problem)");
    h.key_press(egui::Key::Backspace);
    h.run_steps(2);
    // By file name, chair-1/mon.csv (passed) comes first; sorted by result, the failures do.
    let y = |h: &Harness<'_, App>, name: &str| h.get_by_label(name).rect().top();
    assert!(y(&h, "chair-1/mon.csv") < y(&h, "chair-1/tue.csv"));
    h.get_by_label("result").click();
    h.run_steps(2);
    assert!(
        y(&h, "chair-1/tue.csv") < y(&h, "chair-1/mon.csv"),
        "failures first"
    );
    assert!(y(&h, "chair-2/thu-gap.csv") < y(&h, "chair-2/wed.csv"));

    h.get_by_label("chair-1/tue.csv").click();
    h.run_steps(3);
    h.get_by_label_contains("NOT INTACT - altered at row");
    h.get_by_label("Back").click();
    h.run_steps(2);
    h.get_by_label_contains("Done: 5 files checked");
}

/// A session at 09:00 with a baseline set and the infusion running, frames 50 ms apart
/// (a double-click's two clicks come a fraction of a second apart).
fn infusion_running() -> (tempfile::TempDir, HandClock, Harness<'static, App>) {
    let data = tempfile::tempdir().unwrap();
    let clock = HandClock::at("09:00");
    let app = app(data.path(), &clock);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(64)
        .with_step_dt(0.05)
        .build_ui_state(frame, app);
    h.run_steps(2);
    start_session(&mut h);
    enter(&mut h, ["124", "78", "72", "98"]);
    h.get_by_label("Start infusion").click();
    settle(&mut h);
    // Past the second in which another click is taken for the same action.
    h.run_steps(25);
    (data, clock, h)
}

fn infusion_steps(h: &Harness<'_, App>) -> Vec<&'static str> {
    h.state()
        .live()
        .unwrap()
        .session()
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            infusion_vitals::session::EventKind::Infusion(c) => Some(c.name()),
            _ => None,
        })
        .collect()
}

/// Two presses and releases at the centre of the control labelled `label`, as a mouse's
/// double-click sends them.
fn double_click(h: &mut Harness<'_, App>, label: &str) {
    let pos = h.get_by_label(label).rect().center();
    for pressed in [true, false, true, false] {
        h.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
    settle(h);
}

#[test]
fn a_double_click_on_pause_pauses_once() {
    let (_data, _clock, mut h) = infusion_running();
    type_into(&mut h, "Reason", "nausea");
    h.run_steps(25);
    double_click(&mut h, "Pause infusion");
    assert_eq!(infusion_steps(&h), ["started", "paused"]);
    h.get_by_label_contains("INFUSION PAUSED");
    h.get_by_label("Resume infusion");
}

/// Pauses the running infusion for nausea.
fn pause_for_nausea(h: &mut Harness<'_, App>) {
    type_into(h, "Reason", "nausea");
    h.run_steps(25);
    h.get_by_label("Pause infusion").click();
    settle(h);
    h.run_steps(25);
}

/// While paused, a systolic of 205 (confirmed, a rise of 81 mmHg in minutes being asked
/// about) raises a high alarm; then Resume, with its reason, asks "resume anyway?".
fn high_alarm_then_resume(h: &mut Harness<'_, App>, clock: &HandClock) {
    clock.advance(1);
    enter(h, ["205", "110", "88", "97"]);
    h.get_by_label("Confirm and save").click();
    settle(h);
    type_into(h, "Reason", "nausea settled");
    h.run_steps(25);
    h.get_by_label("Resume infusion").click();
    settle(h);
    h.run_steps(25);
}

#[test]
fn resuming_needs_a_reason_and_with_a_high_alarm_a_confirmation() {
    let (_data, clock, mut h) = infusion_running();
    pause_for_nausea(&mut h);
    h.get_by_label("Resume infusion").click();
    settle(&mut h);
    h.get_by_label_contains("Not resumed: write the reason first");
    assert_eq!(infusion_steps(&h), ["started", "paused"]);
    high_alarm_then_resume(&mut h, &clock);
    h.get_by_label_contains("A high alarm is active: resume anyway?");
    assert_eq!(
        infusion_steps(&h),
        ["started", "paused"],
        "not before the answer"
    );
    h.get_by_label("Resume anyway").click();
    settle(&mut h);
    assert_eq!(infusion_steps(&h), ["started", "paused", "resumed"]);
}

#[test]
fn after_closing_the_next_patient_starts_from_the_start_screen_without_a_restart() {
    let (data, clock, mut h) = infusion_running();
    clock.advance(40);
    type_into(&mut h, "Reason", "dose complete");
    h.get_by_label("Stop infusion").click();
    settle(&mut h);
    enter(&mut h, ["126", "80", "74", "98"]);
    h.get_by_label("End").click();
    settle(&mut h);
    type_into(
        &mut h,
        "Modified Aldrete score (0-10, 9 or more to discharge)",
        "10",
    );
    h.get_by_label("Escort present (no driving until the next day)")
        .click();
    h.get_by_label("Vitals near baseline").click();
    settle(&mut h);
    h.get_by_label("Record discharge").click();
    settle(&mut h);
    h.run_steps(25);
    type_into(&mut h, "Reason for closing", "discharged home with escort");
    h.get_by_label("Close session").click();
    settle(&mut h);
    assert!(
        h.state()
            .live()
            .unwrap()
            .session()
            .state()
            .closed_at
            .is_some()
    );
    h.run_steps(25);
    h.get_by_label("Next patient: back to the start screen")
        .click();
    settle(&mut h);
    assert!(h.state().live().is_none(), "back on the start screen");
    h.get_by_label("Patient identifier");
    assert!(
        h.query_by_label_contains("Resume session").is_none(),
        "a closed session is not offered for resuming"
    );
    // The next patient's session, in the same window.
    clock.advance(10);
    start_session(&mut h);
    let sessions = journal::find(&data.path().join("sessions")).unwrap();
    assert_eq!(sessions.len(), 2);
}

/// Asserts that the widget labelled `label` is wholly on the screen: neither cut by its
/// edges nor scrolled out of view (a scroll area in a panel ends inside the screen, so
/// what it has scrolled away lies outside it).
fn on_screen(h: &Harness<'_, App>, label: &str) -> egui::Rect {
    let rect = h.get_by_label(label).rect();
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, LAPTOP);
    assert!(
        screen.contains_rect(rect),
        "{label} at {rect:?} is not all on screen"
    );
    rect
}

/// The ids of the active alarms, most urgent first as the list shows them.
fn active_alarm_ids(h: &Harness<'_, App>) -> Vec<u32> {
    let state = h.state().live().unwrap().session().state();
    infusion_vitals::ui::alarms::by_priority(state)
        .iter()
        .map(|a| a.id)
        .collect()
}

/// On the laptop's screen: a session with the infusion running since 09:05 and three
/// alarms from one reading at 09:10 (systolic and SpO2 high, diastolic a recheck).
fn laptop_with_three_alarms() -> (tempfile::TempDir, HandClock, Harness<'static, App>) {
    let (data, clock, mut h) = live_session_of_size(LAPTOP);
    enter(&mut h, ["124", "78", "72", "98"]);
    clock.advance(5);
    h.get_by_label("Start infusion").click();
    h.run_steps(2);
    clock.advance(5);
    enter(&mut h, ["205", "110", "88", "89"]);
    assert_eq!(active_alarm_ids(&h).len(), 3, "three alarms");
    (data, clock, h)
}

#[test]
fn three_alarms_the_reading_form_and_the_infusion_controls_fit_a_clinic_laptop() {
    let (_data, _clock, mut h) = laptop_with_three_alarms();
    h.snapshot("live_three_alarms_1366");
    for id in active_alarm_ids(&h) {
        on_screen(&h, &format!("Acknowledge alarm {id}"));
        on_screen(&h, &format!("Snooze alarm {id}"));
    }
    on_screen(&h, "Action taken (needed to acknowledge)");
    on_screen(&h, "Pause alarm sound (2 min)");
    for field in [
        "Systolic (mmHg)",
        "Diastolic (mmHg)",
        "Heart rate (bpm)",
        "SpO2 (%)",
        "Time (HH:MM)",
        "Save reading (Enter)",
    ] {
        on_screen(&h, field);
    }
    // The infusion's line, to its last field, where the Reason once ran off the edge.
    for control in ["Pause infusion", "Stop infusion", "Reason", "Change rate"] {
        on_screen(&h, control);
    }
    // The first control of the infusion's line stays at the left edge, under the first
    // line: a real-window test finds it there.
    let pause = h.get_by_label("Pause infusion").rect();
    assert!(pause.left() < 20.0, "{pause:?}");
}

#[test]
fn a_pause_without_a_reason_and_a_bad_rate_are_said_beside_the_controls_which_stay_in_view() {
    let (_data, _clock, mut h) = laptop_with_three_alarms();
    let tiles_before = h.get_by_label("Systolic · mmHg").rect();
    h.get_by_label("Pause infusion").click();
    h.run_steps(2);
    let said = on_screen(&h, "Not paused: write the reason first");
    let pause = on_screen(&h, "Pause infusion");
    let change_rate = on_screen(&h, "Change rate");
    // On the infusion's line, after its last control.
    assert!(
        said.left() > change_rate.right(),
        "{said:?} after {change_rate:?}"
    );
    assert!(
        said.top() >= pause.top() && said.bottom() <= pause.bottom(),
        "{said:?} within the line of {pause:?}"
    );
    assert_eq!(
        h.get_by_label("Systolic · mmHg").rect(),
        tiles_before,
        "nothing below moved"
    );
    assert!(h.query_by_label("Resume infusion").is_none(), "not paused");

    type_into(&mut h, "New rate\nmg/kg/h", "fast");
    // A second later (frames of a quarter second), so the click is not taken for a
    // double-click's second.
    h.run_steps(5);
    h.get_by_label("Change rate").click();
    h.run_steps(2);
    let said = on_screen(&h, "Rate not changed: 'fast' is not a rate in mg/kg/h");
    assert!(said.left() > on_screen(&h, "Change rate").right());
    on_screen(&h, "Pause infusion");
    assert_eq!(h.get_by_label("Systolic · mmHg").rect(), tiles_before);
}

#[test]
fn the_action_taken_is_kept_for_the_next_alarm_of_the_same_event() {
    let (_data, clock, mut h) = laptop_with_three_alarms();
    let action = "Action taken (needed to acknowledge)";
    type_into(&mut h, action, "infusion paused, Dr. Okafor called");
    let ids = active_alarm_ids(&h);
    let acknowledge = |h: &mut Harness<'_, App>, id: u32| {
        // A fourth alarm's card may lie below the list's end: scrolled to, as by hand.
        h.get_by_label(&format!("Acknowledge alarm {id}"))
            .scroll_to_me();
        settle(h);
        h.get_by_label(&format!("Acknowledge alarm {id}")).click();
        // Past the second in which another click is taken for a double-click's second
        // (frames of a quarter second).
        h.run_steps(5);
    };
    acknowledge(&mut h, ids[0]);
    assert_eq!(
        h.get_by_label(action).value().as_deref(),
        Some("infusion paused, Dr. Okafor called"),
        "kept for the alarms still waiting"
    );
    acknowledge(&mut h, ids[1]);
    let state = h.state().live().unwrap().session().state();
    let acknowledged = |id| {
        let alert = state.active_alerts().find(|a| a.id == id).unwrap();
        alert.acknowledged.as_ref().unwrap().action.clone()
    };
    assert_eq!(
        acknowledged(ids[1]).as_deref(),
        Some("infusion paused, Dr. Okafor called"),
        "acknowledged without retyping"
    );
    // Something new happens: a heart rate alarm while one alarm still waits. What was
    // done about the first event is not offered for it.
    clock.advance(1);
    enter(&mut h, ["", "", "125", ""]);
    assert_eq!(active_alarm_ids(&h).len(), 4);
    assert_eq!(h.get_by_label(action).value().as_deref(), Some(""));

    // What the nurse types is theirs: kept while its alarms wait, gone when none does.
    type_into(&mut h, action, "rechecked, patient calm");
    for id in active_alarm_ids(&h) {
        if h.query_by_label(&format!("Acknowledge alarm {id}"))
            .is_some()
        {
            acknowledge(&mut h, id);
        }
    }
    let state = h.state().live().unwrap().session().state();
    assert!(state.active_alerts().all(|a| a.is_acknowledged()));
    assert_eq!(h.get_by_label(action).value().as_deref(), Some(""));
}

#[test]
fn the_end_tab_shows_all_its_controls_on_a_clinic_laptop_and_a_refusal_beside_its_button() {
    let (_data, _clock, mut h) = live_session_of_size(LAPTOP);
    enter(&mut h, ["124", "78", "72", "98"]);
    h.get_by_label("End").click();
    h.run_steps(2);
    let controls = [
        "Modified Aldrete score (0-10, 9 or more to discharge)",
        "Escort present (no driving until the next day)",
        "Vitals near baseline",
        "Record discharge",
        "Reason for closing",
        "Close session",
        "Save the log to (path)",
        "Choose...",
        "Export sealed log",
    ];
    for control in controls {
        on_screen(&h, control);
    }
    h.snapshot("live_end_tab_1366");
    // Criteria not met and no reason: refused, and said beside the button.
    type_into(
        &mut h,
        "Modified Aldrete score (0-10, 9 or more to discharge)",
        "7",
    );
    h.get_by_label("Record discharge").click();
    h.run_steps(2);
    let record = on_screen(&h, "Record discharge");
    let said = h.get_by_label_contains("a discharge with criteria not met needs a reason");
    let said = said.rect();
    assert!(
        said.left() > record.right() && said.top() < record.bottom(),
        "{said:?}"
    );
    for control in controls {
        on_screen(&h, control);
    }
    assert!(
        h.state()
            .live()
            .unwrap()
            .session()
            .state()
            .discharge
            .is_none()
    );
}

#[test]
fn the_correct_tab_the_confirmation_box_and_the_table_status_are_never_cut() {
    let (_data, clock, mut h) = live_session_of_size(LAPTOP);
    // A doubtful value: the box asks, inside the forms' column.
    enter(&mut h, ["", "", "", "84"]);
    let confirm = on_screen(&h, "Confirm and save");
    let cancel = on_screen(&h, "Cancel");
    // The forms' column is 330 points wide.
    let column = h.get_by_label("Reading").rect().left() + 330.0;
    assert!(
        confirm.right() < column && cancel.right() < column,
        "{cancel:?}"
    );
    h.get_by_label("Confirm and save").click();
    h.run_steps(3);
    clock.advance(1);
    enter(&mut h, ["142", "78", "72", "98"]);
    h.get_by_label("Correct").click();
    h.run_steps(2);
    h.get_by_label("Reading to correct").click();
    h.run_steps(2);
    h.get_by_label_contains("#2 09:01 - 142/78").click();
    h.run_steps(2);
    h.get_by_label("Save correction").click();
    h.run_steps(2);
    let said = h.get_by_label_contains("needs a reason").rect();
    for control in ["Save correction", "Mark entered in error"] {
        on_screen(&h, control);
    }
    assert!(egui::Rect::from_min_size(egui::Pos2::ZERO, LAPTOP).contains_rect(said));
    type_into(&mut h, "Reason for the correction (required)", "typo");
    select_all_in(&mut h, "Corrected Systolic");
    h.run_steps(1);
    h.get_by_label("Corrected Systolic").type_text("124");
    h.run_steps(2);
    h.get_by_label("Save correction").click();
    h.run_steps(3);
    // Back to the trends and the table: every status whole, left of the alarms.
    h.get_by_label("Reading").click();
    h.run_steps(2);
    let alarms = h.get_by_label("Alarms").rect().left();
    for status in ["final (confirmed)", "superseded", "amended"] {
        // Up or down to it, as a nurse scrolls to an older reading; never sideways.
        h.get_by_label(status).scroll_to_me();
        h.run_steps(30);
        let cell = on_screen(&h, status);
        assert!(cell.right() < alarms, "{status} at {cell:?}");
    }
}

#[test]
fn the_review_alarm_history_fits_a_clinic_laptop() {
    let data = tempfile::tempdir().unwrap();
    let clock = HandClock::at("09:00");
    let sample = sealed_sample(data.path());
    let mut h = harness_of_size(data.path(), &clock, LAPTOP);
    h.run_steps(2);
    type_into(
        &mut h,
        "Session log to review (path)",
        sample.to_str().unwrap(),
    );
    h.get_by_label("Open for review").click();
    h.run_steps(3);
    h.get_by_label("Alarm history").click();
    h.run_steps(2);
    for heading in ["raised", "acknowledged", "ended"] {
        on_screen(&h, heading);
    }
    for alarm in ["** Systolic high (medium)", "* Diastolic high (low)"] {
        on_screen(&h, alarm);
    }
    on_screen(&h, "Save report as PDF");
    h.snapshot("review_alarm_history_1366");
}

#[test]
fn a_double_click_on_keep_paused_does_not_stop_the_infusion_under_it() {
    let (_data, clock, mut h) = infusion_running();
    pause_for_nausea(&mut h);
    high_alarm_then_resume(&mut h, &clock);
    // "Keep paused" gives way to the controls of a paused infusion, Stop among them.
    double_click(&mut h, "Keep paused");
    assert_eq!(infusion_steps(&h), ["started", "paused"]);
}

#[test]
fn what_is_typed_straight_after_a_click_goes_into_the_field_clicked() {
    let (_data, _clock, mut h) = live_session();
    // A click on Heart rate and the digits after it, all in one frame's input.
    let pos = h.get_by_label("Heart rate (bpm)").rect().center();
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
    keystrokes(&mut h, "72");
    settle(&mut h);
    assert_eq!(
        h.get_by_label("Heart rate (bpm)").value().as_deref(),
        Some("72")
    );
    assert_eq!(
        h.get_by_label("Systolic (mmHg)").value().as_deref(),
        Some("")
    );
}

#[test]
fn every_choice_of_the_start_screen_can_be_reached_on_a_laptop() {
    let data = tempfile::tempdir().unwrap();
    let clock = HandClock::at("09:00");
    let mut h = harness_of_size(data.path(), &clock, egui::vec2(1366.0, 600.0));
    h.run_steps(2);
    let demo = h.get_by_label("Start the demo");
    demo.scroll_to_me();
    settle(&mut h);
    let rect = h.get_by_label("Start the demo").rect();
    assert!(
        egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1366.0, 600.0)).contains_rect(rect),
        "scrolled into view: {rect:?}"
    );
}

#[test]
fn a_refused_value_is_selected_so_the_next_typing_replaces_it() {
    let (_data, _clock, mut h) = live_session();
    keystrokes(&mut h, "350\t80\t70\t98\n");
    settle(&mut h);
    assert_eq!(readings(&h), 0, "350 mmHg is refused");
    // The cursor is back in Systolic with 350 selected: the nurse types over it.
    keystrokes(&mut h, "135\n");
    settle(&mut h);
    assert_eq!(readings(&h), 1);
    let state = h.state().live().unwrap().session().state();
    let saved = state.readings[0].current().unwrap().values;
    assert_eq!(saved.get(Vital::Systolic), Some(135.0));
}

/// The window manager asks the window to close (Alt+F4, the title bar's cross).
fn ask_to_close(h: &mut Harness<'_, App>) -> Vec<egui::ViewportCommand> {
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.step();
    let commands = h.output().viewport_output[&egui::ViewportId::ROOT]
        .commands
        .clone();
    if let Some(root) = h.input_mut().viewports.get_mut(&egui::ViewportId::ROOT) {
        root.events.clear();
    }
    commands
}

#[test]
fn closing_the_window_during_a_session_is_asked_first() {
    let (_data, _clock, mut h) = live_session();
    let commands = ask_to_close(&mut h);
    assert!(
        commands.contains(&egui::ViewportCommand::CancelClose),
        "{commands:?}"
    );
    settle(&mut h);
    h.get_by_label_contains("is still open. While the window is closed");
    h.get_by_label("Keep the session open").click();
    settle(&mut h);
    assert!(
        h.query_by_label_contains("is still open. While the window is closed")
            .is_none()
    );
    ask_to_close(&mut h);
    settle(&mut h);
    h.get_by_label("Close the window").click();
    // A press and its release get a frame each: the click lands within a few frames.
    let closes = (0..6).any(|_| {
        h.step();
        h.output().viewport_output[&egui::ViewportId::ROOT]
            .commands
            .contains(&egui::ViewportCommand::Close)
    });
    assert!(closes, "the window closes once the nurse says so");
}

#[test]
fn the_start_screen_closes_without_a_question() {
    let data = tempfile::tempdir().unwrap();
    let clock = HandClock::at("09:00");
    let mut h = harness(data.path(), &clock);
    h.run_steps(2);
    let commands = ask_to_close(&mut h);
    assert!(!commands.contains(&egui::ViewportCommand::CancelClose));
}

#[test]
fn the_guided_import_asks_the_unit_of_time_since_the_start_as_the_command_line_does() {
    let (_data, mut h) = guided_import_of(&import_fixture("eicu_offset_minutes.csv"));
    h.get_by_label_contains("its header does not say in what unit");
    h.get_by_label("minutes").click();
    settle(&mut h);
    type_into(
        &mut h,
        "Recording started at (e.g. 2026-03-14T09:30:00+01:00)",
        "2026-03-14T00:00:00+00:00",
    );
    type_into(&mut h, "Patient identifier", "P-EICU");
    h.get_by_label("Import").click();
    wait_for_import(&mut h);
    h.get_by_label_contains("time: 'observationoffset' (minutes since the start)");
}

#[test]
fn the_guided_import_asks_which_patient_of_a_file_with_two() {
    let (data, mut h) = guided_import_of("tests/fixtures/field-cases/two_patients_one_file.csv");
    h.get_by_label_contains("the rows name 2 patients in 'subject_id'");
    type_into(
        &mut h,
        "Time zone of the file's times (e.g. Europe/Berlin or +01:00)",
        "UTC",
    );
    h.get_by_label_contains("Patient in this file").click();
    settle(&mut h);
    h.get_by_label("10000002 (1 rows)").click();
    settle(&mut h);
    h.get_by_label("Import").click();
    wait_for_import(&mut h);
    h.get_by_label_contains(
        "patient: '10000002' of 2 in 'subject_id'; 3 rows of the 1 others not read",
    );
    h.get_by_label_contains("1 rows read, 1 readings written");
    // With no identifier typed, the log carries the file's, as --split-patients writes it.
    let logs: Vec<_> = walkdir_csv(data.path());
    assert_eq!(logs.len(), 1, "{logs:?}");
    let log = infusion_vitals::log::read_log(std::fs::File::open(&logs[0]).unwrap()).unwrap();
    let patient = log.events.iter().find_map(|e| match &e.kind {
        EventKind::SessionOpened(info) => Some(info.patient_id.clone()),
        _ => None,
    });
    assert_eq!(patient.as_deref(), Some("10000002"));
}

/// Every `.csv` file below `dir`.
fn walkdir_csv(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walkdir_csv(&path));
        } else if path.extension().is_some_and(|e| e == "csv") {
            found.push(path);
        }
    }
    found
}

#[test]
fn the_guided_import_warns_of_a_column_that_looks_like_the_missing_spo2_until_it_is_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("oximeter.csv");
    let mut text = String::from("Time,Oxy Sat Lvl,Pulse Rate\n");
    for s in 0..5 {
        text += &format!("2026-06-26T00:17:{:02}Z,{},88\n", s * 2, 96 - s);
    }
    std::fs::write(&file, text).unwrap();
    let (_data, mut h) = guided_import_of(&file.display().to_string());
    h.get_by_label(
        "Warning: no column gives SpO2, but 'Oxy Sat Lvl' looks like one (its name speaks of it and its values lie in 50-100 %); it is not read: to read it, choose it for SpO2 under \"Columns for each vital and score\"",
    );
    h.get_by_label("SpO2").scroll_to_me();
    settle(&mut h);
    h.get_by_label("SpO2").click();
    settle(&mut h);
    // The list's entry, not the preview's column heading.
    h.get_by_role_and_label(egui::accesskit::Role::Button, "Oxy Sat Lvl")
        .click();
    settle(&mut h);
    assert!(
        h.query_by_label_contains("Warning: no column gives SpO2")
            .is_none()
    );
}

#[test]
fn the_guided_import_reads_a_respiratory_rate_and_a_score_from_columns_chosen_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("chart.csv");
    // Names the table does not know: nothing is read from them until chosen.
    let mut text = String::from("Time,Pulse,Breaths counted,Sedation (nurse),pain\n");
    for (i, (rr, moaas)) in [(14, 5), (9, 3), (12, 4)].into_iter().enumerate() {
        text += &format!("2026-06-26T09:{:02}:00+02:00,80,{rr},{moaas},{i}\n", i * 5);
    }
    std::fs::write(&file, text).unwrap();
    let (_data, mut h) = guided_import_of(&file.display().to_string());
    // pain is found by its name; the others wait for a choice.
    for (slot, column) in [
        ("respiratory rate", "Breaths counted"),
        ("score: MOAA/S", "Sedation (nurse)"),
    ] {
        h.get_by_label(slot).scroll_to_me();
        settle(&mut h);
        h.get_by_label(slot).click();
        settle(&mut h);
        // The list's entry, not the preview's column heading.
        h.get_by_role_and_label(egui::accesskit::Role::Button, column)
            .click();
        settle(&mut h);
    }
    type_into(&mut h, "Patient identifier", "P-CHART");
    h.get_by_label("Import").scroll_to_me();
    settle(&mut h);
    h.get_by_label("Import").click();
    wait_for_import(&mut h);
    h.get_by_label_contains(
        "scores read: 3 MOAA/S from 'Sedation (nurse)'; 3 pain NRS from 'pain'",
    );
    h.get_by_label("Open in review").click();
    settle(&mut h);
    let state = h.state().review().unwrap().state();
    let rr: Vec<_> = state
        .readings
        .iter()
        .map(|r| r.versions[0].values.get(Vital::RespRate))
        .collect();
    assert_eq!(rr, [Some(14.0), Some(9.0), Some(12.0)]);
    let moaas: Vec<_> = state
        .assessments
        .iter()
        .filter(|a| a.scale == "MOAA/S")
        .map(|a| a.versions[0].score)
        .collect();
    assert_eq!(moaas, [5, 3, 4]);
}

#[test]
fn a_journal_that_does_not_verify_is_listed_with_its_problem_and_what_to_do() {
    let (data, clock, path) = session_left_with_a_reading();
    let altered = std::fs::read_to_string(&path)
        .unwrap()
        .replacen(",124,", ",194,", 1);
    std::fs::write(&path, altered).unwrap();

    let mut h = harness(data.path(), &clock);
    h.run_steps(2);
    assert!(h.query_by_label("None on this computer.").is_none());
    h.get_by_label_contains(": altered at row");
    h.get_by_label_contains(
        "It cannot be resumed. To keep what verified, run: infusion-vitals recover --data-dir",
    );
    assert!(h.query_by_label("Resume session 1").is_none());
}

#[test]
fn a_sealed_log_holding_what_no_chair_writes_opens_marked_invalid() {
    let data = tempfile::tempdir().unwrap();
    let sample = sealed_sample(data.path());
    let mut log = infusion_vitals::log::read_log(std::fs::File::open(&sample).unwrap()).unwrap();
    // A forger's edit, chained and sealed afresh: systolic 999.
    for e in log.events.iter_mut() {
        if let EventKind::ReadingRecorded { values, .. } = &mut e.kind {
            values.set(Vital::Systolic, Some(999.0));
            break;
        }
    }
    let forged = data.path().join("forged.log.csv");
    std::fs::write(
        &forged,
        infusion_vitals::log::write::log_bytes(&log.events, &log.sealed_at),
    )
    .unwrap();
    let mut h = harness(data.path(), &HandClock::at("09:00"));
    h.run_steps(2);
    type_into(
        &mut h,
        "Session log to review (path)",
        forged.to_str().unwrap(),
    );
    h.get_by_label("Open for review").click();
    h.run_steps(3);
    // Opened all the same, in red with the row: a clinician may need to see what it holds.
    h.get_by_label_contains("NOT INTACT - invalid: row");
    h.get_by_label_contains("systolic 999 mmHg lies outside the accepted");
}

#[test]
fn a_respiratory_rate_of_7_raises_a_high_alarm_at_once_and_24_a_low_advisory() {
    let (_data, clock, mut h) = live_session_of_size(LAPTOP);
    enter(&mut h, ["124", "78", "72", "98", "24"]);
    h.get_by_label_contains("* Resp. rate high 24 /min >= 21");
    clock.advance(5);
    enter(&mut h, ["122", "76", "70", "97", "7"]);
    // High at once: no recheck for a rate this low.
    h.get_by_label_contains("*** Resp. rate low 7 /min <= 8");
    let state = h.state().live().unwrap().session().state();
    let high = state
        .active_alerts()
        .find(|a| a.key.vital() == Some(Vital::RespRate))
        .expect("an alarm on the respiratory rate");
    assert_eq!(
        high.priority,
        infusion_vitals::session::events::Priority::High
    );
    // Its tile, its table column and its own trend plot under SpO2's, on the laptop.
    on_screen(&h, "Resp. rate (/min)");
    h.snapshot("live_resp_rate_1366");
}

#[test]
fn a_score_is_one_tap_and_moaas_2_raises_a_high_alarm() {
    let (_data, clock, mut h) = live_session_of_size(LAPTOP);
    h.get_by_label("Scores").click();
    h.run_steps(2);
    assert_eq!(
        h.query_all_by_label_contains("no score yet").count(),
        2,
        "MOAA/S, pain NRS"
    );
    clock.advance(3);
    h.get_by_label_contains("responds only after mild prodding or shaking")
        .click();
    settle(&mut h);
    h.get_by_label_contains("*** MOAA/S 2 (responds only after mild prodding or shaking)");
    h.get_by_label_contains("last: 2 (responds only after mild prodding or shaking) at 09:03");
    let state = h.state().live().unwrap().session().state();
    assert_eq!(state.assessments.len(), 1);
    assert_eq!(state.assessments[0].current().unwrap().at, t("09:03"));
    // Pain: its eleven buttons, a tap each.
    h.get_by_label_contains("worst\npossible").click();
    settle(&mut h);
    h.snapshot("live_scores_1366");
    // Back on the reading form, the scores stand on the trends' time axis.
    h.get_by_label("Reading").click();
    h.run_steps(2);
    enter(&mut h, ["124", "78", "72", "98", "16"]);
    h.snapshot("live_scores_on_trends_1366");
    assert_eq!(
        h.state()
            .live()
            .unwrap()
            .session()
            .state()
            .assessments
            .len(),
        2
    );
}

#[test]
fn a_score_tapped_by_mistake_is_corrected_with_a_reason() {
    let (_data, clock, mut h) = live_session_of_size(LAPTOP);
    h.get_by_label("Scores").click();
    h.run_steps(2);
    clock.advance(1);
    h.get_by_label_contains("responds only after mild prodding or shaking")
        .click();
    settle(&mut h);
    // Below the buttons on a laptop's screen: scrolled to, as by hand.
    h.get_by_label("Score to correct").scroll_to_me();
    settle(&mut h);
    h.get_by_label("Score to correct").click();
    h.run_steps(2);
    h.get_by_label("#1 09:01 - MOAA/S 2").click();
    h.run_steps(2);
    type_into(&mut h, "Corrected score", "4");
    h.get_by_label("Reason (required)").scroll_to_me();
    settle(&mut h);
    type_into(&mut h, "Reason (required)", "tapped the wrong score");
    h.get_by_label("Save corrected score").scroll_to_me();
    settle(&mut h);
    h.get_by_label("Save corrected score").click();
    settle(&mut h);
    let state = h.state().live().unwrap().session().state();
    let record = &state.assessments[0];
    assert_eq!(record.versions.len(), 2, "the original stays");
    assert_eq!(record.current().unwrap().score, 4);
    assert_eq!(
        record.current().unwrap().reason.as_deref(),
        Some("tapped the wrong score")
    );
    // The readings table lists the score in its place, the original struck through.
    h.get_by_label("Reading").click();
    settle(&mut h);
    assert_eq!(
        h.query_all_by_label("A1").count(),
        2,
        "original and correction"
    );
    h.get_by_label("MOAA/S 2");
    h.get_by_label("MOAA/S 4");
    h.get_by_label("superseded");
    h.get_by_label("amended");
}

#[test]
fn a_monitor_connected_on_the_live_screen_sends_readings_and_its_silence_is_an_alarm() {
    use infusion_vitals::capture::simulator::SimulatedMonitor;
    use infusion_vitals::hl7::mllp::{Deframer, Piece, frame};
    use std::io::{Read, Write};
    let (_data, clock, mut h) = live_session_of_size(LAPTOP);
    h.get_by_label("Connect a monitor...").click();
    settle(&mut h);
    h.snapshot("live_monitor_form_1366");
    select_all_in(&mut h, "Port");
    h.get_by_label("Port").type_text("0");
    settle(&mut h);
    h.get_by_label("Listen").click();
    settle(&mut h);
    let address = h.state().live().unwrap().monitor_address().unwrap();
    // A monitor on its own thread, as on the network: each message waits for its ACK,
    // which the window's logic step sends once the readings are on disk.
    let started = t("09:00");
    let sender = std::thread::spawn(move || {
        let mut stream = std::net::TcpStream::connect(address).unwrap();
        let mut monitor = SimulatedMonitor::new("0012340000000000", Some("MRN-0042"), started);
        let mut acks = Vec::new();
        for s in 1..=5 {
            let text = monitor.message_at(started + Duration::seconds(s)).unwrap();
            stream.write_all(&frame(text.as_bytes())).unwrap();
            let mut deframer = Deframer::new();
            let mut buffer = [0u8; 4096];
            'ack: loop {
                let n = stream.read(&mut buffer).unwrap();
                for piece in deframer.push(&buffer[..n]) {
                    if let Piece::Message(ack) = piece {
                        acks.push(String::from_utf8(ack).unwrap());
                        break 'ack;
                    }
                }
            }
        }
        acks
    });
    clock.advance_seconds(6);
    while !sender.is_finished() {
        h.run_steps(1);
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let acks = sender.join().unwrap();
    assert!(acks.iter().all(|a| a.contains("MSA|AA|")), "{acks:#?}");
    h.run_steps(2);
    let state = h.state().live().unwrap().session().state();
    assert_eq!(state.readings.len(), 5);
    assert!(matches!(
        &state.readings[0].versions[0].source,
        infusion_vitals::session::events::Source::Device { id } if id == "0012340000000000"
    ));
    h.get_by_label("monitor: receiving, last 09:00:06");
    // Nothing for over 30 s: the technical alarm, in the top bar and the alarm list.
    clock.advance_seconds(40);
    settle(&mut h);
    h.get_by_label("monitor silent since 09:00:06");
    h.get_by_label_contains("Monitor silent since 09:00:06: check its cable or network");
    h.snapshot("live_monitor_silent_1366");
}
