//! `safety-gate hook install`: a pre-push hook that judges the commits being pushed
//! (`safety-gate hook pre-push`, see [`crate::prepush`]) and refuses the push on
//! rollback (exit 1) or when the check cannot decide (exit 2).
//!
//! The config and the gate names are checked when the hook is installed, so a typo
//! shows then and not at the next push. A hook that was already there (a linter, the
//! pre-commit framework) is kept and chained: it is moved to `pre-push.chained` and runs
//! first, with the same arguments and input; `--force` replaces it instead, keeping it
//! as a backup.

use safety_gate_core::inputs::read_text;
use std::path::{Path, PathBuf};

use crate::{config, git, select};

/// Largest existing hook read to look for [`MARKER`].
const MAX_HOOK_BYTES: u64 = 1 << 20;

/// Marks a hook as ours, so reinstalling replaces it without `--force`.
pub const MARKER: &str = "# safety-gate pre-push hook";

/// The name a foreign hook is moved to, to run before ours.
pub const CHAINED: &str = "pre-push.chained";

/// What `install` did.
#[derive(Debug, PartialEq)]
pub struct Installed {
    /// The hook file.
    pub hook: PathBuf,
    /// Where a foreign hook was moved with `--force`, when there was one.
    pub backup: Option<PathBuf>,
    /// The hook that runs first, when one is chained.
    pub chained: Option<PathBuf>,
}

/// The hook script: from the repository root, runs the chained hook (when there is
/// one) and then `safety-gate hook pre-push` on the same input, whose exit code decides
/// the push. Arguments are quoted for `sh`.
pub fn script(
    binary: &Path,
    config: &Path,
    gates: &[String],
    in_place: bool,
) -> Result<String, String> {
    let binary = binary.to_string_lossy();
    let config = config.to_string_lossy();
    let mut argv = vec![
        binary.as_ref(),
        "hook",
        "pre-push",
        "--config",
        config.as_ref(),
    ];
    for gate in gates {
        argv.extend(["--gate", gate.as_str()]);
    }
    if in_place {
        argv.push("--in-place");
    }
    argv.push("--quiet");
    let line = shlex::try_join(argv).map_err(|e| format!("failed to write the hook: {e}"))?;
    Ok(format!(
        "#!/bin/sh\n{MARKER}: judges the commits being pushed and refuses the push when\n\
         # the gates say rollback or cannot decide.\n\
         # Written by `safety-gate hook install`; run it again to change the options.\n\
         # A hook that was here before runs first, as {CHAINED}, with the same input.\n\
         # Skip once with `git push --no-verify`.\n\
         chained=\"$(cd \"$(dirname \"$0\")\" && pwd)/{CHAINED}\"\n\
         cd \"$(git rev-parse --show-toplevel)\" || exit 2\n\
         input=$(cat)\n\
         if [ -x \"$chained\" ]; then\n\
         \x20 printf '%s\\n' \"$input\" | \"$chained\" \"$@\" || exit $?\n\
         fi\n\
         printf '%s\\n' \"$input\" |\n\
         exec {line} \"$@\"\n"
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
    /// Replace a hook not written by safety-gate, keeping it as a backup, instead of
    /// chaining it.
    pub force: bool,
    /// Judge the working tree (which must be exactly the pushed commit) instead of a
    /// clean checkout of it.
    pub in_place: bool,
}

/// Installs the hook into the repository containing `dir`, after checking that the
/// config loads and every gate name selects a gate.
pub fn install(args: &HookOptions, dir: &Path) -> Result<Installed, String> {
    let hooks = git::git_line(&["rev-parse", "--git-path", "hooks"], dir)
        .map_err(|e| format!("not in a git repository: {e}"))?;
    let top = git::git_line(&["rev-parse", "--show-toplevel"], dir)
        .map_err(|e| format!("not in a git repository: {e}"))?;
    let config_path = Path::new(&top).join(&args.config);
    let mut loaded = config::load(&config_path)
        .map_err(|e| format!("hook not installed: the config does not load: {e}"))?;
    select::retain(&mut loaded, &args.gates).map_err(|e| format!("hook not installed: {e}"))?;
    let hooks = dir.join(hooks);
    let hook = hooks.join("pre-push");
    let chained_path = hooks.join(CHAINED);
    let mut backup = None;
    if hook.exists() || hook.is_symlink() {
        // A hook that cannot be read as text (or is no regular file) is foreign too.
        let existing = read_text(&hook, MAX_HOOK_BYTES).unwrap_or_default();
        if !existing.contains(MARKER) {
            let target = if args.force {
                free_backup_path(&hook)
            } else if chained_path.exists() || chained_path.is_symlink() {
                return Err(format!(
                    "{} exists and was not written by safety-gate, and {} is taken: \
                     merge them, or rerun with --force to replace {} (it is kept as a backup)",
                    hook.display(),
                    chained_path.display(),
                    hook.display()
                ));
            } else {
                chained_path.clone()
            };
            std::fs::rename(&hook, &target).map_err(|e| {
                format!(
                    "failed to move {} to {}: {e}",
                    hook.display(),
                    target.display()
                )
            })?;
            if args.force {
                backup = Some(target);
            }
        }
    }
    let text = script(&args.binary, &args.config, &args.gates, args.in_place)?;
    safety_gate_core::atomic::write_atomic(&hook, text.as_bytes()).map_err(|e| e.to_string())?;
    make_executable(&hook)?;
    let chained = (chained_path.exists() && backup.is_none()).then_some(chained_path);
    Ok(Installed {
        hook,
        backup,
        chained,
    })
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
            false,
        )
        .expect("script");
        insta::assert_snapshot!(text);
        assert!(text.contains(MARKER));
        assert_eq!(
            exec_argv(&text),
            [
                "/opt/it's/safety-gate",
                "hook",
                "pre-push",
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
            let text = script(Path::new("/bin/sg"), Path::new(name), &[name.into()], true)
                .expect("script");
            let argv = exec_argv(&text);
            assert_eq!((argv[4].as_str(), argv[6].as_str()), (name, name), "{text}");
            assert_eq!(argv[7], "--in-place");
        }
        assert!(
            script(
                Path::new("/bin/sg"),
                Path::new("c"),
                &["a\0b".into()],
                false
            )
            .is_err()
        );
    }
}
