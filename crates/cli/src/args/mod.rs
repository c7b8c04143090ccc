//! Command-line arguments (clap derive): one file per command group. Every ad-hoc gate
//! flag has a config key; each gate's flags live in its own file and implement
//! [`AdHoc`], and one line in [`GateCommand`] makes them a subcommand.

use clap::{Parser, Subcommand};
use safety_gate_core::{Gate, exit_code};
use std::path::Path;

mod characterization;
mod check;
mod ci;
mod findings;
mod output;
mod perf;
mod setup;
mod snapshot;

pub use characterization::CharacterizationArgs;
pub use check::CheckArgs;
pub use ci::{BaselineCommand, HistoryCommand, HookCommand, HookInstallArgs, HookPrePushArgs};
pub use output::{ColorChoice, OutputArgs};
pub use perf::PerfArgs;
pub use setup::{CompletionsArgs, ConfigCommand, GatesArgs, InitArgs};
pub use snapshot::SnapshotArgs;

const EXAMPLES: &str = "\
Examples:
  safety-gate init                                write a config for this project's tests and benchmarks
  safety-gate check                               run every gate in ./safety-gate.toml
  safety-gate check --config ci/safety-gate.toml --junit out/gates.xml
  safety-gate check --gate tick --baseline-ref origin/main --rollback-report rollback.md
  safety-gate check --history nightly.jsonl       append to the history; fail on slow drift
  safety-gate hook install --gate tick            run the tick gate before every push
  safety-gate baseline accept --dry-run           show what accepting the results would change
  safety-gate perf --baseline baselines/perf.json --current perf.json \\
      --metric tick_ms=/tick_performance/average_tick_ms \\
      --metric tps=/tick_performance/throughput_ticks_per_second:higher
  safety-gate perf --baseline base.log --current run.log --format kv --metric average_tick_seconds
  safety-gate characterization --results 'reports/junit-*.xml' \\
      --expected baselines/characterization/expected-tests.txt
  safety-gate characterization --baseline golden/metrics.json --current out/metrics.json \\
      --tolerance '/metrics/*_rate=rel:1e-9' --ignore /generated_at
  safety-gate snapshot --schema schemas/state.schema.json --snapshots 'baselines/snapshot/*.json' \\
      --previous-schema 'baselines/snapshot/schemas/*.json' --compatibility backward \\
      --roundtrip \"python3 tools/load.py {snapshot}\" --timeout 60s --hashes baselines/snapshot/hashes.json
  safety-gate perf --baseline baselines/hyperfine.json --current hyperfine.json --alpha 0.2
  safety-gate perf --baseline baselines/criterion --current target/criterion";

/// Decides in CI whether a change must be rolled back.
#[derive(Debug, Parser)]
#[command(name = "safety-gate", version, about, long_about = None)]
#[command(after_help = format!("{}\n\n{}", exit_code::HELP, EXAMPLES))]
pub struct Args {
    /// What to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Look through the project and write a commented safety-gate.toml for what it holds.
    Init(InitArgs),
    /// Run every gate configured in safety-gate.toml.
    Check(CheckArgs),
    /// One gate, from flags instead of a config.
    #[command(flatten)]
    Gate(GateCommand),
    /// List the gate kinds this build knows, or with --config the configured gates and
    /// their inputs.
    Gates(GatesArgs),
    /// The config file's JSON Schema.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Print a shell completion script: `safety-gate completions bash > ...`.
    Completions(CompletionsArgs),
    /// Print the man page (roff): `safety-gate man > safety-gate.1`.
    Man,
    /// Install the pre-push hook.
    #[command(subcommand)]
    Hook(HookCommand),
    /// Manage baselines.
    #[command(subcommand)]
    Baseline(BaselineCommand),
    /// Inspect the nightly history.
    #[command(subcommand)]
    History(HistoryCommand),
}

/// The flags of a gate run without a config: they stand for one `[[kind]]` table.
pub trait AdHoc {
    /// The gate they run.
    type Gate: Gate;
    /// The report options.
    fn output(&self) -> &OutputArgs;
    /// The config table these flags stand for (mode `enforce`, paths from the current
    /// folder).
    fn to_config(&self) -> <Self::Gate as Gate>::Config;
    /// How to create `baseline`, one of the gate's baseline files, when it is missing.
    fn missing_baseline_hint(&self, baseline: &Path) -> String;
}

/// Generates [`GateCommand`] (one subcommand per gate that has ad-hoc flags) and its
/// dispatch from `Variant(FlagsType)` lines.
macro_rules! gate_commands {
    ($($(#[$doc:meta])* $variant:ident($args:ty),)+) => {
        /// The gates that run from flags alone.
        #[derive(Debug, Subcommand)]
        pub enum GateCommand {
            $($(#[$doc])* $variant($args),)+
        }

        impl GateCommand {
            /// Runs the gate with `run`, whatever its kind.
            pub fn dispatch<R>(&self, run: impl AdHocRunner<R>) -> R {
                match self {
                    $(GateCommand::$variant(args) => run.run(args),)+
                }
            }
        }
    };
}

/// What runs an ad-hoc gate, generic over its flags.
pub trait AdHocRunner<R> {
    /// Runs the gate these flags stand for.
    fn run<A: AdHoc>(self, args: &A) -> R;
}

gate_commands! {
    /// Run the performance gate on two files, without a config.
    Perf(PerfArgs),
    /// Run the characterization gate: strict JUnit validation and golden-file drift.
    Characterization(CharacterizationArgs),
    /// Run the snapshot-compatibility gate on a schema and snapshots, without a config.
    Snapshot(SnapshotArgs),
    /// Run the findings gate: no new linter or scanner findings (SARIF, ruff, mypy).
    Findings(findings::FindingsArgs),
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn args_are_consistent() {
        Args::command().debug_assert();
    }

    /// Every registered gate kind that has ad-hoc flags is a subcommand of its name.
    #[test]
    fn ad_hoc_subcommands_are_named_for_their_gate() {
        let command = Args::command();
        let names: Vec<&str> = command.get_subcommands().map(|c| c.get_name()).collect();
        for gate in safety_gate_engine::GATES {
            assert!(names.contains(&gate.kind), "no `{}` subcommand", gate.kind);
        }
    }
}
