//! Running an external command safely: argv only (never a shell), stdin closed,
//! stdout and stderr captured with caps, a time limit, and the whole process group
//! killed when it ends or expires; on Linux also every descendant that left the group
//! (see [`crate::reaper`]), so that nothing it started outlives the run.

use nix::errno::Errno;
use nix::sys::signal::{Signal, killpg};
use nix::sys::wait::{Id, WaitPidFlag, WaitStatus, waitid};
use nix::unistd::Pid;
use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use crate::check::Check;
use crate::duration::TimeLimit;
use crate::error::ProcessError;
use crate::reaper;

/// Most stdout bytes kept (a re-saved snapshot or a hashed state dump).
pub const STDOUT_CAP: usize = 256 << 20;

/// Most stderr bytes kept: the tail, which is where tracebacks end.
pub const STDERR_TAIL: usize = 16 << 10;

/// Lines of stderr attached to a failed command's check: as many as the human report
/// shows, so the line that says what went wrong is never cut.
pub const STDERR_LINES: usize = 10;

/// How long the output readers may take to finish once the descendants are dead.
/// Only a descendant that was not found (one that left the group on a system without
/// `/proc`, see [`crate::reaper`]) can keep a pipe open longer; the run does not wait
/// for it, and its output counts as cut off.
const PIPE_GRACE: Duration = Duration::from_secs(2);

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Exited with this code.
    Code(i32),
    /// Killed by this signal (not by us).
    Signal(i32),
    /// Still running at the time limit; its process group was killed.
    TimedOut,
}

/// What a finished command left behind.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// How it ended.
    pub exit: Exit,
    /// Captured stdout, at most [`STDOUT_CAP`] bytes.
    pub stdout: Vec<u8>,
    /// Whether stdout went past the cap (the rest was read and dropped).
    pub stdout_truncated: bool,
    /// The last [`STDERR_TAIL`] bytes of stderr.
    pub stderr_tail: Vec<u8>,
    /// Wall time until it ended or was killed.
    pub elapsed: Duration,
}

impl Outcome {
    /// Whether the command exited with code 0.
    pub fn success(&self) -> bool {
        self.exit == Exit::Code(0)
    }

    /// The last `lines` lines of stderr, lossily decoded, without trailing blanks.
    pub fn stderr_lines(&self, lines: usize) -> Vec<String> {
        let text = String::from_utf8_lossy(&self.stderr_tail);
        let all: Vec<&str> = text.trim_end().lines().collect();
        let start = all.len().saturating_sub(lines);
        all[start..].iter().map(|l| (*l).to_owned()).collect()
    }

    /// A failing check for a command that did not exit 0: how it ended and the last
    /// stderr line in the message, the stderr tail as details.
    pub fn failure(&self, id: String, what: &str, timeout: Duration) -> Check {
        let how = self.describe(timeout);
        let tail = self.stderr_lines(STDERR_LINES);
        let mut message = match self.exit {
            Exit::TimedOut => format!("{what} hung: {how}, process group killed"),
            _ => format!("{what} failed: {how}"),
        };
        if let Some(last) = tail.iter().rev().find(|l| !l.trim().is_empty()) {
            message.push_str(": ");
            message.push_str(last.trim());
        }
        let details = tail.into_iter().map(|l| format!("stderr: {l}"));
        Check::fail(id, message).with_details(details)
    }

    /// A short description of how it ended (`exit code 3`, `killed after 60s timeout`).
    pub fn describe(&self, timeout: Duration) -> String {
        match self.exit {
            Exit::Code(c) => format!("exit code {c}"),
            Exit::Signal(s) => format!("killed by signal {s}"),
            Exit::TimedOut => format!("killed after the {}s timeout", timeout.as_secs_f64()),
        }
    }
}

/// Runs `argv` in `cwd` with a time limit. The command gets its own process group;
/// when it exits or times out, whatever is left of that group is killed.
pub fn run(argv: &[String], cwd: &Path, timeout: Duration) -> Result<Outcome, ProcessError> {
    run_capped(argv, cwd, timeout, STDOUT_CAP)
}

