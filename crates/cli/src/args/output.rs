//! Flags shared by every command that produces a verdict: where reports go, how the
//! human report looks, and the input size limit.

use clap::ValueEnum;
use safety_gate_core::limits::ByteSize;
use std::path::PathBuf;

/// Flags shared by every command that produces a verdict.
#[derive(Debug, clap::Args)]
pub struct OutputArgs {
    /// Write JUnit XML here (overrides `[reports] junit`).
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Write the machine report (JSON) here (overrides `[reports] json`).
    #[arg(long, value_name = "FILE")]
    pub report_json: Option<PathBuf>,
    /// Write a self-contained HTML report here: the verdict, the gate table and each
    /// check's evidence drawn (overrides `[reports] html`).
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Print only the verdict line and problems.
    #[arg(long, short)]
    pub quiet: bool,
    /// Colour the human report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Refuse input files larger than this, e.g. 512MiB or 2GB; default 1GiB
    /// (overrides `max_input_size`).
    #[arg(long, value_name = "SIZE")]
    pub max_input_size: Option<ByteSize>,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// When stdout is a terminal and NO_COLOR is unset.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}
