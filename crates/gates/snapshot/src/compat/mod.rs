//! Schema evolution: compares what a previous and a current JSON Schema accept, in both
//! directions, and reports each difference with the keyword that makes it, the rule, and
//! a validated example document.

mod compare;
mod engine;
mod evidence;
mod finding;
mod patterns;
#[cfg(test)]
mod properties;
pub(crate) mod refs;
mod regex_gen;
mod samples;
mod structural;
#[cfg(test)]
mod tests;
mod translate;
pub mod vocabulary;
mod witness;

pub use compare::{Problem, compare};
pub use finding::{Effect, Finding, RULES, rule_for_keyword};