/// [`run`] with a chosen stdout cap.
fn run_capped(
    argv: &[String],
    cwd: &Path,
    timeout: Duration,
    stdout_cap: usize,
) -> Result<Outcome, ProcessError> {
    let (program, args) = argv.split_first().ok_or(ProcessError::NoProgram)?;
    reaper::become_subreaper();
    let token = reaper::new_token();
    let start = Instant::now();
    let mut child = Command::new(program)
        .args(args)
        .current_dir(cwd)
        .env(reaper::RUN_ENV, &token)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .map_err(|source| ProcessError::Spawn {
            program: program.clone(),
            source,
        })?;
    let stdout = child
        .stdout
        .take()
        .map(|s| spawn_reader(s, Keep::Head(stdout_cap)));
    let stderr = child
        .stderr
        .take()
        .map(|s| spawn_reader(s, Keep::Tail(STDERR_TAIL)));
    let pid = Pid::from_raw(child.id() as i32);
    let in_flight = reaper::InFlight::new(pid.as_raw());
    // Time limits are bounded when parsed (`crate::duration`); one given in code that
    // is past what the clock can add waits for the longest allowed limit instead.
    let deadline = start
        .checked_add(timeout.min(TimeLimit::MAX))
        .unwrap_or(start);
    let timed_out = wait_until(pid, deadline);
    // The child is exited but not yet reaped (a zombie), so its pid cannot have been
    // reused: the group id still names our group. Note the tree below it while the
    // parent links hold, kill the group, reap, then end whatever left the group.
    let tree = reaper::descendants(pid.as_raw());
    kill_group(pid);
    let exit = reap(&mut child, timed_out);
    drop(in_flight);
    reaper::end_descendants(&tree, &token);
    let grace = Instant::now() + PIPE_GRACE;
    let (stdout, stdout_truncated) = join(stdout, grace);
    let (stderr_tail, _) = join(stderr, grace);
    Ok(Outcome {
        exit,
        stdout,
        stdout_truncated,
        stderr_tail,
        elapsed: start.elapsed(),
    })
}

/// Polls for the child's exit without reaping it; true when the deadline passed.
fn wait_until(pid: Pid, deadline: Instant) -> bool {
    let flags = WaitPidFlag::WEXITED | WaitPidFlag::WNOHANG | WaitPidFlag::WNOWAIT;
    let mut pause = Duration::from_millis(1);
    loop {
        match waitid(Id::Pid(pid), flags) {
            Ok(WaitStatus::StillAlive) | Err(Errno::EINTR) => {}
            // Exited, or no longer our child to wait for.
            Ok(_) | Err(_) => return false,
        }
        let now = Instant::now();
        if now >= deadline {
            return true;
        }
        std::thread::sleep(pause.min(deadline - now));
        pause = (pause * 2).min(Duration::from_millis(25));
    }
}

/// Sends SIGKILL to the process group led by `pid`; a group already gone is fine.
fn kill_group(pid: Pid) {
    let _ = killpg(pid, Signal::SIGKILL);
}

fn reap(child: &mut Child, timed_out: bool) -> Exit {
    let status = child.wait();
    if timed_out {
        return Exit::TimedOut;
    }
    match status {
        Ok(s) => match (s.code(), s.signal()) {
            (Some(code), _) => Exit::Code(code),
            (None, Some(signal)) => Exit::Signal(signal),
            (None, None) => Exit::Code(-1),
        },
        Err(_) => Exit::Code(-1),
    }
}

/// Which part of a stream to keep.
#[derive(Clone, Copy)]
enum Keep {
    /// The first n bytes; the rest is drained so the writer never blocks.
    Head(usize),
    /// The last n bytes.
    Tail(usize),
}

/// Reads a stream on its own thread; the result arrives on the returned channel.
fn spawn_reader<R: Read + Send + 'static>(mut stream: R, keep: Keep) -> Receiver<(Vec<u8>, bool)> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut kept = Vec::new();
        let mut overflow = false;
        let mut buf = [0u8; 64 << 10];
        loop {
            let n = match stream.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            };
            match keep {
                Keep::Head(cap) => {
                    let room = cap.saturating_sub(kept.len());
                    kept.extend_from_slice(&buf[..n.min(room)]);
                    overflow |= n > room;
                }
                Keep::Tail(cap) => {
                    kept.extend_from_slice(&buf[..n]);
                    if kept.len() > 2 * cap {
                        kept.drain(..kept.len() - cap);
                        overflow = true;
                    }
                }
            }
        }
        if let Keep::Tail(cap) = keep {
            if kept.len() > cap {
                kept.drain(..kept.len() - cap);
                overflow = true;
            }
        }
        let _ = tx.send((kept, overflow));
    });
    rx
}

