//! The `run` key of a gate table: the command that produces the gate's current results
//! (`run = ["pytest", "--junitxml=reports/junit.xml"]`). `safety-gate check` runs it
//! before the gate reads its files, so a check means "produce, then judge"; a result
//! file older than the start of that run is an error, never a pass.
//!
//! ```toml
//! run = ["pytest", "-q", "--benchmark-json=reports/benchmark.json"]
//! # or, with a time limit and the exit codes that mean the results were written:
//! run = { command = ["pytest", "-q"], timeout = "20m", exit_codes = [0, 1] }
//! ```

use serde::{Deserialize, Deserializer};
use std::time::Duration;

use crate::duration::TimeLimit;

/// How long a producer may run by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// A command that writes a gate's current results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Producer {
    /// The command, as argv: run without a shell, in the config file's folder.
    pub argv: Vec<String>,
    /// Time limit; the whole process group is killed past it.
    pub timeout: Duration,
    /// Exit codes that mean the command did its job (default: 0 only).
    pub exit_codes: Vec<i32>,
}

impl Producer {
    /// A producer with the default time limit and exit codes.
    pub fn new(argv: Vec<String>) -> Self {
        Producer {
            argv,
            timeout: DEFAULT_TIMEOUT,
            exit_codes: vec![0],
        }
    }

    /// The command as a person would type it, for messages.
    pub fn shown(&self) -> String {
        shlex::try_join(self.argv.iter().map(String::as_str))
            .unwrap_or_else(|_| self.argv.join(" "))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    command: Vec<String>,
    #[serde(default)]
    timeout: Option<TimeLimit>,
    #[serde(default)]
    exit_codes: Option<Vec<i32>>,
}

impl<'de> Deserialize<'de> for Producer {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let value = toml::Value::deserialize(d)?;
        let producer = match value {
            toml::Value::Array(_) => {
                Producer::new(Vec::<String>::deserialize(value).map_err(|e| {
                    D::Error::custom(format!("in `run`: {}", e.to_string().trim_end()))
                })?)
            }
            toml::Value::Table(_) => {
                let table = Table::deserialize(value).map_err(|e| {
                    D::Error::custom(format!("in `run`: {}", e.to_string().trim_end()))
                })?;
                Producer {
                    argv: table.command,
                    timeout: table.timeout.map_or(DEFAULT_TIMEOUT, TimeLimit::get),
                    exit_codes: table.exit_codes.unwrap_or_else(|| vec![0]),
                }
            }
            toml::Value::String(text) => {
                let words = shlex::split(&text).unwrap_or_else(|| vec![text.clone()]);
                let list: Vec<String> = words.iter().map(|w| format!("{w:?}")).collect();
                return Err(D::Error::custom(format!(
                    "`run` is a command as a list of words, never run through a shell: \
                     write run = [{}]",
                    list.join(", ")
                )));
            }
            other => {
                return Err(D::Error::custom(format!(
                    "`run` is a list of words or a table, not {}: write run = [\"pytest\", \"-q\"] \
                     or run = {{ command = [\"pytest\", \"-q\"], timeout = \"20m\" }}",
                    other.type_str()
                )));
            }
        };
        if producer.argv.is_empty() || producer.argv[0].trim().is_empty() {
            return Err(D::Error::custom("`run` names no program"));
        }
        if producer.exit_codes.is_empty() {
            return Err(D::Error::custom(
                "`exit_codes` is empty: no run could succeed",
            ));
        }
        Ok(producer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Gate {
        run: Producer,
    }

    fn parse(text: &str) -> Result<Producer, String> {
        toml::from_str::<Gate>(text)
            .map(|g| g.run)
            .map_err(|e| e.message().to_string())
    }

    #[test]
    fn a_list_or_a_table() {
        let p = parse("run = [\"pytest\", \"-q\"]").expect("list");
        assert_eq!(p, Producer::new(vec!["pytest".into(), "-q".into()]));
        let p = parse(
            "run = { command = [\"hyperfine\", \"x\"], timeout = \"5m\", exit_codes = [0, 1] }",
        )
        .expect("table");
        assert_eq!(p.timeout, Duration::from_secs(300));
        assert_eq!(p.exit_codes, [0, 1]);
        assert_eq!(p.shown(), "hyperfine x");
        let spaced = Producer::new(vec!["python3".into(), "my bench.py".into()]);
        assert_eq!(spaced.shown(), "python3 'my bench.py'");
    }

    #[test]
    fn mistakes_say_what_to_write() {
        let err = parse("run = \"pytest -q 'a b'\"").expect_err("string");
        assert!(
            err.ends_with("write run = [\"pytest\", \"-q\", \"a b\"]"),
            "{err}"
        );
        assert!(parse("run = []").expect_err("empty").contains("no program"));
        assert!(
            parse("run = 3")
                .expect_err("number")
                .contains("not integer")
        );
        let err = parse("run = { command = [\"x\"], timeout = 30 }").expect_err("bare timeout");
        assert!(err.contains("write \"30s\""), "{err}");
        let err = parse("run = { command = [\"x\"], timout = \"1s\" }").expect_err("typo");
        assert!(err.contains("timout"), "{err}");
        assert!(parse("run = { command = [\"x\"], exit_codes = [] }").is_err());
    }
}
