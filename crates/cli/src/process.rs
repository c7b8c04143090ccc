//! Running an external command: argv only (never a shell), output captured, and a
//! timeout after which the whole process group is killed.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long a git command may take before it is killed.
pub const GIT_TIMEOUT: Duration = Duration::from_secs(30);

/// What a finished command produced.
#[derive(Debug)]
pub struct Output {
    /// Whether it exited with status 0.
    pub success: bool,
    /// Standard output.
    pub stdout: Vec<u8>,
    /// Standard error, lossily decoded.
    pub stderr: String,
}

/// Runs `program args...` in `dir`, killing its process group after `timeout`.
/// Errors are lowercase fragments naming the command.
pub fn run(program: &str, args: &[&str], dir: &Path, timeout: Duration) -> Result<Output, String> {
    let shown = format!("`{program} {}`", args.join(" "));
    let mut child = Command::new(program)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .map_err(|e| format!("could not start {shown}: {e}"))?;
    // Drain both pipes on threads so a chatty child cannot block on a full pipe.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            buf
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() >= timeout => {
                kill_group(child.id());
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{shown} timed out after {}s", timeout.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("could not wait for {shown}: {e}")),
        }
    };
    Ok(Output {
        success: status.success(),
        stdout: out.join().unwrap_or_default(),
        stderr: String::from_utf8_lossy(&err.join().unwrap_or_default()).into_owned(),
    })
}

/// Kills every process in the group led by `pid` (the child was made a group leader),
/// so that grandchildren die with it. Uses kill(1) because the crate forbids `unsafe`.
fn kill_group(pid: u32) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{pid}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// Runs git with [`GIT_TIMEOUT`]; a non-zero exit is an error carrying git's stderr.
pub fn git(args: &[&str], dir: &Path) -> Result<Vec<u8>, String> {
    let out = run("git", args, dir, GIT_TIMEOUT)?;
    if out.success {
        Ok(out.stdout)
    } else {
        Err(format!(
            "`git {}` failed: {}",
            args.join(" "),
            out.stderr.trim()
        ))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captures_output_and_status() {
        let out = run(
            "sh",
            &["-c", "echo hi; echo no >&2; exit 3"],
            Path::new("."),
            GIT_TIMEOUT,
        )
        .expect("runs");
        assert!(!out.success);
        assert_eq!(out.stdout, b"hi\n");
        assert_eq!(out.stderr, "no\n");
    }

    #[test]
    fn kills_on_timeout() {
        let start = Instant::now();
        let err = run("sleep", &["5"], Path::new("."), Duration::from_millis(200))
            .expect_err("times out");
        assert!(err.contains("timed out"), "{err}");
        assert!(start.elapsed() < Duration::from_secs(3));
    }

    #[test]
    fn missing_program_is_named() {
        let err = run("no-such-program-xyz", &[], Path::new("."), GIT_TIMEOUT).expect_err("absent");
        assert!(err.contains("no-such-program-xyz"), "{err}");
    }
}
