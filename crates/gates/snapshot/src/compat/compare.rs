//! One comparison of a previous and a current schema, in both directions.
//!
//! For each direction: the set comparison, then the structural prover for what it leaves
//! open, then examples. Examples come from the difference of the two schemas and from the
//! accepting schema itself, and are kept only when the validator confirms them; a proof
//! contradicted by a confirmed example yields to the example. What is neither proven nor
//! shown is reported as breaking, with the reason.

use jsonschema::Draft;
use serde_json::Value;
use std::collections::BTreeMap;

use super::engine::{Answer, Canonical};
use super::evidence::{Judge, Rejection, counterexamples};
use super::finding::{Effect, Finding, rule_for_keyword};
use super::refs::Index;
use super::structural::Prover;
use super::translate::upgrade;
use super::vocabulary::{detect_draft, unknown_keywords};
use super::witness::Witnesses;

/// Most findings with distinct examples reported per direction.
const MAX_EXAMPLES: usize = 5;
/// Candidates of the accepting schema tried when a proof already says yes.
const SANITY_CANDIDATES: usize = 48;

/// A schema that could not be compared at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Which schema: `"previous"` or `"current"`.
    pub side: &'static str,
    /// What is wrong, e.g. a `$ref` that resolves nowhere.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the {} schema cannot be compared: {}",
            self.side, self.message
        )
    }
}

/// One schema, ready for both questions.
struct Side<'a> {
    name: &'static str,
    /// Its own draft, under which examples are validated and built.
    draft: Draft,
    judge: Judge,
    own: Index<'a>,
    /// The draft both schemas are compared under (the later of the two).
    view_draft: Draft,
    /// The schema as compared: rewritten for `view_draft` when it was of an earlier one.
    view: Index<'a>,
    canonical: Canonical,
}

impl<'a> Side<'a> {
    fn new(
        doc: &'a Value,
        draft: Draft,
        view: Option<&'a Value>,
        common: Draft,
        name: &'static str,
    ) -> Result<Self, Problem> {
        let problem = |message: String| Problem {
            side: name,
            message,
        };
        let judge = Judge::new(doc, draft).map_err(problem)?;
        let (view, view_draft) = match view {
            Some(rewritten) => (rewritten, common),
            None => (doc, draft),
        };
        let canonical = Canonical::new(view, view_draft).map_err(|e| problem(e.0))?;
        Ok(Side {
            name,
            draft,
            judge,
            own: Index::new(doc, draft),
            view_draft,
            view: Index::new(view, view_draft),
            canonical,
        })
    }
}

/// Compares `old` (the previous schema) with `new` (the current one). `draft` is the
/// draft of a schema without `$schema` (2020-12 when `None`). Returns every finding:
/// narrowing, widening and undecided ones.
pub fn compare(old: &Value, new: &Value, draft: Option<Draft>) -> Result<Vec<Finding>, Problem> {
    let old_draft = detect_draft(old, draft).map_err(|message| Problem {
        side: "previous",
        message,
    })?;
    let new_draft = detect_draft(new, draft).map_err(|message| Problem {
        side: "current",
        message,
    })?;
    let mut findings = undecided(old, old_draft, new, new_draft);
    if old == new && old_draft == new_draft {
        return Ok(findings);
    }
    let common = old_draft.max(new_draft);
    let old_view = upgrade(old, old_draft, common).filter(|_| old_draft < common);
    let new_view = upgrade(new, new_draft, common).filter(|_| new_draft < common);
    let old_side = Side::new(old, old_draft, old_view.as_ref(), common, "previous")?;
    let new_side = Side::new(new, new_draft, new_view.as_ref(), common, "current")?;
    findings.extend(direction(&old_side, &new_side, Effect::Narrows));
    findings.extend(direction(&new_side, &old_side, Effect::Widens));
    Ok(findings)
}

