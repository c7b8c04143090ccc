//! Baseline handling of the perf gate: the baseline file for `--baseline-ref`, the
//! current results copied over it by `baseline accept`, and each metric's direction
//! for the nightly drift check.

use globset::Glob;
use safety_gate_core::InputError;
use safety_gate_core::baselines::{BaselineUpdate, Baselines, Better};
use safety_gate_core::inputs::read_bytes;
use std::path::PathBuf;

use crate::config::PerfConfig;
use crate::formats::{self, Format, ReadOptions};
use crate::model::Direction;

impl Baselines for PerfConfig {
    fn baseline_files_mut(&mut self) -> Vec<&mut PathBuf> {
        vec![&mut self.baseline]
    }

    /// The current file becomes the baseline. Results are read first, so that a file
    /// the gate could not compare is never promoted. Shards of `kv` logs are joined;
    /// JSON shards cannot be merged into one document, so they are refused.
    fn accept(&self) -> Result<Vec<BaselineUpdate>, InputError> {
        let mut contents = Vec::new();
        let mut chosen = Vec::new();
        for path in &self.current {
            let options = ReadOptions {
                metrics: &self.metrics,
                criterion_dir: "new",
                statistic: self.statistic,
            };
            let (_, format) = formats::read(path, self.format, options)?;
            chosen.push(format);
            let mut bytes = read_bytes(path, safety_gate_core::limits::max_input_bytes())?;
            if !bytes.ends_with(b"\n") && self.current.len() > 1 {
                bytes.push(b'\n');
            }
            contents.extend(bytes);
        }
        if self.current.len() > 1 && chosen.iter().any(|f| *f != Format::Kv) {
            return Err(InputError::malformed(
                &self.current[0],
                None,
                None,
                format!(
                    "gate `{}` reads {} JSON shards, which cannot be joined into one baseline; \
                     accept one shard at a time or merge them first",
                    self.name,
                    self.current.len()
                ),
            ));
        }
        let source = self
            .current
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(" + ");
        Ok(vec![BaselineUpdate {
            target: self.baseline.clone(),
            source,
            contents,
        }])
    }

    /// The metric's own direction, else the first matching override's.
    fn better(&self, check_id: &str) -> Option<Better> {
        let from_metric = self
            .metrics
            .iter()
            .find(|m| m.name == check_id)
            .map(|m| m.direction);
        let from_override = || {
            self.overrides.iter().find_map(|o| {
                let glob = Glob::new(&o.pattern).ok()?.compile_matcher();
                glob.is_match(check_id).then_some(o.direction).flatten()
            })
        };
        from_override()
            .or(from_metric)
            .map(|direction| match direction {
                Direction::Lower => Better::Lower,
                Direction::Higher => Better::Higher,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::MetricSpec;

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
        let updates = config(dir.path(), vec![a.clone()])
            .accept()
            .expect("accept");
        assert_eq!(updates[0].target, dir.path().join("base.txt"));
        assert_eq!(updates[0].contents, b"tick=1.5");
        let mut shards = config(dir.path(), vec![a, b]);
        shards.metrics.clear();
        let updates = shards.accept().expect("accept");
        assert_eq!(updates[0].contents, b"tick=1.5\nother=2\n");
    }

    #[test]
    fn unreadable_current_is_not_promoted() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = config(dir.path(), vec![dir.path().join("missing.txt")])
            .accept()
            .expect_err("missing");
        assert!(err.to_string().contains("missing.txt"), "{err}");
    }

    #[test]
    fn direction_comes_from_override_then_metric() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut c = config(dir.path(), vec![]);
        assert_eq!(c.better("tick"), Some(Better::Lower));
        assert_eq!(c.better("unknown"), None);
        c.overrides.push(crate::config::Override {
            pattern: "ti*".into(),
            threshold: None,
            direction: Some(Direction::Higher),
        });
        assert_eq!(c.better("tick"), Some(Better::Higher));
    }
}
