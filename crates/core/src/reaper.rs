//! Ending every descendant of a command, also those that left its process group.
//!
//! Killing the command's process group misses a descendant that called `setsid()` (or
//! `setpgid()`). On Linux this process therefore becomes a *child subreaper*
//! (`PR_SET_CHILD_SUBREAPER`) before its first command: a descendant whose parent
//! exits is re-parented to this process instead of to init, so it can still be found.
//! When a command ends or times out, [`end_descendants`] kills
//! - every process below the command in the process tree (read from `/proc`) before
//!   the group is killed, while the parent links are still intact, and
//! - every orphan re-parented to this process that belongs to the command: found in
//!   that tree, or carrying the command's run token ([`RUN_ENV`]) in its environment,
//!   which descendants inherit. Orphans of another command still running are left to
//!   that command; the direct children of commands in flight are never touched.
//!
//! Each killed orphan is reaped. On other systems there is no subreaper and no
//! `/proc`: only the process group is killed (see docs/reliability.md).

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Environment variable holding the run token of the command a process descends from.
pub const RUN_ENV: &str = "SAFETY_GATE_RUN";

/// How long [`end_descendants`] keeps looking for orphans still being re-parented.
const SETTLE: Duration = Duration::from_secs(2);

/// Direct children of the commands now running, which no other command may end.
static IN_FLIGHT: Mutex<BTreeSet<i32>> = Mutex::new(BTreeSet::new());

/// Makes this process a child subreaper (Linux; once, and harmless to repeat).
pub fn become_subreaper() {
    #[cfg(target_os = "linux")]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            // Without it (a kernel older than 3.4) orphans go to init as before; the
            // process-group kill still applies.
            let _ = nix::sys::prctl::set_child_subreaper(true);
        });
    }
}

/// A token unique to one command run in this process.
pub fn new_token() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// Marks `pid` as the direct child of a running command until dropped.
pub struct InFlight(i32);

impl InFlight {
    /// Registers `pid`.
    pub fn new(pid: i32) -> Self {
        lock().insert(pid);
        InFlight(pid)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        lock().remove(&self.0);
    }
}

fn lock() -> std::sync::MutexGuard<'static, BTreeSet<i32>> {
    IN_FLIGHT.lock().unwrap_or_else(|e| e.into_inner())
}

/// Every process below `root` in the process tree, now (empty where `/proc` is not).
pub fn descendants(root: i32) -> BTreeSet<i32> {
    below(&table(), &[root])
}

/// Kills every process in `pids` and then every orphan re-parented to this process
/// that is in `pids` or carries `token`, with all processes below them, reaping the
/// orphans; keeps looking until none is left or two seconds have passed.
pub fn end_descendants(pids: &BTreeSet<i32>, token: &str) {
    let mut known = pids.clone();
    kill_all(&known);
    let me = std::process::id() as i32;
    let deadline = Instant::now() + SETTLE;
    let mut pause = Duration::from_millis(1);
    loop {
        let procs = table();
        let in_flight = lock().clone();
        let strays: Vec<i32> = procs
            .iter()
            .filter(|p| p.ppid == me && !in_flight.contains(&p.pid))
            .filter(|p| known.contains(&p.pid) || has_token(p.pid, token))
            .map(|p| p.pid)
            .collect();
        if strays.is_empty() {
            return;
        }
        let mut doomed = below(&procs, &strays);
        doomed.extend(&strays);
        kill_all(&doomed);
        known.extend(&doomed);
        for pid in &strays {
            reap(*pid, deadline);
        }
        if Instant::now() >= deadline {
            return;
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(50));
    }
}

fn kill_all(pids: &BTreeSet<i32>) {
    for pid in pids {
        let _ = nix::sys::signal::kill(nix::unistd::Pid::from_raw(*pid), nix::sys::signal::SIGKILL);
    }
}

/// Collects a killed child of ours, waiting for it to die until `deadline` at most
/// (a process stuck in the kernel can outlast a SIGKILL for a while).
fn reap(pid: i32, deadline: Instant) {
    use nix::errno::Errno;
    use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
    let pid = nix::unistd::Pid::from_raw(pid);
    loop {
        match waitpid(pid, Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::StillAlive) | Err(Errno::EINTR) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(2));
            }
            _ => return,
        }
    }
}

/// One row of the process table.
#[derive(Debug, Clone, Copy)]
struct Proc {
    pid: i32,
    ppid: i32,
}

/// Every process with its parent, from `/proc` (empty elsewhere).
fn table() -> Vec<Proc> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            // The name in parentheses may hold spaces and ')': read after the last one.
            let rest = stat.rsplit_once(')')?.1;
            let ppid = rest.split_whitespace().nth(1)?.parse().ok()?;
            Some(Proc { pid, ppid })
        })
        .collect()
}

/// The processes below `roots` (not the roots themselves).
fn below(procs: &[Proc], roots: &[i32]) -> BTreeSet<i32> {
    let mut found = BTreeSet::new();
    let mut frontier: Vec<i32> = roots.to_vec();
    while let Some(parent) = frontier.pop() {
        for p in procs.iter().filter(|p| p.ppid == parent) {
            if found.insert(p.pid) {
                frontier.push(p.pid);
            }
        }
    }
    found
}

/// Whether process `pid` has `RUN_ENV=token` in its environment.
fn has_token(pid: i32, token: &str) -> bool {
    let Ok(environ) = std::fs::read(format!("/proc/{pid}/environ")) else {
        return false;
    };
    let wanted = format!("{RUN_ENV}={token}");
    environ
        .split(|b| *b == 0)
        .any(|entry| entry == wanted.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_below_a_root_is_found_and_roots_excluded() {
        let procs = [
            Proc { pid: 1, ppid: 0 },
            Proc { pid: 10, ppid: 1 },
            Proc { pid: 11, ppid: 10 },
            Proc { pid: 12, ppid: 11 },
            Proc { pid: 20, ppid: 1 },
        ];
        assert_eq!(below(&procs, &[10]), BTreeSet::from([11, 12]));
        assert_eq!(below(&procs, &[12]), BTreeSet::new());
        assert_eq!(below(&procs, &[1]).len(), 4);
    }

    #[test]
    fn tokens_are_unique_and_read_from_the_environment() {
        assert_ne!(new_token(), new_token());
        // SAFETY_GATE_RUN is not set for this test process.
        assert!(!has_token(std::process::id() as i32, "x"));
    }
}
