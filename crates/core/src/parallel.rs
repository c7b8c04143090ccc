//! Running independent work (loaders, producers) on up to `jobs` threads, with results
//! in the order of the input: output stays the same whatever the number of jobs and
//! whichever item finishes first.

use std::num::NonZeroUsize;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// How many items may run at once: at least one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Jobs(NonZeroUsize);

impl Jobs {
    /// One at a time.
    pub const SERIAL: Jobs = Jobs(NonZeroUsize::MIN);

    /// `n` at a time; `None` for zero.
    pub fn new(n: usize) -> Option<Jobs> {
        NonZeroUsize::new(n).map(Jobs)
    }

    /// As many as the machine has cores available to this process (one when unknown).
    pub fn available() -> Jobs {
        std::thread::available_parallelism().map_or(Jobs::SERIAL, Jobs)
    }

    /// The number.
    pub fn get(self) -> usize {
        self.0.get()
    }
}

impl Default for Jobs {
    /// One at a time: a library caller opts into threads.
    fn default() -> Self {
        Jobs::SERIAL
    }
}

impl<'de> serde::Deserialize<'de> for Jobs {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let n = u64::deserialize(deserializer)?;
        usize::try_from(n).ok().and_then(Jobs::new).ok_or_else(|| {
            serde::de::Error::custom(format!("jobs = {n}: at least 1 job is needed"))
        })
    }
}

impl std::fmt::Display for Jobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// `f` applied to every item, on up to `jobs` threads (never more threads than
/// items), returned in the order of `items`. With one job, or one item, everything
/// runs on the calling thread. A panic in `f` is propagated once every thread has
/// stopped.
pub fn map<T: Sync, R: Send>(items: &[T], jobs: Jobs, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = jobs.get().min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let result = f(item);
                    *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
                }
            });
        }
    });
    slots
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .expect("every item was taken by a thread that finished")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn results_keep_the_input_order_whatever_finishes_first() {
        let items: Vec<u64> = (0..16).collect();
        for jobs in [1, 2, 3, 16, 64] {
            let out = map(&items, Jobs::new(jobs).expect("jobs"), |&i| {
                // Later items finish first.
                std::thread::sleep(Duration::from_millis(16 - i));
                i * 10
            });
            assert_eq!(
                out,
                items.iter().map(|i| i * 10).collect::<Vec<_>>(),
                "jobs {jobs}"
            );
        }
        assert!(map(&[] as &[u8], Jobs::available(), |_| 1).is_empty());
    }

    #[test]
    fn at_most_jobs_items_run_at_once() {
        let running = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let items = [(); 12];
        map(&items, Jobs::new(3).expect("3"), |_| {
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(20));
            running.fetch_sub(1, Ordering::SeqCst);
        });
        assert!(most.load(Ordering::SeqCst) <= 3);
    }

    #[test]
    fn items_run_side_by_side_with_more_than_one_job() {
        // Each item waits (up to a generous bound) until another one is running too:
        // with two jobs, two items are seen at once.
        let running = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        map(&[(); 2], Jobs::new(2).expect("2"), |_| {
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            let start = Instant::now();
            while running.load(Ordering::SeqCst) < 2 && start.elapsed() < Duration::from_secs(10) {
                std::thread::sleep(Duration::from_millis(1));
            }
            most.fetch_max(running.load(Ordering::SeqCst), Ordering::SeqCst);
        });
        assert_eq!(most.load(Ordering::SeqCst), 2);
        assert_eq!(Jobs::new(0), None);
        assert_eq!(Jobs::default(), Jobs::SERIAL);
    }
}
