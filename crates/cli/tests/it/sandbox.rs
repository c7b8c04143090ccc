//! A copy of the bundled demo (config, baselines, demo fixtures) in a temporary folder,
//! optionally a git repository, so tests can change baselines, install hooks and push
//! without touching the repository.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

/// A demo copy that lives as long as the value.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    /// Copies safety-gate.toml, baselines/, fixtures/demo/ and docs/ROLLBACK.md.
    pub fn demo() -> Sandbox {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = repo_root();
        for item in [
            "safety-gate.toml",
            "baselines",
            "fixtures/demo",
            // The demo's snapshot gate runs this folder's loader.
            "fixtures/snapshot",
            "docs/ROLLBACK.md",
        ] {
            copy(&root.join(item), &dir.path().join(item));
        }
        // Reports go under target/, which a real checkout ignores too.
        std::fs::write(dir.path().join(".gitignore"), "/target\n").expect("gitignore");
        Sandbox { dir }
    }

    /// The demo copy as a git repository with one commit on `main`.
    pub fn demo_repo() -> Sandbox {
        let sandbox = Sandbox::demo();
        sandbox.git(&["init", "-q", "-b", "main"]);
        sandbox.commit("demo");
        sandbox
    }

    /// An empty folder, for tests that write their own config and inputs.
    pub fn empty() -> Sandbox {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(".gitignore"), "/target\n").expect("gitignore");
        Sandbox { dir }
    }

    /// Runs git init (branch `main`) here and commits everything written so far.
    pub fn init_repo(&self) {
        self.git(&["init", "-q", "-b", "main"]);
        self.commit("start");
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs the binary here with NO_COLOR and without GitHub variables.
    pub fn run(&self, args: &[&str]) -> std::process::Output {
        self.cmd().args(args).output().expect("runs")
    }

    /// The binary, set up to run here.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("safety-gate").expect("binary");
        cmd.current_dir(self.path())
            .env("NO_COLOR", "1")
            .env_remove("GITHUB_ACTIONS")
            .env_remove("GITHUB_OUTPUT")
            .env_remove("GITHUB_STEP_SUMMARY");
        cmd
    }

    /// Runs git here; panics with its stderr on failure.
    pub fn git(&self, args: &[&str]) -> std::process::Output {
        let out = self.git_unchecked(args);
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Runs git here and returns whatever happened.
    pub fn git_unchecked(&self, args: &[&str]) -> std::process::Output {
        std::process::Command::new("git")
            .args([
                "-c",
                "user.name=Demo",
                "-c",
                "user.email=demo@example.invalid",
            ])
            .args(["-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(self.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("GIT_DIR")
            .output()
            .expect("git runs")
    }

    /// Stages everything and commits.
    pub fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
    }

    /// Reads a file of the copy.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).expect("read")
    }

    /// Writes a file of the copy.
    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
}

/// Copies a file, or a folder and everything in it.
pub fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).expect("mkdir");
        for entry in std::fs::read_dir(from).expect("ls") {
            let entry = entry.expect("entry");
            copy(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(from, to).expect("copy");
    }
}

/// The exit code, which must not be a signal.
pub fn code(out: &std::process::Output) -> i32 {
    out.status.code().unwrap_or_else(|| {
        panic!(
            "killed by a signal\nstdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// stdout and stderr, for assertion messages.
pub fn shown(out: &std::process::Output) -> String {
    format!(
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
