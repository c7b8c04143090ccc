//! Schema evolution: classifies each change between a previous and a current JSON
//! Schema as narrowing or widening, which decides whether it breaks `backward`,
//! `forward` or `full` compatibility.

mod diff;
mod finding;
mod keywords;
#[cfg(test)]
mod tests;

pub use diff::{RefProblem, compare};
pub use finding::{Effect, Finding, RULES};
