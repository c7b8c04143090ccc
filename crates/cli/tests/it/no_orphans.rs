//! Commands the snapshot gate runs (round trip, hash command) leave nothing behind:
//! run through the real binary, a loader that hangs and forks a grandchild is killed
//! with its whole process group at the timeout, and neither process outlives the run;
//! on Linux, neither does a helper that left the group with setsid().

use crate::common;

use std::time::{Duration, Instant};

/// Whether a process is still running (a zombie awaiting its reaper counts as gone).
fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !matches!(
            stat.rsplit(')')
                .next()
                .and_then(|rest| rest.split_whitespace().next()),
            Some("Z" | "X")
        ),
        Err(_) => false,
    }
}

#[test]
fn a_hanging_round_trip_and_its_grandchild_do_not_outlive_the_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pids = dir.path().join("pids");
    let script = format!(
        "echo $$ > {p}; sleep 300 & echo $! >> {p}; wait",
        p = pids.display()
    );
    let roundtrip = format!("sh -c '{script}' sh {{snapshot}}");
    let started = Instant::now();
    let out = common::run(&[
        "snapshot",
        "--schema",
        "fixtures/bad/good/schema.json",
        "--snapshots",
        "fixtures/bad/good/snapshot.json",
        "--roundtrip",
        &roundtrip,
        "--timeout",
        "1s",
    ]);
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    assert_ne!(out.code, 0, "{}", out.stdout);
    assert!(
        out.stdout.contains("hung: killed after the 1s timeout"),
        "{}",
        out.stdout
    );
    let pids: Vec<u32> = std::fs::read_to_string(&pids)
        .expect("the loader wrote its pids")
        .lines()
        .map(|l| l.trim().parse().expect("pid"))
        .collect();
    assert_eq!(pids.len(), 2, "loader and grandchild: {pids:?}");
    // Reparented zombies are reaped by init shortly after the run ends.
    std::thread::sleep(Duration::from_millis(200));
    for pid in pids {
        assert!(!alive(pid), "process {pid} outlived the run");
    }
}

/// Whether a live `sleep ARG` exists (found by its unique argument, not by pid: the
/// pid space of a busy machine can wrap within a test), allowing it a moment to die.
fn sleeper_alive(arg: &str) -> bool {
    let wanted = format!("sleep\0{arg}\0");
    let alive = || {
        std::fs::read_dir("/proc")
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| {
                let cmdline = std::fs::read(e.path().join("cmdline")).unwrap_or_default();
                let stat = std::fs::read_to_string(e.path().join("stat")).unwrap_or_default();
                let state = stat.rsplit(')').next().unwrap_or("").trim_start();
                cmdline == wanted.as_bytes() && !state.starts_with(['Z', 'X'])
            })
    };
    (0..100).all(|_| {
        let still = alive();
        if still {
            std::thread::sleep(Duration::from_millis(20));
        }
        still
    })
}

#[test]
#[cfg(target_os = "linux")]
fn descendants_that_called_setsid_do_not_outlive_the_run() {
    // A loader that daemonizes a helper (setsid, so the process-group kill misses it),
    // once hanging until the timeout and once exiting at once, orphaning the helper.
    for (i, (tail, timeout)) in [("wait", "1s"), ("exit 0", "30s")].iter().enumerate() {
        let arg = format!("300.{}{i}", std::process::id());
        let script = format!("setsid sleep {arg} >/dev/null 2>&1 & {tail}");
        let roundtrip = format!("sh -c '{script}' sh {{snapshot}}");
        let started = Instant::now();
        let out = common::run(&[
            "snapshot",
            "--schema",
            "fixtures/bad/good/schema.json",
            "--snapshots",
            "fixtures/bad/good/snapshot.json",
            "--roundtrip",
            &roundtrip,
            "--timeout",
            timeout,
        ]);
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{:?}",
            started.elapsed()
        );
        assert!(!out.stdout.contains("panicked"), "{}", out.stdout);
        assert!(
            !sleeper_alive(&arg),
            "{tail}: the setsid helper outlived the run"
        );
    }
}
