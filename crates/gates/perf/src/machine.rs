//! The machine each side was measured on, from what the benchmark tools record: pyperf's
//! metadata (`cpu_model_name`, `cpu_count`, `hostname`), pytest-benchmark's
//! `machine_info` (`cpu.brand_raw`, `cpu.count`, `machine`, `node`), Google Benchmark's
//! `context` (`num_cpus`, `mhz_per_cpu`, `caches`, `host_name`) and the `cpu:`, `goarch:`
//! header of `go test -bench`. Comparing a laptop's baseline with a CI runner's results
//! is the most common way a perf gate lies.
//!
//! The CPU decides: two runners of one type have different host names (CI runners are
//! created per job) and the same timings, so the host name counts only when a side does
//! not name its CPU. Google Benchmark names no CPU model; its core count, clock and cache
//! sizes stand for it.

use safety_gate_core::{Check, Status};
use serde::Deserialize;
use serde_json::Value;
use std::path::Path;

use crate::formats::Format;

/// What a difference of machines between the sides does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum MachineMismatch {
    /// A warning check: the run can still pass.
    #[default]
    Warn,
    /// An error check: the gate cannot decide (exit 2 unless it also fails).
    Error,
    /// Not checked.
    Ignore,
}

impl MachineMismatch {
    /// The name used in config, flags and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            MachineMismatch::Warn => "warn",
            MachineMismatch::Error => "error",
            MachineMismatch::Ignore => "ignore",
        }
    }
}

impl std::str::FromStr for MachineMismatch {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "warn" => Ok(MachineMismatch::Warn),
            "error" => Ok(MachineMismatch::Error),
            "ignore" => Ok(MachineMismatch::Ignore),
            other => Err(format!(
                "machine_mismatch `{other}` must be `warn`, `error` or `ignore`"
            )),
        }
    }
}

/// What a results file says about its machine; every field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Machine {
    /// CPU model, or a stand-in for it.
    pub cpu: Option<String>,
    /// Logical CPUs.
    pub cores: Option<u64>,
    /// Architecture (`x86_64`, `arm64`).
    pub arch: Option<String>,
    /// Host name.
    pub host: Option<String>,
}

impl Machine {
    /// Whether nothing was found.
    fn is_empty(&self) -> bool {
        *self == Machine::default()
    }

    /// The fields that tell the two machines apart, as `(name, baseline, current)`.
    pub fn differences(&self, other: &Machine) -> Vec<(&'static str, String, String)> {
        let mut out = Vec::new();
        let mut compare = |name, a: Option<String>, b: Option<String>| {
            if let (Some(a), Some(b)) = (a, b) {
                if a != b {
                    out.push((name, a, b));
                }
            }
        };
        compare("cpu", self.cpu.clone(), other.cpu.clone());
        compare(
            "cores",
            self.cores.map(|c| c.to_string()),
            other.cores.map(|c| c.to_string()),
        );
        compare("arch", self.arch.clone(), other.arch.clone());
        if self.cpu.is_none() || other.cpu.is_none() {
            compare("host", self.host.clone(), other.host.clone());
        }
        out
    }
}

/// The machine a results file names, when its format records one and it can be read
/// within `max_bytes`. Folders (criterion trees) and other formats give `None`.
pub fn read(path: &Path, format: Format, max_bytes: u64) -> Option<Machine> {
    if path.is_dir() {
        return None;
    }
    let bytes = safety_gate_core::inputs::read_bytes(path, max_bytes).ok()?;
    let machine = match format {
        Format::Pyperf | Format::PytestBenchmark | Format::GoogleBenchmark => {
            let header: Header = serde_json::from_slice(&bytes).ok()?;
            from_header(format, &header)
        }
        Format::GoBench => from_go_header(&String::from_utf8_lossy(&bytes)),
        _ => Machine::default(),
    };
    (!machine.is_empty()).then_some(machine)
}

/// The top-level keys that hold machine information; the rest of the file is skipped.
#[derive(Deserialize)]
struct Header {
    #[serde(default)]
    metadata: Value,
    #[serde(default)]
    machine_info: Value,
    #[serde(default)]
    context: Value,
}

