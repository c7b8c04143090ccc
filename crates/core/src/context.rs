//! What every gate needs beyond its own config table, passed to each run instead of
//! living in process-wide state: the input size limits, where baselines come from, the
//! clock, the folder relative paths were resolved against, and how many commands may
//! run at once.
//!
//! A test builds its own [`RunContext`] per call; two runs in one process with
//! different limits cannot see each other's settings.

use std::path::PathBuf;
use time::macros::format_description;
use time::{Date, OffsetDateTime};

use crate::limits::ByteSize;
use crate::parallel::Jobs;

/// Largest input read by default (1 GiB); larger files are refused with a clear error.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 1 << 30;

/// Everything a gate run depends on besides its config.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunContext {
    /// How large an input file may be.
    pub limits: InputLimits,
    /// Where baseline files are read from.
    pub baselines: BaselineSource,
    /// The time of the run.
    pub clock: Clock,
    /// The config file's folder (relative paths in the config resolve against it); the
    /// current folder for ad-hoc runs.
    pub config_dir: PathBuf,
    /// How many commands (loaders, producers) a gate may run at once.
    pub jobs: Jobs,
}

/// Input size limits: `max_input_size` in the config or `--max-input-size`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputLimits {
    max_bytes: u64,
    explicit: bool,
}

impl Default for InputLimits {
    fn default() -> Self {
        InputLimits {
            max_bytes: DEFAULT_MAX_INPUT_BYTES,
            explicit: false,
        }
    }
}

impl InputLimits {
    /// The limits for a size chosen by flag or config, or the default when none was.
    pub fn new(max_input_size: Option<ByteSize>) -> Self {
        match max_input_size {
            Some(size) => InputLimits {
                max_bytes: size.bytes(),
                explicit: true,
            },
            None => InputLimits::default(),
        }
    }

    /// The largest file a reader that holds the whole file in memory reads.
    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    /// [`InputLimits::max_bytes`], never above `cap`: a reader's own bound for a kind
    /// of file that is small in practice (a manifest, a hashes file).
    pub fn capped(&self, cap: u64) -> u64 {
        self.max_bytes.min(cap)
    }

    /// The limit of a streaming reader, whose memory does not grow with the file: none
    /// by default, the chosen size when one was set.
    pub fn streamed(&self) -> Option<u64> {
        self.explicit.then_some(self.max_bytes)
    }
}

/// Where the baselines of a run come from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum BaselineSource {
    /// The files in the working tree, as configured.
    #[default]
    WorkingTree,
    /// The same paths at a git ref (`--baseline-ref origin/main`).
    GitRef(String),
}

/// The time of a run: the system clock, or a fixed instant for tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Clock {
    /// The system clock, read at each call.
    #[default]
    System,
    /// Always this instant.
    Fixed(OffsetDateTime),
}

impl Clock {
    /// The current instant, in UTC, to the second.
    pub fn now(&self) -> OffsetDateTime {
        let now = match self {
            Clock::System => OffsetDateTime::now_utc(),
            Clock::Fixed(at) => at.to_offset(time::UtcOffset::UTC),
        };
        now.replace_nanosecond(0).unwrap_or(now)
    }

    /// Today's date, UTC.
    pub fn today(&self) -> Date {
        self.now().date()
    }

    /// The current instant as `YYYY-MM-DDTHH:MM:SSZ`.
    pub fn rfc3339(&self) -> String {
        rfc3339(self.now())
    }
}

/// Formats an instant as `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds).
pub fn rfc3339(at: OffsetDateTime) -> String {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    at.to_offset(time::UtcOffset::UTC)
        .format(format)
        .unwrap_or_else(|_| at.unix_timestamp().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_default_to_one_gib_and_streaming_readers_take_only_a_chosen_limit() {
        let default = InputLimits::default();
        assert_eq!(default.max_bytes(), 1 << 30);
        assert_eq!(default.streamed(), None);
        assert_eq!(default.capped(1 << 20), 1 << 20);
        let chosen = InputLimits::new(Some(ByteSize::new(10)));
        assert_eq!(chosen.max_bytes(), 10);
        assert_eq!(chosen.streamed(), Some(10));
        assert_eq!(chosen.capped(1 << 20), 10);
    }

    #[test]
    fn formats_known_instants() {
        let at = |s: i64| rfc3339(OffsetDateTime::from_unix_timestamp(s).expect("in range"));
        assert_eq!(at(0), "1970-01-01T00:00:00Z");
        assert_eq!(at(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(at(1_798_761_599), "2026-12-31T23:59:59Z");
        let fixed = Clock::Fixed(OffsetDateTime::from_unix_timestamp(951_782_400).expect("ok"));
        assert_eq!(fixed.today().to_string(), "2000-02-29");
        assert!(Clock::System.rfc3339().ends_with('Z'));
    }
}
