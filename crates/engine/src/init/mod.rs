//! `safety-gate init`: from a project folder to a config that means something. It looks
//! for what the gates can judge ([`detect`]), writes a commented `safety-gate.toml` for it
//! ([`render`]), checks that the config loads, and says what to run next.

mod detect;
mod render;

pub use detect::{Findings, detect};
pub use render::{BENCHMARK_REPORT, JUNIT_REPORT, Rendered, render};

use std::path::Path;

use crate::config;

/// What `init` would write.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The config.
    pub config: Rendered,
    /// What it was made from.
    pub findings: Findings,
}

/// The config for the project at `root`, to be written to `config_path`. Errors when
/// nothing was found to gate, or (a defect) when the config written would not load.
pub fn plan(root: &Path, config_path: &Path) -> Result<Plan, String> {
    let findings = detect(root);
    if findings.is_empty() {
        return Err(format!(
            "found nothing to gate in {}: no pytest suite (test_*.py), no benchmark results \
             (pytest-benchmark, criterion, hyperfine, Google Benchmark JSON), no JUnit XML \
             report and no *.schema.json; run your tests or benchmarks once so their results \
             are on disk, or write the config by hand (see the README)",
            root.display()
        ));
    }
    let config = render(&findings);
    config::parse(config_path, &config.text)
        .map_err(|e| format!("the config init wrote does not load, which is a bug: {e}"))?;
    Ok(Plan { config, findings })
}

/// What to do after writing the config at `config_path` (shown as given).
pub fn next_steps(config_path: &Path, plan: &Plan) -> String {
    let flag = crate::check::config_flag(config_path);
    let producers = plan.findings.pytest_tests.len() + usize::from(plan.findings.criterion);
    let produce = if producers > 0 {
        "run the gates' commands and record their results as the first baselines"
    } else {
        "record the current results as the first baselines"
    };
    format!(
        "wrote {} with {} gate(s): {}\n\
         next:\n\
         \x20 safety-gate baseline accept{flag}    {produce}\n\
         \x20 safety-gate check{flag}              produce, then judge: passes until something regresses\n\
         \x20 git add {} baselines/           commit the config and the baselines\n\
         \x20 safety-gate hook install{flag}       judge every push before it leaves\n\
         \x20 in GitHub Actions:\n\
         \x20     - uses: safety-gate/safety-gate@v{}\n\
         \x20       with:\n\
         \x20         config: {}\n",
        config_path.display(),
        plan.config.gates.len(),
        plan.config.gates.join(", "),
        config_path.display(),
        env!("CARGO_PKG_VERSION"),
        config_path.display(),
    )
}

#[cfg(test)]
mod tests;