fn from_header(format: Format, header: &Header) -> Machine {
    let text = |v: &Value| {
        v.as_str()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    match format {
        Format::Pyperf => {
            let meta = &header.metadata;
            Machine {
                cpu: text(&meta["cpu_model_name"]),
                cores: meta["cpu_count"].as_u64(),
                arch: None,
                host: text(&meta["hostname"]),
            }
        }
        Format::PytestBenchmark => {
            let info = &header.machine_info;
            Machine {
                cpu: text(&info["cpu"]["brand_raw"]).or_else(|| text(&info["cpu"]["brand"])),
                cores: info["cpu"]["count"].as_u64(),
                arch: text(&info["machine"]),
                host: text(&info["node"]),
            }
        }
        _ => {
            let context = &header.context;
            Machine {
                cpu: google_signature(context),
                cores: context["num_cpus"].as_u64(),
                arch: None,
                host: text(&context["host_name"]),
            }
        }
    }
}

/// Google Benchmark's stand-in for a CPU model: the clock and the cache sizes.
fn google_signature(context: &Value) -> Option<String> {
    let mhz = context["mhz_per_cpu"].as_u64()?;
    let caches: Vec<String> = context["caches"]
        .as_array()
        .map(|caches| {
            caches
                .iter()
                .filter_map(|c| {
                    let level = c["level"].as_u64()?;
                    let kind = c["type"].as_str()?.chars().next()?;
                    let size = c["size"].as_u64()?;
                    Some(format!("L{level}{kind} {}K", size / 1024))
                })
                .collect()
        })
        .unwrap_or_default();
    Some(if caches.is_empty() {
        format!("{mhz} MHz")
    } else {
        format!("{mhz} MHz, {}", caches.join(" "))
    })
}

/// `go test -bench` prints `goos:`, `goarch:` and `cpu:` before its results.
fn from_go_header(text: &str) -> Machine {
    let field = |key: &str| {
        text.lines()
            .take_while(|l| !l.starts_with("Benchmark"))
            .find_map(|l| l.strip_prefix(key))
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    Machine {
        cpu: field("cpu:"),
        cores: None,
        arch: field("goarch:"),
        host: None,
    }
}

/// The gate's check on the two sides' machines, when they differ: a warning or an
/// error as configured, listing each difference. `None` when they agree, when a side
/// names no machine, or when the check is switched off.
pub fn check(
    policy: MachineMismatch,
    baseline: (&Path, Option<&Machine>),
    current: (&Path, Option<&Machine>),
) -> Option<Check> {
    let status = match policy {
        MachineMismatch::Warn => Status::Warn,
        MachineMismatch::Error => Status::Error,
        MachineMismatch::Ignore => return None,
    };
    let (Some(base), Some(cur)) = (baseline.1, current.1) else {
        return None;
    };
    let differences = base.differences(cur);
    if differences.is_empty() {
        return None;
    }
    let said: Vec<String> = differences
        .iter()
        .map(|(name, b, c)| format!("{name} `{b}` against `{c}`"))
        .collect();
    let message = format!(
        "the sides were measured on different machines ({}): timings from different \
         machines do not compare; measure the baseline where the current results run \
         (machine_mismatch = \"{}\")",
        said.join(", "),
        policy.as_str()
    );
    let details = [
        format!("baseline: {}", baseline.0.display()),
        format!("current: {}", current.0.display()),
    ];
    Some(
        Check::new("machine", status, message)
            .with_file(current.0)
            .with_details(details),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn header(value: Value) -> Header {
        serde_json::from_value(value).expect("header")
    }

    #[test]
    fn reads_each_tool_s_record() {
        let pyperf = header(json!({"benchmarks": [], "metadata": {
            "cpu_model_name": "Intel(R) Core(TM) i7-3520M CPU @ 2.90GHz", "cpu_count": 4,
            "hostname": "selma"}}));
        let m = from_header(Format::Pyperf, &pyperf);
        assert_eq!(
            m.cpu.as_deref(),
            Some("Intel(R) Core(TM) i7-3520M CPU @ 2.90GHz")
        );
        assert_eq!((m.cores, m.host.as_deref()), (Some(4), Some("selma")));
        let pytest = header(json!({"machine_info": {"node": "vm", "machine": "x86_64",
            "cpu": {"brand_raw": "AMD EPYC", "count": 2}}}));
        let m = from_header(Format::PytestBenchmark, &pytest);
        assert_eq!((m.cpu.as_deref(), m.cores), (Some("AMD EPYC"), Some(2)));
        let gb = header(json!({"context": {"host_name": "vm", "num_cpus": 2,
            "mhz_per_cpu": 1996, "caches": [{"type": "Data", "level": 1, "size": 32768}]}}));
        let m = from_header(Format::GoogleBenchmark, &gb);
        assert_eq!(m.cpu.as_deref(), Some("1996 MHz, L1D 32K"));
        let go =
            from_go_header("goos: linux\ngoarch: amd64\ncpu: AMD EPYC\nBenchmarkX-2 1 2 ns/op\n");
        assert_eq!(
            (go.cpu.as_deref(), go.arch.as_deref()),
            (Some("AMD EPYC"), Some("amd64"))
        );
    }

    #[test]
    fn the_cpu_decides_and_the_host_only_without_one() {
        let runner = |host: &str| Machine {
            cpu: Some("AMD EPYC 7763".into()),
            cores: Some(4),
            arch: None,
            host: Some(host.into()),
        };
        // Two CI runners of one type: different hosts, same machine.
        assert!(runner("fv-az1").differences(&runner("fv-az2")).is_empty());
        let laptop = Machine {
            cpu: Some("Apple M1".into()),
            cores: Some(8),
            ..runner("laptop")
        };
        let found = laptop.differences(&runner("fv-az1"));
        let names: Vec<&str> = found.iter().map(|d| d.0).collect();
        assert_eq!(names, ["cpu", "cores"]);
        let unnamed = Machine {
            cpu: None,
            ..runner("minibox")
        };
        assert_eq!(unnamed.differences(&runner("vm"))[0].0, "host");
        assert!(
            check(
                MachineMismatch::Ignore,
                (Path::new("b"), Some(&laptop)),
                (Path::new("c"), Some(&unnamed))
            )
            .is_none()
        );
        let warned = check(
            MachineMismatch::Warn,
            (Path::new("b"), Some(&laptop)),
            (Path::new("c"), Some(&runner("x"))),
        )
        .expect("a check");
        assert_eq!(warned.status, Status::Warn);
        assert!(
            warned
                .message
                .contains("`Apple M1` against `AMD EPYC 7763`"),
            "{}",
            warned.message
        );
        assert!(
            check(
                MachineMismatch::Error,
                (Path::new("b"), None),
                (Path::new("c"), Some(&laptop))
            )
            .is_none()
        );
    }
}
