//! A session is a stream of events; its state is a fold over them.

pub mod assessment;
pub mod baseline;
pub mod events;
pub mod opening;
pub mod reading;
pub mod state;
pub mod summary;
pub mod trend;
pub mod validate;
pub mod via;

pub use events::{Event, EventKind, NewEvent, Source};
pub use reading::{Vital, VitalSet};
pub use state::SessionState;
pub use via::Via;
