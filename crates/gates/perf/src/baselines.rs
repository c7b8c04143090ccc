//! Baseline handling of the perf gate: the current results copied over the baseline
//! by `baseline accept`, and each metric's direction for the nightly drift check.

use globset::Glob;
use safety_gate_core::baselines::BaselineUpdate;
use safety_gate_core::inputs::read_bytes;
use safety_gate_core::{Direction, InputError, RunContext};

use crate::config::PerfConfig;
use crate::formats::{self, Format, ReadOptions};

/// The current file becomes the baseline. Results are read first, so that a file the
/// gate could not compare is never promoted. Shards of `kv` logs are joined; JSON
/// shards cannot be merged into one document, so they are refused.
pub(crate) fn accept(
    config: &PerfConfig,
    ctx: &RunContext,
) -> Result<Vec<BaselineUpdate>, InputError> {
    let mut contents = Vec::new();
    let mut chosen = Vec::new();
    let max_bytes = ctx.limits.max_bytes();
    for path in &config.current {
        let options = ReadOptions {
            metrics: &config.metrics,
            criterion_dir: "new",
            max_bytes,
            statistic: config.statistic,
        };
        let (_, format) = formats::read(path, config.format, options)?;
        chosen.push(format);
        let mut bytes = read_bytes(path, max_bytes)?;
        if !bytes.ends_with(b"\n") && config.current.len() > 1 {
            bytes.push(b'\n');
        }
        contents.extend(bytes);
    }
    if config.current.len() > 1 && chosen.iter().any(|f| *f != Format::Kv) {
        return Err(InputError::malformed(
            &config.current[0],
            None,
            None,
            format!(
                "gate `{}` reads {} JSON shards, which cannot be joined into one baseline; \
                 accept one shard at a time or merge them first",
                config.name,
                config.current.len()
            ),
        ));
    }
    Ok(vec![BaselineUpdate {
        target: config.baseline.clone(),
        source: BaselineUpdate::sources(&config.current),
        contents,
    }])
}

/// The first matching override's direction, else the metric's own.
pub(crate) fn direction(config: &PerfConfig, check_id: &str) -> Option<Direction> {
    let from_metric = config
        .metrics
        .iter()
        .find(|m| m.name == check_id)
        .map(|m| m.direction);
    let from_override = || {
        config.overrides.iter().find_map(|o| {
            let glob = Glob::new(&o.pattern).ok()?.compile_matcher();
            glob.is_match(check_id).then_some(o.direction).flatten()
        })
    };
    from_override().or(from_metric)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::MetricSpec;
    use std::path::PathBuf;

    fn ctx() -> RunContext {
        RunContext::default()
    }

    fn config(dir: &std::path::Path, current: Vec<PathBuf>) -> PerfConfig {
        let mut config = PerfConfig::new("t", dir.join("base.txt"), current);
        config.format = Format::Kv;
        config.metrics = vec!["tick".parse::<MetricSpec>().expect("spec")];
        config
    }

    #[test]
    fn accept_copies_current_and_joins_kv_shards() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = dir.path().join("a.txt");
        let b = dir.path().join("b.txt");
        std::fs::write(&a, "tick=1.5").expect("write");
        std::fs::write(&b, "other=2\n").expect("write");
        let updates = accept(&config(dir.path(), vec![a.clone()]), &ctx()).expect("accept");
        assert_eq!(updates[0].target, dir.path().join("base.txt"));
        assert_eq!(updates[0].contents, b"tick=1.5");
        let mut shards = config(dir.path(), vec![a, b]);
        shards.metrics.clear();
        let updates = accept(&shards, &ctx()).expect("accept");
        assert_eq!(updates[0].contents, b"tick=1.5\nother=2\n");
    }

    #[test]
    fn unreadable_current_is_not_promoted() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = accept(
            &config(dir.path(), vec![dir.path().join("missing.txt")]),
            &ctx(),
        )
        .expect_err("missing");
        assert!(err.to_string().contains("missing.txt"), "{err}");
    }

    #[test]
    fn direction_comes_from_override_then_metric() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut c = config(dir.path(), vec![]);
        assert_eq!(direction(&c, "tick"), Some(Direction::Lower));
        assert_eq!(direction(&c, "unknown"), None);
        c.overrides.push(crate::config::Override {
            pattern: "ti*".into(),
            threshold: None,
            direction: Some(Direction::Higher),
        });
        assert_eq!(direction(&c, "tick"), Some(Direction::Higher));
    }
}
