//! Running git (commit ids, the hooks folder, baselines from a ref) through the core's
//! command runner: argv only, never a shell, with a timeout after which the whole
//! process group is killed.

use safety_gate_core::process::{self, Exit};
use std::path::Path;
use std::time::Duration;

/// How long a git command may take before it is killed.
pub const GIT_TIMEOUT: Duration = Duration::from_secs(30);

/// Runs git with [`GIT_TIMEOUT`]; a non-zero exit, a timeout or a git that cannot be
/// started is an error naming the command and carrying git's stderr.
pub fn git(args: &[&str], dir: &Path) -> Result<Vec<u8>, String> {
    let shown = format!("`git {}`", args.join(" "));
    let argv: Vec<String> = std::iter::once("git")
        .chain(args.iter().copied())
        .map(str::to_owned)
        .collect();
    let out =
        process::run(&argv, dir, GIT_TIMEOUT).map_err(|e| format!("could not run {shown}: {e}"))?;
    match out.exit {
        Exit::Code(0) => Ok(out.stdout),
        Exit::TimedOut => Err(format!(
            "{shown} timed out after {}s",
            GIT_TIMEOUT.as_secs()
        )),
        _ => Err(format!(
            "{shown} failed: {}",
            out.stderr_lines(5).join(" ").trim()
        )),
    }
}

/// Runs git and returns its first output line, trimmed.
pub fn git_line(args: &[&str], dir: &Path) -> Result<String, String> {
    let out = git(args, dir)?;
    Ok(String::from_utf8_lossy(&out)
        .lines()
        .next()
        .unwrap_or_default()
        .trim()
        .to_string())
}

/// `git rev-parse HEAD` in the current folder, when it is in a repository.
pub fn head_commit() -> Option<String> {
    git_line(&["rev-parse", "HEAD"], Path::new(".")).ok()
}

/// Runs git in `dir` as a test's fixed author, panicking on failure: for tests that
/// build a repository.
#[cfg(test)]
pub(crate) fn git_in_test(dir: &Path, args: &[&str]) {
    let mut all = vec!["-c", "user.name=t", "-c", "user.email=t@example.invalid"];
    all.extend(args);
    git(&all, dir).expect("git");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failing_git_is_an_error_with_its_stderr() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = git(&["rev-parse", "HEAD"], dir.path()).expect_err("not a repository");
        assert!(err.contains("`git rev-parse HEAD` failed"), "{err}");
        assert!(err.to_lowercase().contains("not a git repository"), "{err}");
    }

    #[test]
    fn first_line_is_trimmed() {
        let dir = tempfile::tempdir().expect("tempdir");
        git(&["init", "-q"], dir.path()).expect("init");
        let hooks = git_line(&["rev-parse", "--git-path", "hooks"], dir.path()).expect("hooks");
        assert_eq!(hooks, ".git/hooks");
    }
}
