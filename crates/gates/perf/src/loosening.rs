//! What a change loosens in a `[[perf]]` table against a trusted ref's (see
//! [`safety_gate_core::loosening`]). The table is destructured without `..`: a field
//! added to [`PerfConfig`] does not compile until it is compared here.

use safety_gate_core::{Loosening, Looser, Threshold};
use std::collections::BTreeMap;

use crate::config::{MissingPolicy, PerfConfig};
use crate::family::FamilyKind;
use crate::machine::MachineMismatch;

/// Each setting of `now` that lets more through than `was`.
pub fn loosenings(was: &PerfConfig, now: &PerfConfig) -> Vec<Loosening> {
    let PerfConfig {
        name: _,
        mode: _,
        baseline,
        current,
        format,
        threshold,
        // Compared by name below.
        metrics: _,
        overrides,
        missing,
        rollback: _,
        run: _,
        alpha,
        statistic,
        conservative,
        false_alarm_rate,
        family,
        machine_mismatch,
        criterion_baseline,
    } = now;
    let mut l = Looser::new();
    l.same("baseline", &was.baseline, baseline);
    l.same("current", &was.current, current);
    l.same("format", &was.format, format);
    l.at_most("threshold", &was.threshold, threshold);
    // Metrics by name: one dropped is no longer compared; each kept one keeps its
    // pointer and direction and lets no more through than before.
    let before: BTreeMap<&str, _> = metrics_by_name(was);
    let after: BTreeMap<&str, _> = metrics_by_name(now);
    for (name, (spec, limit)) in &before {
        let Some((new, new_limit)) = after.get(name) else {
            l.push("metrics removed", name, "none");
            continue;
        };
        l.same(
            &format!("metrics.{name}.pointer"),
            &spec.pointer,
            &new.pointer,
        );
        l.same(
            &format!("metrics.{name}.direction"),
            &spec.direction,
            &new.direction,
        );
        l.at_most(&format!("metrics.{name}.threshold"), limit, new_limit);
    }
    // Overrides apply by first match: any change to the list may widen a benchmark's
    // threshold or turn its direction.
    l.same("overrides", &was.overrides, overrides);
    l.ranked("missing", &was.missing, missing, |m| match m {
        MissingPolicy::Skip => 0,
        MissingPolicy::Error | MissingPolicy::Fail => 1,
    });
    l.at_least("alpha", &was.alpha, alpha);
    l.same("statistic", &was.statistic, statistic);
    l.switch("conservative", was.conservative, *conservative, true);
    l.at_least("false_alarm_rate", &was.false_alarm_rate, false_alarm_rate);
    l.ranked("family", &was.family, family, |f| match f {
        FamilyKind::Gate => 0,
        FamilyKind::Benchmark => 1,
    });
    l.ranked(
        "machine_mismatch",
        &was.machine_mismatch,
        machine_mismatch,
        |m| match m {
            MachineMismatch::Ignore => 0,
            MachineMismatch::Warn => 1,
            MachineMismatch::Error => 2,
        },
    );
    l.same(
        "criterion_baseline",
        &was.criterion_baseline,
        criterion_baseline,
    );
    l.into_vec()
}

/// Each metric with the threshold it is held to (its own, or the gate's).
fn metrics_by_name(config: &PerfConfig) -> BTreeMap<&str, (&crate::config::MetricSpec, Threshold)> {
    config
        .metrics
        .iter()
        .map(|m| {
            (
                m.name.as_str(),
                (m, m.threshold.unwrap_or(config.threshold)),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(extra: &str) -> PerfConfig {
        let text = format!(
            "name = \"t\"\nbaseline = \"b.json\"\ncurrent = \"c.json\"\n\
             metrics = [{{ name = \"tick_ms\", pointer = \"/t\" }}, {{ name = \"mem\", pointer = \"/m\" }}]\n{extra}"
        );
        toml::from_str(&text).expect("table")
    }

    fn settings(was: &str, now: &str) -> Vec<String> {
        loosenings(&table(was), &table(now))
            .into_iter()
            .map(|l| l.setting)
            .collect()
    }

    #[test]
    fn what_lets_more_through_is_reported_and_nothing_else() {
        assert!(settings("", "").is_empty());
        assert_eq!(
            settings("", "threshold = \"50%\"\n"),
            [
                "threshold",
                "metrics.mem.threshold",
                "metrics.tick_ms.threshold"
            ]
        );
        assert!(
            settings("threshold = \"50%\"\n", "").is_empty(),
            "a tighter threshold"
        );
        assert_eq!(settings("", "alpha = 0.01\n"), ["alpha"]);
        assert!(settings("", "alpha = 0.45\n").is_empty());
        assert_eq!(settings("", "conservative = true\n"), ["conservative"]);
        assert_eq!(settings("", "missing = \"skip\"\n"), ["missing"]);
        assert!(settings("", "missing = \"fail\"\n").is_empty());
        assert_eq!(settings("", "statistic = \"min\"\n"), ["statistic"]);
        assert_eq!(settings("family = \"benchmark\"\n", ""), ["family"]);
        assert_eq!(
            settings("", "machine_mismatch = \"ignore\"\n"),
            ["machine_mismatch"]
        );
        assert_eq!(
            settings("", "false_alarm_rate = 0.001\n"),
            ["false_alarm_rate"]
        );
        assert_eq!(
            settings("", "overrides = [{ match = \"*\", threshold = \"90%\" }]\n"),
            ["overrides"]
        );
        assert_eq!(settings("", "format = \"kv\"\n"), ["format"]);
        let mut moved = table("");
        moved.current = vec!["other.json".into()];
        let found = loosenings(&table(""), &moved);
        assert_eq!(found[0].setting, "current");
    }

    #[test]
    fn a_metric_dropped_or_loosened_is_reported() {
        let was = table("");
        let mut now = table("");
        now.metrics.remove(1);
        now.metrics[0].threshold = Some("20%".parse().expect("threshold"));
        let found: Vec<String> = loosenings(&was, &now)
            .into_iter()
            .map(|l| format!("{}: {} -> {}", l.setting, l.was, l.now))
            .collect();
        assert_eq!(
            found,
            [
                "metrics removed: mem -> none",
                "metrics.tick_ms.threshold: 5% -> 20%"
            ]
        );
    }
}
