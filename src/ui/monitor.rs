//! "Connect a monitor" on the live screen: where to listen (the loopback address unless
//! another is typed), which device to take (or the first to send), and the connection's
//! state for the top bar. The messages themselves are taken in the live screen's logic
//! step (`LiveScreen::logic`), which runs while the window is minimized too.

use crate::capture::chair_zone::chair_zone;
use crate::capture::intake::Rules;
use crate::capture::listener::{Delivery, Listener};
use crate::capture::receiver::{MonitorState, Receiver};
use crate::chair::Chair;
use crate::clock::Time;
use crate::hl7::codes::CodeTable;
use crate::ui::theme;
use egui::{RichText, Ui};
use std::sync::Arc;

/// The port monitors' gateways send HL7 to by default (IANA: hl7, 2575/tcp).
pub const HL7_PORT: &str = "2575";

/// The form that connects a monitor.
pub struct MonitorForm {
    address: String,
    port: String,
    device: String,
    /// Why the last connection could not be made.
    message: Option<String>,
}

impl Default for MonitorForm {
    fn default() -> MonitorForm {
        MonitorForm {
            address: "127.0.0.1".into(),
            port: HL7_PORT.into(),
            device: String::new(),
            message: None,
        }
    }
}

/// What the form asks the live screen to do.
pub enum MonitorIntent {
    Connect(Box<Connection>),
    Disconnect,
    Close,
}

/// A monitor connection: the listening socket and what the session takes from it.
pub struct Connection {
    listener: Listener,
    receiver: Receiver,
}

impl Connection {
    /// Takes every message waiting, through `chair`, at `now`; then raises the silence
    /// alarm when the profile's `monitor_silent_after_s` has passed without one.
    pub fn take_waiting(&mut self, chair: &mut Chair, now: Time) {
        while let Some(delivery) = self.listener.try_next() {
            match delivery {
                Delivery::Message { bytes, reply, .. } => {
                    let received = self.receiver.receive(chair, &bytes, now);
                    let _ = reply.send(received.ack);
                }
                Delivery::Problem { peer, text } => {
                    self.receiver
                        .connection_problem(chair, now, &peer.to_string(), &text);
                }
            }
        }
        let limit = chair.session().profile().stream.monitor_silent_after_s;
        self.receiver.check_silence(chair, now, limit);
    }

    pub fn address(&self) -> std::net::SocketAddr {
        self.listener.address()
    }

    /// The top bar's words, and whether they are an alarm: `monitor: receiving, last
    /// 09:41:07`.
    pub fn status(&self) -> (String, bool) {
        let state: &MonitorState = self.receiver.state();
        match state.last_taken {
            None => (
                format!("monitor: waiting on {}", self.listener.address()),
                false,
            ),
            Some(last) if self.receiver.is_silent() => (
                format!("monitor silent since {}", last.format("%H:%M:%S")),
                true,
            ),
            Some(last) => (
                format!("monitor: receiving, last {}", last.format("%H:%M:%S")),
                false,
            ),
        }
    }

    /// The technical alarm of a silent monitor, for the alarm list, while it lasts.
    pub fn technical(&self) -> Option<String> {
        let last = self.receiver.state().last_taken?;
        self.receiver.is_silent().then(|| {
            format!(
                "Monitor silent since {}: check its cable or network; take readings by hand meanwhile",
                last.format("%H:%M:%S")
            )
        })
    }
}

impl MonitorForm {
    /// The form in the middle of the live screen. `connected` is the connection's state
    /// when there is one; the session's `patient` and the `nurse` are the rules a new
    /// connection takes messages by.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        connected: Option<&Connection>,
        patient: &str,
        nurse: &str,
    ) -> Option<MonitorIntent> {
        let mut intent = None;
        ui.heading("Connect a monitor");
        ui.label(
            "The monitor or its gateway sends HL7 v2 ORU^R01 (IHE PCD-01) over MLLP to this computer; each value is validated and recorded as a device reading, and each message acknowledged once it is on disk.",
        );
        if let Some(connection) = connected {
            let (text, alarm) = connection.status();
            let colour = if alarm {
                theme::ERROR_RED
            } else {
                theme::OK_GREEN
            };
            ui.label(RichText::new(text).color(colour).strong());
            let s = connection.receiver.state();
            ui.label(format!(
                "messages accepted {}, with errors {}, rejected {}; values meaning \"no value\" (a lead or probe off) {}",
                s.accepted, s.errors, s.rejected, s.no_reading
            ));
            if ui
                .add_sized([200.0, theme::TOUCH], egui::Button::new("Disconnect"))
                .clicked()
            {
                intent = Some(MonitorIntent::Disconnect);
            }
        } else {
            egui::Grid::new("monitor-form")
                .num_columns(2)
                .show(ui, |ui| {
                    let l = ui.label("Address to listen on");
                    ui.add_sized(
                        [220.0, theme::TOUCH],
                        egui::TextEdit::singleline(&mut self.address),
                    )
                    .labelled_by(l.id);
                    ui.end_row();
                    let l = ui.label("Port");
                    ui.add_sized(
                        [100.0, theme::TOUCH],
                        egui::TextEdit::singleline(&mut self.port),
                    )
                    .labelled_by(l.id);
                    ui.end_row();
                    let l = ui.label("Device (empty: the first to send)");
                    ui.add_sized(
                        [220.0, theme::TOUCH],
                        egui::TextEdit::singleline(&mut self.device)
                            .hint_text("EUI-64 or application name"),
                    )
                    .labelled_by(l.id);
                    ui.end_row();
                });
            if ui
                .add_sized([200.0, theme::TOUCH], egui::Button::new("Listen"))
                .clicked()
            {
                match self.connect(ui.ctx(), patient, nurse) {
                    Ok(connection) => {
                        self.message = None;
                        intent = Some(MonitorIntent::Connect(Box::new(connection)));
                    }
                    Err(why) => self.message = Some(why),
                }
            }
        }
        if let Some(m) = &self.message {
            ui.label(RichText::new(m).color(theme::ERROR_RED).strong());
        }
        if ui
            .add_sized(
                [200.0, theme::TOUCH],
                egui::Button::new("Back to the trends"),
            )
            .clicked()
        {
            intent = Some(MonitorIntent::Close);
        }
        intent
    }

    fn connect(
        &self,
        ctx: &egui::Context,
        patient: &str,
        nurse: &str,
    ) -> Result<Connection, String> {
        let address = format!("{}:{}", self.address.trim(), self.port.trim());
        let ctx = ctx.clone();
        let listener = Listener::bind(&address, Arc::new(move || ctx.request_repaint()))
            .map_err(|e| format!("Cannot listen on {address}: {e}"))?;
        let (zone, _) = chair_zone();
        let device = Some(self.device.trim().to_string()).filter(|d| !d.is_empty());
        let rules = Rules {
            device,
            patient: Some(patient.to_string()),
            zone,
        };
        Ok(Connection {
            listener,
            receiver: Receiver::new(CodeTable::built_in(), rules, nurse),
        })
    }
}
