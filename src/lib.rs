//! hotline: a keyboard-driven terminal application for complaint hotlines and
//! customer-service call centers. See README.md for the architecture.

pub mod cli;
pub mod clock;
pub mod demo;

pub mod domain;
pub mod error;
pub mod i18n;
pub mod identity;
pub mod keymap;
pub mod live_index;
pub mod log;
pub mod paths;
pub mod report;
pub mod search;
pub mod serve;

pub mod store;
pub mod text;
pub mod ui;
