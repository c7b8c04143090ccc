//! What a change loosens in a `[[findings]]` table against a trusted ref's (see
//! [`safety_gate_core::loosening`]). The table is destructured without `..`: a field
//! added later does not compile until it is compared here.

use safety_gate_core::{Loosening, Looser};

use crate::config::{FindingsConfig, LevelLimits};

/// Each setting of `now` that lets more through than `was`.
pub fn loosenings(was: &FindingsConfig, now: &FindingsConfig) -> Vec<Loosening> {
    let FindingsConfig {
        name: _,
        mode: _,
        baseline,
        current,
        format,
        root,
        max,
        rules,
        rollback: _,
        run: _,
    } = now;
    let mut l = Looser::new();
    l.same("baseline", &was.baseline, baseline);
    l.same("current", &was.current, current);
    l.same("format", &was.format, format);
    l.same("root", &was.root, root);
    let LevelLimits {
        error,
        warning,
        note,
        none,
    } = max;
    for (level, before, after) in [
        ("error", was.max.error, *error),
        ("warning", was.max.warning, *warning),
        ("note", was.max.note, *note),
        ("none", was.max.none, *none),
    ] {
        limit(&mut l, &format!("max.{level}"), before, after);
    }
    for (rule, before) in &was.rules {
        limit(
            &mut l,
            &format!("rules.{rule}"),
            Some(*before),
            rules.get(rule).copied(),
        );
    }
    l.into_vec()
}

/// A limit of findings: raised, or removed (no limit), lets more through.
fn limit(l: &mut Looser, setting: &str, was: Option<u64>, now: Option<u64>) {
    match (was, now) {
        (Some(w), None) => l.push(format!("{setting} removed"), w, "no limit"),
        (Some(w), Some(n)) => l.at_most(setting, &w, &n),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(extra: &str) -> FindingsConfig {
        let text = format!(
            "name = \"f\"\nbaseline = \"b.sarif\"\ncurrent = \"c.sarif\"\n\
             max = {{ error = 0, warning = 10 }}\nrules = {{ B301 = 0 }}\n{extra}"
        );
        safety_gate_core::config::parse_toml(std::path::Path::new("c.toml"), &text).expect("table")
    }

    #[test]
    fn raised_or_removed_limits_are_reported() {
        let base = table("");
        assert!(loosenings(&base, &base).is_empty());
        let mut now = base.clone();
        now.max.warning = Some(50);
        now.max.error = None;
        now.max.note = Some(3);
        now.rules.clear();
        let found: Vec<String> = loosenings(&base, &now)
            .into_iter()
            .map(|l| l.setting)
            .collect();
        assert_eq!(
            found,
            ["max.error removed", "max.warning", "rules.B301 removed"]
        );
    }
}