/// The reader's result, or nothing and "cut off" when the pipe is still held open at
/// `deadline` (a reader blocked on such a pipe is left behind, not waited for).
fn join(reader: Option<Receiver<(Vec<u8>, bool)>>, deadline: Instant) -> (Vec<u8>, bool) {
    let Some(rx) = reader else {
        return (Vec::new(), false);
    };
    let left = deadline.saturating_duration_since(Instant::now());
    rx.recv_timeout(left).unwrap_or((Vec::new(), true))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| (*w).to_owned()).collect()
    }

    fn cwd() -> std::path::PathBuf {
        std::env::temp_dir()
    }

    #[test]
    fn captures_stdout_stderr_and_exit_code() {
        let out = run(
            &argv(&["sh", "-c", "echo out; echo err1 >&2; echo err2 >&2; exit 3"]),
            &cwd(),
            Duration::from_secs(10),
        )
        .expect("runs");
        assert_eq!(out.exit, Exit::Code(3));
        assert_eq!(out.stdout, b"out\n");
        assert_eq!(out.stderr_lines(1), ["err2"]);
        assert_eq!(out.stderr_lines(5), ["err1", "err2"]);
        assert!(!out.success());
    }

    #[test]
    fn arguments_are_not_interpreted_by_a_shell() {
        let out = run(
            &argv(&["echo", "$HOME;", "`id`"]),
            &cwd(),
            Duration::from_secs(10),
        )
        .expect("runs");
        assert_eq!(out.stdout, b"$HOME; `id`\n");
    }

    #[test]
    fn missing_program_is_a_spawn_error_naming_it() {
        let err = run(
            &argv(&["no-such-program-xyz"]),
            &cwd(),
            Duration::from_secs(1),
        )
        .expect_err("missing");
        assert!(err.to_string().contains("no-such-program-xyz"), "{err}");
    }

    #[test]
    fn hanging_group_is_killed_at_the_timeout() {
        // The grandchild prints its pid, then both it and the child hang.
        let started = Instant::now();
        let out = run(
            &argv(&["sh", "-c", "sleep 30 & echo $!; sleep 30"]),
            &cwd(),
            Duration::from_millis(300),
        )
        .expect("runs");
        assert_eq!(out.exit, Exit::TimedOut);
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
        let grandchild: i32 = String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .expect("pid printed");
        assert!(
            !is_running(grandchild),
            "grandchild {grandchild} outlived the run"
        );
        let check = out.failure("roundtrip:x".into(), "loader", Duration::from_millis(300));
        assert!(
            check
                .message
                .starts_with("loader hung: killed after the 0.3s timeout"),
            "{}",
            check.message
        );
    }

    #[test]
    fn stragglers_are_killed_after_a_normal_exit() {
        let out = run(
            &argv(&["sh", "-c", "sleep 30 >/dev/null 2>&1 & echo $!"]),
            &cwd(),
            Duration::from_secs(10),
        )
        .expect("runs");
        assert!(out.success());
        let straggler: i32 = String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .expect("pid printed");
        assert!(
            !is_running(straggler),
            "straggler {straggler} outlived the run"
        );
    }

    #[test]
    fn a_descendant_holding_the_pipe_does_not_stall_the_run() {
        // `setsid` leaves the process group, so the group kill misses it; it keeps
        // stdout open for 8 s, but the run must end at the timeout plus the grace.
        let started = Instant::now();
        let out = run(
            &argv(&["sh", "-c", "setsid sleep 8 & sleep 30"]),
            &cwd(),
            Duration::from_millis(300),
        )
        .expect("runs");
        assert_eq!(out.exit, Exit::TimedOut);
        // On Linux the descendant is found and ended, so the pipe closes at once;
        // elsewhere the output it held open counts as cut off.
        assert_eq!(out.stdout_truncated, cfg!(not(target_os = "linux")));
        assert!(
            started.elapsed() < Duration::from_secs(6),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn stdout_is_capped_and_stderr_keeps_its_tail() {
        let out = run_capped(
            &argv(&[
                "sh",
                "-c",
                "head -c 100000 /dev/zero; head -c 40000 /dev/zero >&2; echo last >&2",
            ]),
            &cwd(),
            Duration::from_secs(10),
            1000,
        )
        .expect("runs");
        assert!(out.success(), "a capped writer must not block");
        assert_eq!(out.stdout.len(), 1000);
        assert!(out.stdout_truncated);
        assert_eq!(out.stderr_tail.len(), STDERR_TAIL);
        assert!(out.stderr_tail.ends_with(b"last\n"));
    }

    /// A `sleep` argument no other process has (30 s and a unique fraction), so that a
    /// process can be told apart from one that reused its pid: this machine's pid
    /// space can wrap within a test run.
    fn marker() -> String {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        format!("30.{}{n:03}", std::process::id())
    }

    /// Whether a live (not zombie) `sleep MARKER` exists, allowing a killed one a
    /// moment to die.
    fn sleeper_alive(marker: &str) -> bool {
        let wanted = format!("sleep\0{marker}\0");
        let alive = || {
            std::fs::read_dir("/proc")
                .into_iter()
                .flatten()
                .flatten()
                .any(|e| {
                    let dir = e.path();
                    let cmdline = std::fs::read(dir.join("cmdline")).unwrap_or_default();
                    let state = std::fs::read_to_string(dir.join("stat")).unwrap_or_default();
                    let state = state.rsplit(')').next().unwrap_or("").trim_start();
                    cmdline == wanted.as_bytes() && !state.starts_with(['Z', 'X'])
                })
        };
        (0..50).all(|_| {
            let still = alive();
            if still {
                std::thread::sleep(Duration::from_millis(20));
            }
            still
        })
    }

    /// Whether `pid` is a `sleep` that called setsid() and is now a zombie child of
    /// this process: ended but not reaped.
    fn unreaped_sleeper(pid: i32) -> bool {
        std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
            let comm = stat
                .split_once(" (")
                .and_then(|(_, rest)| rest.rsplit_once(')'));
            let Some((comm, rest)) = comm else {
                return false;
            };
            let fields: Vec<&str> = rest.split_whitespace().collect();
            let ours = fields.get(1) == Some(&std::process::id().to_string().as_str());
            let own_session = fields.get(4) == Some(&pid.to_string().as_str());
            comm == "sleep" && fields.first() == Some(&"Z") && ours && own_session
        })
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn descendants_that_left_the_group_are_ended_too() {
        // Each script starts a `sleep` that calls setsid() and prints its pid: still
        // below the command at the timeout, orphaned by a normal exit, orphaned twice
        // over (a daemon's double fork), or with its environment cleared but its
        // parent still alive at the timeout.
        let cases = [
            (
                "setsid sleep M & echo $!; sleep 30",
                Duration::from_millis(500),
            ),
            (
                "setsid sleep M >/dev/null 2>&1 & echo $!",
                Duration::from_secs(10),
            ),
            (
                "sh -c 'setsid sleep M >/dev/null 2>&1 & echo $!'; exit 0",
                Duration::from_secs(10),
            ),
            (
                "env -i setsid sleep M & echo $!; sleep 30",
                Duration::from_millis(500),
            ),
        ];
        for (script, timeout) in cases {
            let marker = marker();
            let script = script.replace('M', &marker);
            let out = run(&argv(&["sh", "-c", &script]), &cwd(), timeout).expect("runs");
            let pid: i32 = String::from_utf8_lossy(&out.stdout)
                .trim()
                .parse()
                .expect("pid printed");
            assert!(!sleeper_alive(&marker), "{script}: {pid} outlived the run");
            assert!(!unreaped_sleeper(pid), "{script}: {pid} was not reaped");
        }
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn a_run_leaves_the_descendants_of_a_concurrent_run_alone() {
        // A long command whose setsid child is orphaned at once, and short commands
        // ending meanwhile: they must not end the long one's descendants.
        let marker = marker();
        let script = format!("sh -c 'setsid sleep {marker} >/dev/null 2>&1 &'; sleep 3");
        let long = std::thread::spawn(move || {
            run(
                &argv(&["sh", "-c", &script]),
                &cwd(),
                Duration::from_secs(20),
            )
            .expect("runs")
        });
        std::thread::sleep(Duration::from_millis(1000));
        for _ in 0..3 {
            let out = run(&argv(&["true"]), &cwd(), Duration::from_secs(10)).expect("runs");
            assert!(out.success());
        }
        assert!(sleeper_alive(&marker), "another run ended the orphan");
        assert!(long.join().expect("long run").success());
        assert!(!sleeper_alive(&marker), "the orphan outlived its own run");
    }

    /// Whether a process exists and is not a zombie waiting to be reaped by init.
    fn is_running(pid: i32) -> bool {
        // Killed processes may take a moment to be reaped by their new parent.
        for _ in 0..50 {
            match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
                Err(_) => return false,
                Ok(stat) => {
                    let state = stat
                        .rsplit(')')
                        .next()
                        .unwrap_or("")
                        .trim_start()
                        .chars()
                        .next();
                    if matches!(state, Some('Z' | 'X')) {
                        return false;
                    }
                }
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        true
    }
}
