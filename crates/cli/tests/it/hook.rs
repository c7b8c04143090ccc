//! The pre-push hook end to end: installed into a temporary repository, it judges the
//! commits being pushed to a local bare remote (not the working tree), refuses them while
//! the demo is regressed and lets them through once it passes; a hook that was there is
//! chained (or, with --force, replaced and backed up); the config and the gate names are
//! checked at install.

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
        hook.contains("hook pre-push --config safety-gate.toml --quiet \"$@\""),
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
fn pushing_regressed_commits_is_refused_even_with_green_results_in_the_working_tree() {
    let (sandbox, remote) = repo_with_remote();
    let out = sandbox.run(&["hook", "install"]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    let passing = sandbox.read("fixtures/demo/perf/tick.json");
    // The commit carries 8%-slower numbers; the working tree holds the green ones again.
    sandbox.write(
        "fixtures/demo/perf/tick.json",
        &sandbox.read("fixtures/demo/perf/tick-regressed.json"),
    );
    sandbox.commit("slower ticks");
    sandbox.write("fixtures/demo/perf/tick.json", &passing);
    assert_eq!(
        code(&sandbox.run(&["check", "--quiet"])),
        0,
        "the working tree is green"
    );

    let push = sandbox.git_unchecked(&["push", "-q", "origin", "main"]);
    assert!(
        !push.status.success(),
        "push went through: {}",
        shown(&push)
    );
    let stderr = String::from_utf8_lossy(&push.stderr);
    assert!(stderr.contains("in a clean checkout"), "{}", shown(&push));
    let stdout = String::from_utf8_lossy(&push.stdout);
    assert!(
        stdout.contains("FAIL  perf/tick tick_ms"),
        "{}",
        shown(&push)
    );
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
    // The temporary checkout is gone.
    let list = sandbox.git(&["worktree", "list", "--porcelain"]);
    assert_eq!(
        String::from_utf8_lossy(&list.stdout)
            .matches("worktree ")
            .count(),
        1
    );

    // Committing the green numbers makes the pushed commits pass.
    sandbox.commit("ticks back to normal");
    let push = sandbox.git_unchecked(&["push", "-q", "origin", "main"]);
    assert!(push.status.success(), "push refused: {}", shown(&push));
}

#[test]
fn in_place_refuses_a_working_tree_that_differs_from_the_pushed_commit() {
    let (sandbox, remote) = repo_with_remote();
    let out = sandbox.run(&["hook", "install", "--in-place"]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    sandbox.write("notes.txt", "not committed\n");
    let push = sandbox.git_unchecked(&["push", "-q", "origin", "main"]);
    assert!(!push.status.success(), "{}", shown(&push));
    let stderr = String::from_utf8_lossy(&push.stderr);
    assert!(
        stderr.contains("the working tree differs from the pushed commit"),
        "{}",
        shown(&push)
    );
    assert!(stderr.contains("notes.txt"), "{}", shown(&push));
    std::fs::remove_file(sandbox.path().join("notes.txt")).expect("rm");
    let push = sandbox.git_unchecked(&["push", "-q", "origin", "main"]);
    assert!(push.status.success(), "{}", shown(&push));
    assert!(remote_head(remote.path()).is_some());
}

#[test]
fn a_hook_that_was_there_is_chained_with_the_same_input() {
    let (sandbox, remote) = repo_with_remote();
    // A lint hook that records what it was given, and fails while BLOCK exists.
    let foreign = "#!/bin/sh\necho \"lint $1\" >> lint.log\ncat >> lint.log\ntest ! -e BLOCK\n";
    sandbox.write(".git/hooks/pre-push", foreign);
    make_executable(&sandbox.path().join(".git/hooks/pre-push"));
    let out = sandbox.run(&["hook", "install"]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("pre-push.chained"),
        "{}",
        shown(&out)
    );
    assert_eq!(sandbox.read(".git/hooks/pre-push.chained"), foreign);

    sandbox.write("BLOCK", "");
    sandbox.write(".gitignore", "/target\n/BLOCK\n/lint.log\n");
    sandbox.commit("ignore the lint files");
    let push = sandbox.git_unchecked(&["push", "-q", "origin", "main"]);
    assert!(
        !push.status.success(),
        "the chained hook's refusal counts: {}",
        shown(&push)
    );
    assert_eq!(remote_head(remote.path()), None);
    let log = sandbox.read("lint.log");
    assert!(log.starts_with("lint origin\nrefs/heads/main "), "{log}");

    std::fs::remove_file(sandbox.path().join("BLOCK")).expect("rm");
    let push = sandbox.git_unchecked(&["push", "-q", "origin", "main"]);
    assert!(push.status.success(), "{}", shown(&push));
    assert_eq!(sandbox.read("lint.log").matches("lint origin").count(), 2);

    // Reinstalling keeps the chain; --force replaces the foreign hook, backed up.
    let out = sandbox.run(&["hook", "install", "--gate", "tick"]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    assert!(sandbox.path().join(".git/hooks/pre-push.chained").exists());
    let other = Sandbox::demo_repo();
    other.write(".git/hooks/pre-push", foreign);
    let out = other.run(&["hook", "install", "--force"]);
    assert_eq!(code(&out), 0, "{}", shown(&out));
    assert_eq!(other.read(".git/hooks/pre-push.backup"), foreign);
    assert!(!other.path().join(".git/hooks/pre-push.chained").exists());
}

#[test]
fn install_checks_the_config_and_the_gate_names() {
    let sandbox = Sandbox::demo_repo();
    let out = sandbox.run(&["hook", "install", "--gate", "tik"]);
    assert_eq!(code(&out), 2, "{}", shown(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("`tik` matches no configured gate"),
        "{}",
        shown(&out)
    );
    let out = sandbox.run(&["hook", "install", "--config", "nope.toml"]);
    assert_eq!(code(&out), 2, "{}", shown(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("nope.toml"),
        "{}",
        shown(&out)
    );
    assert!(!sandbox.path().join(".git/hooks/pre-push").exists());
}

fn make_executable(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
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
