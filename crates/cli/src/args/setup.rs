//! Arguments of the commands that set a project or a shell up: `init`, `completions`,
//! `man`, `gates`, `config schema`.

use std::path::PathBuf;

/// `safety-gate init`.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The project folder to look through.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    /// Where to write the config, relative to the project folder.
    #[arg(long, short, value_name = "FILE", default_value = "safety-gate.toml")]
    pub config: PathBuf,
    /// Overwrite an existing config.
    #[arg(long)]
    pub force: bool,
    /// Print the config instead of writing it.
    #[arg(long)]
    pub dry_run: bool,
}

/// `safety-gate completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `safety-gate gates`.
#[derive(Debug, clap::Args)]
pub struct GatesArgs {
    /// List the gate instances this config defines, with their inputs, instead of the
    /// gate kinds this build knows.
    #[arg(long, short, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// `safety-gate config ...`.
#[derive(Debug, clap::Subcommand)]
pub enum ConfigCommand {
    /// Print the JSON Schema of safety-gate.toml (for editors: a `#:schema` line or a
    /// schema association).
    Schema,
}
