//! Commands the snapshot gate runs (round trip, hash command) leave nothing behind:
//! run through the real binary, a loader that hangs and forks a grandchild is killed
//! with its whole process group at the timeout, and neither process outlives the run.

mod common;

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
