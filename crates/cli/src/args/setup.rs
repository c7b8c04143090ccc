//! Arguments of the commands that set a project up: `init`.

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
