//! Threshold profiles and the alert engine.

pub mod audio;
pub mod engine;
pub mod profile;
pub mod scales;

pub use engine::evaluate;
pub use profile::Profile;
