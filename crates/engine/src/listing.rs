//! `safety-gate gates --config FILE`: the gate instances a config defines, each with its
//! mode, its baselines, the results it reads and the command that produces them.

use std::path::PathBuf;

use crate::config::Config;

/// One configured gate instance, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// `kind/name`.
    pub label: String,
    /// `enforce`, `warn` or `off`.
    pub mode: &'static str,
    /// Its baseline files (or folders).
    pub baselines: Vec<PathBuf>,
    /// The files and globs it reads as current results.
    pub results: Vec<String>,
    /// Its producer, as a command line.
    pub run: Option<String>,
}

/// Every instance of `config`, in run order.
pub fn list(config: &mut Config) -> Vec<Listed> {
    config
        .instances_mut()
        .into_iter()
        .map(|gate| Listed {
            label: gate.label(),
            mode: gate.mode().as_str(),
            results: gate.result_files(),
            run: gate.producer().map(|p| p.shown()),
            baselines: crate::missing::baseline_paths(gate),
        })
        .collect()
}

/// The listing as text: a line per gate, then an indented line per input.
pub fn render(listed: &[Listed]) -> String {
    let width = listed.iter().map(|l| l.label.len()).max().unwrap_or(0);
    let mut out = String::new();
    for gate in listed {
        out.push_str(&format!("{:<width$}  {}\n", gate.label, gate.mode));
        for baseline in &gate.baselines {
            out.push_str(&format!("    baseline  {}\n", baseline.display()));
        }
        for result in &gate.results {
            out.push_str(&format!("    reads     {result}\n"));
        }
        if let Some(run) = &gate.run {
            out.push_str(&format!("    run       {run}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_gate_with_its_baselines_results_and_producer() {
        let mut config = crate::config::parse(
            std::path::Path::new("ci/safety-gate.toml"),
            "[[snapshot]]\nname = \"s\"\nschema = \"s.json\"\nsnapshots = [\"snap/*.json\"]\n\
             hashes = \"h.json\"\n\
             [[perf]]\nname = \"tick\"\nbaseline = \"../b/t.json\"\ncurrent = \"out/t.json\"\n\
             mode = \"warn\"\nrun = [\"python3\", \"bench tick.py\"]\n",
        )
        .expect("config");
        let text = render(&list(&mut config));
        assert_eq!(
            text,
            "perf/tick   warn\n    baseline  b/t.json\n    reads     ci/out/t.json\n    \
             run       python3 'bench tick.py'\n\
             snapshot/s  enforce\n    baseline  ci/h.json\n    reads     ci/s.json\n"
        );
    }
}