/// Whether `to` accepts everything `from` accepts; findings of `effect` where not.
fn direction(from: &Side, to: &Side, effect: Effect) -> Vec<Finding> {
    let mut answer = if from.view_draft == to.view_draft {
        to.canonical.covers(&from.canonical)
    } else {
        Answer::Unknown(format!(
            "the schemas use different drafts ({:?} and {:?})",
            from.draft, to.draft
        ))
    };
    if let Answer::Unknown(first) = &answer {
        answer = match Prover::new(&from.view, &to.view).covers("", "") {
            Answer::Yes => Answer::Yes,
            Answer::No => Answer::No,
            Answer::Unknown(second) => Answer::Unknown(format!("{first}; {second}")),
        };
    }
    let examples = if answer == Answer::Yes {
        let own = Witnesses::new(&from.own).at("");
        confirmed(own.into_iter().take(SANITY_CANDIDATES), from, to)
    } else {
        confirmed(candidates(from, to, &answer), from, to)
    };
    if !examples.is_empty() {
        return examples
            .into_iter()
            .map(|(doc, why)| example_finding(doc, why, effect))
            .collect();
    }
    let message = match answer {
        Answer::Yes => return Vec::new(),
        Answer::No => format!(
            "the {} schema accepts documents the {} one rejects, but no example could be built",
            from.name, to.name
        ),
        Answer::Unknown(why) => format!(
            "cannot prove that the {} schema accepts every document the {} one accepts ({why})",
            to.name, from.name
        ),
    };
    vec![Finding {
        path: String::new(),
        rule: "unproven",
        effect,
        message,
        example: None,
    }]
}

/// Candidates from the difference of the two schemas (when the set comparison found
/// one: an undecided comparison rarely yields an expressible difference, and asking costs
/// as much again), then from the accepting schema.
fn candidates(from: &Side, to: &Side, answer: &Answer) -> Vec<Value> {
    let mut out = Vec::new();
    let difference = match answer {
        Answer::No => from.canonical.minus(&to.canonical),
        _ => None,
    };
    if let Some(difference) = difference {
        let index = Index::new(&difference, from.view_draft);
        out.extend(Witnesses::new(&index).at(""));
    }
    out.extend(Witnesses::new(&from.own).at(""));
    out
}

/// Confirmed examples with distinct reasons for rejection, at most [`MAX_EXAMPLES`].
fn confirmed(
    candidates: impl IntoIterator<Item = Value>,
    from: &Side,
    to: &Side,
) -> Vec<(Value, Rejection)> {
    counterexamples(candidates, &from.judge, &to.judge, MAX_EXAMPLES)
}

fn example_finding(doc: Value, why: Rejection, effect: Effect) -> Finding {
    let at = if why.instance_path.is_empty() {
        String::new()
    } else {
        format!("at {}: ", why.instance_path)
    };
    Finding {
        path: why.schema_path,
        rule: rule_for_keyword(&why.keyword),
        effect,
        message: format!("{at}{}", why.message),
        example: Some(doc),
    }
}

/// A finding for every keyword outside the table that differs between the schemas.
fn undecided(old: &Value, old_draft: Draft, new: &Value, new_draft: Draft) -> Vec<Finding> {
    let before: BTreeMap<String, String> = unknown_keywords(old, old_draft)
        .into_iter()
        .map(|u| (u.pointer, u.value))
        .collect();
    let after: BTreeMap<String, String> = unknown_keywords(new, new_draft)
        .into_iter()
        .map(|u| (u.pointer, u.value))
        .collect();
    let mut pointers: Vec<&String> = before.keys().chain(after.keys()).collect();
    pointers.sort();
    pointers.dedup();
    pointers
        .into_iter()
        .filter(|p| before.get(*p) != after.get(*p))
        .map(|pointer| {
            let show = |v: Option<&String>| v.map_or_else(|| "absent".to_owned(), Clone::clone);
            let keyword = pointer.rsplit('/').next().unwrap_or_default();
            Finding {
                path: pointer.clone(),
                rule: "keyword-not-compared",
                effect: Effect::Undecided,
                message: format!(
                    "`{keyword}` is not a keyword of {:?} the comparison knows, and it changed: {} -> {}",
                    new_draft,
                    show(before.get(pointer)),
                    show(after.get(pointer))
                ),
                example: None,
            }
        })
        .collect()
}
