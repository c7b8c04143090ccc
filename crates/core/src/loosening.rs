//! What a change loosens in a gate's settings, against the settings of a trusted git
//! ref (`--baseline-ref`). Each gate compares its own config table
//! ([`crate::Gate::loosenings`]) with the helpers of [`Looser`], one per shape of
//! setting: a number whose larger value lets more through, a mode, a list whose
//! removed items stopped being checked, a setting whose change cannot be told to be
//! stricter or looser. Anything a gate cannot rank counts as loosening: only a change
//! shown to keep or tighten a setting goes unreported.

use std::fmt::{Debug, Display};

use crate::status::Mode;

/// One setting a change made looser, or changed in a way that cannot be told to be
/// stricter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loosening {
    /// The setting, as in the config (`threshold`, `metrics.tick_ms.threshold`,
    /// `golden.out/metrics.json.tolerances`).
    pub setting: String,
    /// What the trusted ref says.
    pub was: String,
    /// What the change says.
    pub now: String,
}

/// Collects the loosenings of one gate, setting by setting.
#[derive(Debug, Default)]
pub struct Looser {
    found: Vec<Loosening>,
}

impl Looser {
    /// An empty collection.
    pub fn new() -> Self {
        Looser::default()
    }

    /// What was found.
    pub fn into_vec(self) -> Vec<Loosening> {
        self.found
    }

    /// Records a loosening.
    pub fn push(&mut self, setting: impl Into<String>, was: impl Display, now: impl Display) {
        self.found.push(Loosening {
            setting: setting.into(),
            was: was.to_string(),
            now: now.to_string(),
        });
    }

    /// A mode: `enforce` is stricter than `warn`, which is stricter than `off`.
    pub fn mode(&mut self, setting: &str, was: Mode, now: Mode) {
        let rank = |m: Mode| match m {
            Mode::Enforce => 2,
            Mode::Warn => 1,
            Mode::Off => 0,
        };
        if rank(now) < rank(was) {
            self.push(setting, was.as_str(), now.as_str());
        }
    }

    /// A setting ranked by `rank`, where a lower rank lets more through.
    pub fn ranked<T: Debug + PartialEq>(
        &mut self,
        setting: &str,
        was: &T,
        now: &T,
        rank: impl Fn(&T) -> u8,
    ) {
        if rank(now) < rank(was) {
            self.push(setting, shown(was), shown(now));
        }
    }

    /// A number whose larger value lets more through (a threshold, a tolerance, a
    /// limit of findings).
    pub fn at_most<T: PartialOrd + Display>(&mut self, setting: &str, was: &T, now: &T) {
        if now > was || now.partial_cmp(was).is_none() {
            self.push(setting, was, now);
        }
    }

    /// A number whose smaller value lets more through (a significance level, a
    /// false-alarm rate).
    pub fn at_least<T: PartialOrd + Display>(&mut self, setting: &str, was: &T, now: &T) {
        if now < was || now.partial_cmp(was).is_none() {
            self.push(setting, was, now);
        }
    }

    /// A switch that lets more through when it is `looser`.
    pub fn switch(&mut self, setting: &str, was: bool, now: bool, looser: bool) {
        if now == looser && was != looser {
            self.push(setting, was, now);
        }
    }

    /// A setting whose change cannot be told to be stricter or looser (a file read, a
    /// format, a statistic, a command): any change counts.
    pub fn same<T: PartialEq + Debug>(&mut self, setting: &str, was: &T, now: &T) {
        if was != now {
            self.push(setting, shown(was), shown(now));
        }
    }

    /// A list of things checked: each one of `was` missing from `now` is no longer
    /// checked.
    pub fn kept<T: PartialEq + Debug>(&mut self, setting: &str, was: &[T], now: &[T]) {
        for item in was.iter().filter(|w| !now.contains(w)) {
            self.push(format!("{setting} removed"), shown(item), "none");
        }
    }

    /// A list of things let through (ignored paths, redactions, tolerances, accepted
    /// exit codes): each one of `now` missing from `was` widens it.
    pub fn not_widened<T: PartialEq + Debug>(&mut self, setting: &str, was: &[T], now: &[T]) {
        for item in now.iter().filter(|n| !was.contains(n)) {
            self.push(format!("{setting} added"), "none", shown(item));
        }
    }

    /// An optional check: present in `was` and absent in `now` switches it off; a
    /// changed value is compared by `same`.
    pub fn present<T: PartialEq + Debug>(
        &mut self,
        setting: &str,
        was: &Option<T>,
        now: &Option<T>,
    ) {
        match (was, now) {
            (Some(w), None) => self.push(format!("{setting} removed"), shown(w), "none"),
            (Some(w), Some(n)) => self.same(setting, w, n),
            _ => {}
        }
    }
}

/// A value as reports show it: its `Debug` form without the quotes of a string.
fn shown<T: Debug>(value: &T) -> String {
    let text = format!("{value:?}");
    text.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .map_or(text.clone(), str::to_string)
}

/// The conservative comparison for a gate that does not rank its settings: any change
/// to its table counts as one loosening.
pub fn any_change<T: Debug>(was: &T, now: &T) -> Vec<Loosening> {
    let (was, now) = (format!("{was:?}"), format!("{now:?}"));
    if was == now {
        return Vec::new();
    }
    vec![Loosening {
        setting: "settings (this gate does not rank its settings, so any change counts)"
            .to_string(),
        was,
        now,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_lets_more_through_is_reported() {
        let mut l = Looser::new();
        l.mode("mode", Mode::Enforce, Mode::Warn);
        l.mode("mode", Mode::Warn, Mode::Enforce);
        l.at_most("threshold", &0.05, &0.5);
        l.at_most("threshold", &0.05, &0.01);
        l.at_most("nan", &0.05, &f64::NAN);
        l.at_least("alpha", &0.2, &0.01);
        l.at_least("alpha", &0.2, &0.3);
        l.switch("conservative", false, true, true);
        l.switch("conservative", true, false, true);
        l.same("format", &"json", &"kv");
        l.same("format", &"json", &"json");
        l.kept("metrics", &["a", "b"], &["b", "c"]);
        l.not_widened("ignore", &["/x"], &["/x", "/**"]);
        l.present("expected", &Some("m.txt"), &None);
        l.present("expected", &None, &Some("m.txt"));
        let found: Vec<String> = l
            .into_vec()
            .iter()
            .map(|f| format!("{}: {} -> {}", f.setting, f.was, f.now))
            .collect();
        assert_eq!(
            found,
            [
                "mode: enforce -> warn",
                "threshold: 0.05 -> 0.5",
                "nan: 0.05 -> NaN",
                "alpha: 0.2 -> 0.01",
                "conservative: false -> true",
                "format: json -> kv",
                "metrics removed: a -> none",
                "ignore added: none -> /**",
                "expected removed: m.txt -> none",
            ]
        );
    }

    #[test]
    fn a_gate_that_does_not_rank_reports_any_change() {
        assert!(any_change(&(1, "a"), &(1, "a")).is_empty());
        assert_eq!(any_change(&(1, "a"), &(1, "b")).len(), 1);
    }
}
