//! What the pre-push hook judges: the commits being pushed, not whatever sits in the
//! working tree. Git gives the hook one line per ref pushed; each new commit is checked
//! out cleanly into a temporary worktree and judged there (its config, its result files,
//! its producers), so a push of commits carrying slow numbers is refused even when the
//! working tree holds fresh green ones. `--in-place` judges the working tree instead, and
//! refuses the push unless the tree is exactly the commit pushed.

use std::path::{Path, PathBuf};

use crate::git;

/// The object id git sends for "nothing": a deleted ref, or a ref new to the remote.
const ZERO: &str = "0000000000000000000000000000000000000000";

/// One line of the pre-push hook's input: `<local ref> <local sha> <remote ref> <remote sha>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Push {
    /// The local ref pushed (`refs/heads/main`), or `(delete)`.
    pub local_ref: String,
    /// The commit pushed.
    pub local_sha: String,
    /// The ref it updates on the remote.
    pub remote_ref: String,
    /// What the remote ref holds now (all zeros for a new ref).
    pub remote_sha: String,
}

/// Parses the hook's input; blank lines are skipped, a malformed line is an error.
pub fn parse(input: &str) -> Result<Vec<Push>, String> {
    input
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                [local_ref, local_sha, remote_ref, remote_sha] => Ok(Push {
                    local_ref: (*local_ref).to_string(),
                    local_sha: (*local_sha).to_string(),
                    remote_ref: (*remote_ref).to_string(),
                    remote_sha: (*remote_sha).to_string(),
                }),
                _ => Err(format!(
                    "pre-push input line {line:?} is not `<local ref> <sha> <remote ref> <sha>`"
                )),
            }
        })
        .collect()
}

/// The distinct commits to judge, in input order: deletions and refs the remote
/// already holds at that commit send nothing new.
pub fn commits(pushes: &[Push]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for push in pushes {
        let sent = push.local_sha.trim_start_matches('0').is_empty();
        if sent || push.local_sha == push.remote_sha || push.local_sha.len() < 4 {
            continue;
        }
        if !out.iter().any(|(sha, _)| *sha == push.local_sha) {
            out.push((push.local_sha.clone(), push.local_ref.clone()));
        }
    }
    let _ = ZERO;
    out
}

/// A clean checkout of one commit in a temporary git worktree, removed (with its
/// administrative files) when dropped.
#[derive(Debug)]
pub struct Checkout {
    repo: PathBuf,
    path: PathBuf,
    _dir: tempfile::TempDir,
}

impl Checkout {
    /// Checks `commit` out (detached) next to nothing else, from the repository at
    /// `repo`.
    pub fn new(repo: &Path, commit: &str) -> Result<Checkout, String> {
        let dir = tempfile::Builder::new()
            .prefix("safety-gate-push-")
            .tempdir()
            .map_err(|e| format!("failed to create a temporary folder: {e}"))?;
        let path = dir.path().join("tree");
        let shown = path.to_string_lossy().into_owned();
        git::git(
            &["worktree", "add", "--detach", "--quiet", &shown, commit],
            repo,
        )
        .map_err(|e| format!("failed to check out {commit}: {e}"))?;
        Ok(Checkout {
            repo: repo.to_path_buf(),
            path,
            _dir: dir,
        })
    }

    /// The checkout's root.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Checkout {
    fn drop(&mut self) {
        let shown = self.path.to_string_lossy().into_owned();
        if git::git(&["worktree", "remove", "--force", &shown], &self.repo).is_err() {
            let _ = std::fs::remove_dir_all(&self.path);
            let _ = git::git(&["worktree", "prune"], &self.repo);
        }
    }
}

/// For `--in-place`: the working tree at `repo` must be exactly `commit`: HEAD is that
/// commit, and nothing is modified, staged or untracked (ignored files aside).
pub fn working_tree_is(repo: &Path, commit: &str) -> Result<(), String> {
    let head = git::git_line(&["rev-parse", "HEAD"], repo)?;
    if head != commit {
        return Err(format!(
            "the working tree is at {}, but the push sends {}: judging it would not judge \
             what is pushed; check out the pushed commit, or install the hook without \
             --in-place",
            short(&head),
            short(commit)
        ));
    }
    let status = git::git(&["status", "--porcelain", "--untracked-files=normal"], repo)?;
    if !status.is_empty() {
        let changed: Vec<String> = String::from_utf8_lossy(&status)
            .lines()
            .take(5)
            .map(|l| l.trim().to_string())
            .collect();
        return Err(format!(
            "the working tree differs from the pushed commit {} ({}): commit or stash the \
             changes, or install the hook without --in-place",
            short(commit),
            changed.join(", ")
        ));
    }
    Ok(())
}

/// The first 12 characters of a commit id.
pub fn short(sha: &str) -> &str {
    &sha[..sha.len().min(12)]
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "1111111111111111111111111111111111111111";
    const B: &str = "2222222222222222222222222222222222222222";

    #[test]
    fn new_commits_are_judged_once_and_deletions_not_at_all() {
        let input = format!(
            "refs/heads/main {A} refs/heads/main {B}\n\
             refs/heads/also {A} refs/heads/also {ZERO}\n\
             (delete) {ZERO} refs/heads/gone {B}\n\
             refs/heads/same {B} refs/heads/same {B}\n\n"
        );
        let pushes = parse(&input).expect("valid");
        assert_eq!(pushes.len(), 4);
        assert_eq!(
            commits(&pushes),
            [(A.to_string(), "refs/heads/main".to_string())]
        );
        assert!(parse("refs/heads/main abc\n").is_err());
        assert!(commits(&parse("").expect("empty")).is_empty());
    }

    #[test]
    fn a_checkout_holds_the_commit_and_goes_away() {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = dir.path();
        let run = |args: &[&str]| {
            let mut argv = vec![
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@e",
                "-c",
                "commit.gpgsign=false",
            ];
            argv.extend(args);
            git::git(&argv, repo).expect("git");
        };
        run(&["init", "-q", "-b", "main"]);
        std::fs::write(repo.join("f.txt"), "one").expect("write");
        run(&["add", "f.txt"]);
        run(&["commit", "-q", "-m", "one"]);
        let first = git::git_line(&["rev-parse", "HEAD"], repo).expect("head");
        std::fs::write(repo.join("f.txt"), "two").expect("write");
        assert!(
            working_tree_is(repo, &first)
                .expect_err("modified")
                .contains("differs")
        );
        run(&["commit", "-qam", "two"]);
        assert!(
            working_tree_is(repo, &first)
                .expect_err("moved")
                .contains("working tree is at")
        );
        let second = git::git_line(&["rev-parse", "HEAD"], repo).expect("head");
        working_tree_is(repo, &second).expect("clean");

        let checkout = Checkout::new(repo, &first).expect("checkout");
        let path = checkout.path().to_path_buf();
        assert_eq!(
            std::fs::read_to_string(path.join("f.txt")).expect("read"),
            "one"
        );
        drop(checkout);
        assert!(!path.exists());
        let list = git::git(&["worktree", "list", "--porcelain"], repo).expect("list");
        assert_eq!(
            String::from_utf8_lossy(&list).matches("worktree ").count(),
            1
        );
    }
}
