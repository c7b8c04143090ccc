//! Turns a run report into each output: the human report, the JUnit and JSON files,
//! GitHub annotations, step outputs and step summary, the pull-request comment body, the
//! rollback report, and the
//! `history show` trend. Every renderer returns text (or writes a file it is given);
//! none prints, reads the environment or picks an exit code.
//!
//! Which checks need attention, and how a check's status reads under its gate's mode,
//! are decided once, in [`attention`]; each renderer only words it.
#![warn(clippy::print_stdout, clippy::print_stderr)]
#![warn(missing_docs)]

pub mod attention;
pub mod charts;
pub mod files;
pub mod github;
pub mod github_text;
pub mod history;
pub mod html;
pub mod human;
pub mod mermaid;
pub mod pr_comment;
pub mod rollback;
pub mod summary;
pub mod terminal_text;

pub use attention::{Attention, needing_attention};
