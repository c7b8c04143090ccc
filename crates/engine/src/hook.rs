//! `safety-gate hook install`: a pre-push hook that runs `safety-gate check` and
//! refuses the push on rollback (exit 1) or when the check cannot decide (exit 2).
//! A hook written by someone else is never replaced silently: `--force` moves it to a
//! backup first.

use safety_gate_core::inputs::read_text;
use std::path::{Path, PathBuf};

use crate::git;

/// Largest existing hook read to look for [`MARKER`].
const MAX_HOOK_BYTES: u64 = 1 << 20;

/// Marks a hook as ours, so reinstalling replaces it without `--force`.
pub const MARKER: &str = "# safety-gate pre-push hook";

/// What `install` did.
#[derive(Debug, PartialEq)]
pub struct Installed {
    /// The hook file.
    pub hook: PathBuf,
    /// Where a foreign hook was moved, when there was one.
    pub backup: Option<PathBuf>,
}

/// The hook script: runs the check from the repository root and lets its exit code
/// decide the push. Arguments are single-quoted for `sh`.
pub fn script(binary: &Path, config: &Path, gates: &[String]) -> Result<String, String> {
    let binary = binary.to_string_lossy();
    let config = config.to_string_lossy();
    let mut argv = vec![binary.as_ref(), "check", "--config", config.as_ref()];
    for gate in gates {
        argv.extend(["--gate", gate.as_str()]);
    }
    argv.push("--quiet");
    let line = shlex::try_join(argv).map_err(|e| format!("failed to write the hook: {e}"))?;
    Ok(format!(
        "#!/bin/sh\n{MARKER}: refuses the push when the gates say rollback or cannot decide.\n\
         # Written by `safety-gate hook install`; run it again to change the options.\n\
         # Skip once with `git push --no-verify`.\n\
         cd \"$(git rev-parse --show-toplevel)\" || exit 2\n\
         exec {line}\n"
    ))
}

/// What the hook runs and how to install it.
#[derive(Debug, Clone)]
pub struct HookOptions {
    /// The safety-gate binary the hook runs.
    pub binary: PathBuf,
    /// The config it checks (relative to the repository root).
    pub config: PathBuf,
    /// Only these gates (the fast path); all when empty.
    pub gates: Vec<String>,
    /// Replace a hook not written by safety-gate, keeping it as a backup.
    pub force: bool,
}

/// Installs the hook into the repository containing `dir`.
pub fn install(args: &HookOptions, dir: &Path) -> Result<Installed, String> {
    let hooks = git::git_line(&["rev-parse", "--git-path", "hooks"], dir)
        .map_err(|e| format!("not in a git repository: {e}"))?;
    let hooks = dir.join(hooks);
    let hook = hooks.join("pre-push");
    let binary = args.binary.clone();
    let mut backup = None;
    if hook.exists() {
        // A hook that cannot be read as text (or is no regular file) is foreign too.
        let existing = read_text(&hook, MAX_HOOK_BYTES).unwrap_or_default();
        if !existing.contains(MARKER) {
            if !args.force {
                return Err(format!(
                    "{} exists and was not written by safety-gate; rerun with --force to \
                     replace it (it is kept as a backup)",
                    hook.display()
                ));
            }
            let target = free_backup_path(&hook);
            std::fs::rename(&hook, &target).map_err(|e| {
                format!(
                    "failed to move {} to {}: {e}",
                    hook.display(),
                    target.display()
                )
            })?;
            backup = Some(target);
        }
    }
    let text = script(&binary, &args.config, &args.gates)?;
    safety_gate_core::atomic::write_atomic(&hook, text.as_bytes()).map_err(|e| e.to_string())?;
    make_executable(&hook)?;
    Ok(Installed { hook, backup })
}

/// `pre-push.backup`, or `pre-push.backup.N` when that is taken.
fn free_backup_path(hook: &Path) -> PathBuf {
    let base = hook.with_file_name("pre-push.backup");
    if !base.exists() {
        return base;
    }
    (1..)
        .map(|n| hook.with_file_name(format!("pre-push.backup.{n}")))
        .find(|p| !p.exists())
        .unwrap_or(base)
}

fn make_executable(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| format!("failed to make {} executable: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words after `exec`, as `sh` itself splits them.
    fn exec_argv(text: &str) -> Vec<String> {
        let (_, words) = text.split_once("\nexec ").expect("an exec line");
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("printf '%s\\0' {words}"))
            .output()
            .expect("sh runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut argv: Vec<String> = String::from_utf8(out.stdout)
            .expect("utf-8")
            .split('\0')
            .map(str::to_owned)
            .collect();
        argv.pop();
        argv
    }

    #[test]
    fn script_quotes_arguments_and_carries_the_marker() {
        let text = script(
            Path::new("/opt/it's/safety-gate"),
            Path::new("ci.toml"),
            &["tick".into()],
        )
        .expect("script");
        insta::assert_snapshot!(text);
        assert!(text.contains(MARKER));
        assert_eq!(
            exec_argv(&text),
            [
                "/opt/it's/safety-gate",
                "check",
                "--config",
                "ci.toml",
                "--gate",
                "tick",
                "--quiet"
            ]
        );
    }

    #[test]
    fn hostile_names_stay_single_words() {
        let odd = [
            "a b",
            "$(touch x)",
            "`id`",
            "it's \"q\"",
            "x;y|z&",
            "*",
            "~",
            "#c",
            "\n\t",
        ];
        for name in odd {
            let text =
                script(Path::new("/bin/sg"), Path::new(name), &[name.into()]).expect("script");
            let argv = exec_argv(&text);
            assert_eq!((argv[3].as_str(), argv[5].as_str()), (name, name), "{text}");
        }
        assert!(script(Path::new("/bin/sg"), Path::new("c"), &["a\0b".into()]).is_err());
    }
}
