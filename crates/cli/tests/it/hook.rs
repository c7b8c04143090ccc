//! The pre-push hook end to end: installed into a temporary repository, it refuses a
//! push to a local bare remote while the demo is regressed and lets it through once the
//! demo passes; a foreign hook is kept unless --force, and then backed up.

use crate::sandbox;

use sandbox::{Sandbox, code, shown};

/// A demo repository with a bare remote named origin.
fn repo_with_remote() -> (Sandbox, tempfile::TempDir) {
    let sandbox = Sandbox::demo_repo();
    let remote = tempfile::tempdir().expect("tempdir");
    let status = std::process::Command::new("git")
        .args(["init", "-q", "--bare"])
        .arg(remote.path())
        .status()
        .expect("git");
    assert!(status.success());
    sandbox.git(&["remote", "add", "origin", &remote.path().to_string_lossy()]);
    (sandbox, remote)
}

fn remote_head(remote: &std::path::Path) -> Option<String> {
    let out = std::process::Command::new("git")
        .args(["rev-parse", "--verify", "-q", "refs/heads/main"])
        .current_dir(remote)
        .output()
        .expect("git");
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

#[test]
fn push_is_refused_while_regressed_and_goes_through_when_it_passes() {
    let (sandbox, remote) = repo_with_remote();
    let out = sandbox.run(&["hook", "install"]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    let hook = sandbox.read(".git/hooks/pre-push");
    assert!(
        hook.contains("check --config safety-gate.toml --quiet"),
        "{hook}"
    );

    // A change that makes ticks 8% slower: the hook refuses the push.
    let regressed = sandbox.read("fixtures/demo/perf/tick-regressed.json");
    let passing = sandbox.read("fixtures/demo/perf/tick.json");
    sandbox.write("fixtures/demo/perf/tick.json", &regressed);
    sandbox.commit("slower ticks");
    let push = sandbox.git_unchecked(&["push", "-q", "origin", "main"]);
    assert!(
        !push.status.success(),
        "push went through: {}",
        shown(&push)
    );
    let stdout = String::from_utf8_lossy(&push.stdout);
    assert!(
        stdout.contains("verdict: ROLLBACK (exit 1)"),
        "{}",
        shown(&push)
    );
    assert_eq!(
        remote_head(remote.path()),
        None,
        "the remote received the push"
    );

    // Fixed: the same push goes through.
    sandbox.write("fixtures/demo/perf/tick.json", &passing);
    sandbox.commit("ticks back to normal");
    let push = sandbox.git_unchecked(&["push", "-q", "origin", "main"]);
    assert!(push.status.success(), "push refused: {}", shown(&push));
    let head = sandbox.git(&["rev-parse", "HEAD"]);
    assert_eq!(
        remote_head(remote.path()).as_deref(),
        Some(String::from_utf8_lossy(&head.stdout).trim())
    );
}

#[test]
fn fast_path_checks_only_the_selected_gate() {
    let (sandbox, remote) = repo_with_remote();
    let out = sandbox.run(&["hook", "install", "--gate", "tick"]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    // Only the log gate regresses; the hook checks the tick gate, so the push goes.
    let regressed = sandbox.read("fixtures/demo/perf/tick_benchmark-regressed.txt");
    sandbox.write("fixtures/demo/perf/tick_benchmark.txt", &regressed);
    sandbox.commit("slower log");
    let push = sandbox.git_unchecked(&["push", "-q", "origin", "main"]);
    assert!(push.status.success(), "{}", shown(&push));
    assert!(remote_head(remote.path()).is_some());
}

#[test]
fn foreign_hook_is_kept_unless_forced_then_backed_up() {
    let sandbox = Sandbox::demo_repo();
    let foreign = "#!/bin/sh\necho lint\n";
    sandbox.write(".git/hooks/pre-push", foreign);
    let out = sandbox.run(&["hook", "install"]);
    assert_eq!(code(&out), 2, "{}", shown(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--force"),
        "{}",
        shown(&out)
    );
    assert_eq!(sandbox.read(".git/hooks/pre-push"), foreign);

    let out = sandbox.run(&["hook", "install", "--force"]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    assert_eq!(sandbox.read(".git/hooks/pre-push.backup"), foreign);
    assert!(
        sandbox
            .read(".git/hooks/pre-push")
            .contains("# safety-gate pre-push hook")
    );

    // Reinstalling over our own hook needs no --force and makes no backup.
    let out = sandbox.run(&["hook", "install", "--gate", "tick"]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    assert!(!sandbox.path().join(".git/hooks/pre-push.backup.1").exists());
}

#[test]
fn outside_a_repository_cannot_install() {
    let sandbox = Sandbox::demo();
    let out = sandbox
        .cmd()
        .env(
            "GIT_CEILING_DIRECTORIES",
            sandbox.path().parent().expect("parent"),
        )
        .args(["hook", "install"])
        .output()
        .expect("runs");
    assert_eq!(code(&out), 2, "{}", shown(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not in a git repository"));
}
