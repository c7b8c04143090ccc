//! What a change loosens in a `[[characterization]]` table against a trusted ref's (see
//! [`safety_gate_core::loosening`]). Tables and pairs are destructured without `..`: a
//! field added later does not compile until it is compared here.

use safety_gate_core::{Loosening, Looser};

use crate::config::{CharacterizationConfig, GoldenConfig};
use crate::junit::Reruns;
use crate::strictness::{RULE_NAMES, Rules, Severity};

/// Each setting of `now` that lets more through than `was`.
pub fn loosenings(was: &CharacterizationConfig, now: &CharacterizationConfig) -> Vec<Loosening> {
    let CharacterizationConfig {
        name: _,
        mode: _,
        strict: _,
        rules: _,
        reruns,
        results,
        expected,
        write_expected: _,
        golden,
        rollback: _,
        run: _,
    } = now;
    let mut l = Looser::new();
    // The preset and the overrides together: each rule's severity as it applies.
    let (before, after) = (was.effective_rules(), now.effective_rules());
    for rule in RULE_NAMES {
        l.ranked(
            &format!("rules.{rule}"),
            &severity(&before, rule),
            &severity(&after, rule),
            |s| match s {
                Severity::Ignore => 0,
                Severity::Warn => 1,
                Severity::Fail => 2,
            },
        );
    }
    l.ranked("reruns", &was.reruns, reruns, |r| match r {
        Reruns::Last => 0,
        Reruns::AnyFailure => 1,
    });
    l.same("results", &was.results, results);
    l.present("expected", &was.expected, expected);
    for pair in &was.golden {
        match golden.iter().find(|p| p.label() == pair.label()) {
            Some(new) => golden_pair(&mut l, pair, new),
            None => l.push("golden removed", pair.label(), "none"),
        }
    }
    l.into_vec()
}

/// One golden pair kept by the change.
fn golden_pair(l: &mut Looser, was: &GoldenConfig, now: &GoldenConfig) {
    let GoldenConfig {
        name: _,
        baseline,
        current,
        // Compared as the format it implies, below.
        format: _,
        tolerances,
        ignore,
    } = now;
    let at = |setting: &str| format!("golden.{}.{setting}", was.label());
    l.same(&at("baseline"), &was.baseline, baseline);
    l.same(&at("current"), &was.current, current);
    l.same(
        &at("format"),
        &was.effective_format(),
        &now.effective_format(),
    );
    l.not_widened(&at("tolerances"), &was.tolerances, tolerances);
    // The first matching tolerance wins: the same rules in another order may widen one.
    if was.tolerances.len() == tolerances.len() && was.tolerances != *tolerances {
        l.same(&at("tolerances order"), &was.tolerances, tolerances);
    }
    l.not_widened(&at("ignore"), &was.ignore, ignore);
}

fn severity(rules: &Rules, name: &str) -> Severity {
    match name {
        "empty" => rules.empty,
        "skips" => rules.skips,
        "xfails" => rules.xfails,
        "xpasses" => rules.xpasses,
        "missing" => rules.missing,
        "duplicates" => rules.duplicates,
        "flaky" => rules.flaky,
        "counters" => rules.counters,
        _ => rules.jsonl,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(extra: &str, pair: &str) -> CharacterizationConfig {
        let text = format!(
            "name = \"c\"\nresults = [\"r.xml\"]\nexpected = \"m.txt\"\n{extra}\n\
             [[golden]]\nbaseline = \"g.json\"\ncurrent = \"o.json\"\n{pair}"
        );
        safety_gate_core::config::parse_toml(std::path::Path::new("c.toml"), &text).expect("table")
    }

    fn found(was: &CharacterizationConfig, now: &CharacterizationConfig) -> Vec<String> {
        loosenings(was, now)
            .into_iter()
            .map(|l| format!("{}: {} -> {}", l.setting, l.was, l.now))
            .collect()
    }

    #[test]
    fn rules_presets_and_pairs_that_let_more_through_are_reported() {
        let base = table("", "");
        assert!(found(&base, &base).is_empty());
        let lenient = found(&base, &table("strict = false", ""));
        assert!(
            lenient.contains(&"rules.skips: Fail -> Warn".to_string()),
            "{lenient:?}"
        );
        // Lenient with every rule set back to fail lets nothing more through.
        let all_fail = "strict = false\nrules = { empty = \"fail\", skips = \"fail\", xfails = \"fail\", \
             xpasses = \"fail\", missing = \"fail\", duplicates = \"fail\", flaky = \"warn\", \
             counters = \"fail\", jsonl = \"fail\" }";
        assert!(found(&base, &table(all_fail, "")).is_empty());
        assert_eq!(
            found(&table("reruns = \"any-failure\"", ""), &base),
            ["reruns: AnyFailure -> Last"]
        );
        let mut no_manifest = base.clone();
        no_manifest.expected = None;
        assert_eq!(
            found(&base, &no_manifest),
            ["expected removed: m.txt -> none"]
        );
        assert_eq!(
            found(
                &base,
                &table("", "tolerances = [\"/**=rel:0.5\"]\nignore = [\"/**\"]")
            ),
            [
                "golden.g.json.tolerances added: none -> ToleranceRule { pattern: PointerGlob(\"/**\"), tolerance: Rel(0.5) }",
                "golden.g.json.ignore added: none -> PointerGlob(\"/**\")"
            ]
        );
        let mut no_pair = base.clone();
        no_pair.golden.clear();
        assert_eq!(found(&base, &no_pair), ["golden removed: g.json -> none"]);
    }
}
