//! The gate's checks: one per rule (new findings fail it, fixed ones are reported as
//! an improvement, a rule's limit holds in it) and one per level limit.

use safety_gate_core::{Check, Counts, Location, Occurrence};
use std::collections::BTreeSet;
use std::path::Path;

use crate::config::FindingsConfig;
use crate::matching::{How, Matching};
use crate::model::{Finding, Findings, Level};

/// Everything the checks are made from.
pub struct Outcome<'a> {
    /// The gate's table.
    pub config: &'a FindingsConfig,
    /// Baseline findings.
    pub baseline: &'a Findings,
    /// Current findings.
    pub current: &'a Findings,
    /// How they paired.
    pub matching: &'a Matching,
    /// The folder relative finding paths are below, for locations.
    pub root: &'a Path,
}

impl Outcome<'_> {
    /// The checks, rules first (by id), then level limits (most severe first).
    pub fn checks(&self) -> Vec<Check> {
        let mut rules: BTreeSet<&str> = BTreeSet::new();
        rules.extend(self.baseline.findings.iter().map(|f| f.rule.as_str()));
        rules.extend(self.current.findings.iter().map(|f| f.rule.as_str()));
        rules.extend(self.config.rules.keys().map(String::as_str));
        let mut checks: Vec<Check> = rules.into_iter().map(|r| self.rule_check(r)).collect();
        for level in Level::ALL {
            if let Some(max) = self.config.max.get(level) {
                checks.push(self.level_check(level, max));
            }
        }
        if let Some(check) = self.suppression_check() {
            checks.push(check);
        }
        if checks.is_empty() {
            let tools: Vec<&str> = self.current.tools.keys().map(String::as_str).collect();
            checks.push(Check::pass(
                "findings",
                format!(
                    "no findings in the baseline or the current results of {}",
                    tools.join(", ")
                ),
            ));
        }
        checks
    }

    /// A warning when more results are suppressed now than in the baseline: a
    /// suppression the change added (`# nosec`, `# noqa`, an external waiver) hides the
    /// finding it would have been, so it is shown for review rather than passed in
    /// silence. It never fails the gate: suppressing is the team's own decision.
    fn suppression_check(&self) -> Option<Check> {
        let (now, before) = (self.current.suppressed, self.baseline.suppressed);
        (now > before).then(|| {
            Check::warn(
                "suppressed",
                format!(
                    "{now} result(s) suppressed now, {before} in the baseline: a suppression \
                     the change added hides what it found; review it"
                ),
            )
        })
    }

    /// Figures for machines: findings now and in the baseline, new, fixed, moved and
    /// edited.
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        let pairs = &self.matching.pairs;
        counts.set("findings", self.current.findings.len() as u64);
        counts.set("baseline", self.baseline.findings.len() as u64);
        counts.set("suppressed", self.current.suppressed as u64);
        counts.set("new", self.matching.new.len() as u64);
        counts.set("fixed", self.matching.fixed.len() as u64);
        counts.set(
            "moved",
            pairs.iter().filter(|p| self.moved(p)).count() as u64,
        );
        counts.set(
            "edited",
            pairs.iter().filter(|p| self.edited(p)).count() as u64,
        );
        counts
    }

    /// A pair whose finding changed line but not text.
    fn moved(&self, pair: &(usize, usize, How)) -> bool {
        let (b, c, _) = *pair;
        !self.edited(pair) && self.baseline.findings[b].line != self.current.findings[c].line
    }

    /// A pair whose source text changed: paired by message, both with a snippet.
    fn edited(&self, &(b, c, how): &(usize, usize, How)) -> bool {
        how == How::Message
            && self.baseline.findings[b].snippet.is_some()
            && self.current.findings[c].snippet.is_some()
    }

    fn rule_check(&self, rule: &str) -> Check {
        let of_rule = |f: &&Finding| f.rule == rule;
        let new: Vec<&Finding> = self.pick(&self.matching.new, &self.current.findings, rule);
        let fixed: Vec<&Finding> = self.pick(&self.matching.fixed, &self.baseline.findings, rule);
        let now = self.current.findings.iter().filter(of_rule).count();
        let before = self.baseline.findings.iter().filter(of_rule).count();
        let pairs = self
            .matching
            .pairs
            .iter()
            .filter(|p| self.current.findings[p.1].rule == rule);
        let (moved, edited) = pairs.fold((0, 0), |(m, e), p| {
            (
                m + usize::from(self.moved(p)),
                e + usize::from(self.edited(p)),
            )
        });
        let limit = self.config.rules.get(rule).copied();
        let over = limit.is_some_and(|max| now as u64 > max);

        let mut what = Vec::new();
        if !new.is_empty() {
            what.push(plural(new.len(), "new finding", "new findings"));
        }
        if let (true, Some(max)) = (over, limit) {
            what.push(format!(
                "{} over the limit of {max}",
                plural(now, "finding", "findings")
            ));
        }
        if !fixed.is_empty() {
            what.push(format!("improved: {} fixed", fixed.len()));
        }
        if what.is_empty() {
            what.push(if now == before {
                format!("{}, as in the baseline", plural(now, "finding", "findings"))
            } else {
                plural(now, "finding", "findings")
            });
        }
        let mut aside = vec![format!("{now} now, {before} in the baseline")];
        if moved > 0 {
            aside.push(format!("{moved} moved"));
        }
        if edited > 0 {
            aside.push(format!("{edited} on edited lines"));
        }
        if let (false, Some(max)) = (over, limit) {
            aside.push(format!("limit {max}"));
        }
        let message = format!("{} ({})", what.join("; "), aside.join(", "));

        let mut check = if new.is_empty() && !over {
            Check::pass(rule, message)
        } else {
            Check::fail(rule, message)
        };
        let mut details: Vec<String> = new
            .iter()
            .map(|f| format!("new: {}", f.describe()))
            .collect();
        if over && new.is_empty() {
            let current = self.current.findings.iter().filter(of_rule);
            details.extend(current.map(|f| format!("now: {}", f.describe())));
        }
        details.extend(fixed.iter().map(|f| format!("fixed: {}", f.describe())));
        let first = new.first().copied().or_else(|| {
            over.then(|| self.current.findings.iter().find(of_rule))
                .flatten()
        });
        if let Some(first) = first {
            check = check.with_location(self.location(first));
        }
        check
            .with_details(details)
            .with_occurrences(new.iter().map(|f| Occurrence {
                location: self.location(f),
                message: format!("new {} {}: {}", f.level, f.rule, f.message.trim()),
            }))
    }

    fn level_check(&self, level: Level, max: u64) -> Check {
        let count = self.current.at_level(level);
        let id = format!("max:{level}");
        let mut by_rule: std::collections::BTreeMap<&str, usize> = Default::default();
        for f in self.current.findings.iter().filter(|f| f.level == level) {
            *by_rule.entry(&f.rule).or_default() += 1;
        }
        let details = by_rule.iter().map(|(rule, n)| format!("{rule}: {n}"));
        let findings = plural(
            count,
            &format!("{level} finding"),
            &format!("{level} findings"),
        );
        let check = if count as u64 > max {
            Check::fail(id, format!("{findings}, over the limit of {max}"))
        } else {
            Check::pass(id, format!("{findings}, within the limit of {max}"))
        };
        check.with_details(details)
    }

    /// The findings of `rule` among `indexes` of `all`.
    fn pick<'f>(&self, indexes: &[usize], all: &'f [Finding], rule: &str) -> Vec<&'f Finding> {
        indexes
            .iter()
            .map(|i| &all[*i])
            .filter(|f| f.rule == rule)
            .collect()
    }

    /// Where a finding is, below the root when its path is relative.
    fn location(&self, finding: &Finding) -> Location {
        Location {
            file: safety_gate_core::config::resolve(self.root, Path::new(&finding.file)),
            line: finding.line,
            column: finding.column,
        }
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
