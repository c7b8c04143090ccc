//! The environment, read in one place: whether we run in GitHub Actions, where its
//! step summary and output files are, whether to colour, this program's path and
//! command line, and the crash failpoint used by tests.

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::args::ColorChoice;

/// GitHub Actions' files and workspace, as the runner sets them.
#[derive(Debug, Default)]
pub struct Github {
    /// `$GITHUB_STEP_SUMMARY`.
    pub summary: Option<PathBuf>,
    /// `$GITHUB_OUTPUT`.
    pub output: Option<PathBuf>,
    /// `$GITHUB_WORKSPACE`, else the current folder: annotation paths are relative to it.
    pub root: Option<PathBuf>,
}

/// Whether GitHub output is on: `--github`, or `GITHUB_ACTIONS=true`.
pub fn github_enabled(flag: bool) -> bool {
    flag || std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
}

/// Reads the GitHub variables; empty values count as unset.
pub fn github() -> Github {
    let path = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    Github {
        summary: path("GITHUB_STEP_SUMMARY"),
        output: path("GITHUB_OUTPUT"),
        root: path("GITHUB_WORKSPACE").or_else(|| std::env::current_dir().ok()),
    }
}

/// The simulated crash point named by `SAFETY_GATE_FAILPOINT`, if any.
pub fn failpoint() -> Option<String> {
    std::env::var(safety_gate_engine::accept::FAILPOINT_ENV)
        .ok()
        .filter(|v| !v.is_empty())
}

/// A delimiter for multi-line `$GITHUB_OUTPUT` values that no value will contain.
pub fn output_delimiter() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("ghadelimiter_{}_{nanos}", std::process::id())
}

/// Whether to colour the human report: `--color`, else `NO_COLOR` unset and stdout a
/// terminal.
pub fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

/// This program's path, for the pre-push hook to run.
pub fn current_exe() -> Result<PathBuf, String> {
    std::env::current_exe().map_err(|e| format!("failed to find this program's path: {e}"))
}

/// The command line of this run as a shell would take it back, the program named
/// `safety-gate` (not its path): what a report says to run to reproduce it.
pub fn command_line() -> String {
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let words = std::iter::once("safety-gate").chain(args.iter().map(String::as_str));
    // Only a NUL byte cannot be quoted, and no argument holds one.
    shlex::try_join(words.clone()).unwrap_or_else(|_| words.collect::<Vec<_>>().join(" "))
}

/// Largest input read from stdin (the refs a pre-push hook is given).
const MAX_STDIN_BYTES: u64 = 1 << 20;

/// Everything on stdin, as text, up to [`MAX_STDIN_BYTES`].
pub fn read_stdin() -> Result<String, String> {
    use std::io::Read;
    let mut text = String::new();
    std::io::stdin()
        .take(MAX_STDIN_BYTES)
        .read_to_string(&mut text)
        .map_err(|e| format!("failed to read stdin: {e}"))?;
    Ok(text)
}
