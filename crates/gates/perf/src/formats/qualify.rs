//! Benchmark ids from names that tools print per group (a go package, a libtest target,
//! a Catch2 test case, a JMH mode): a name keeps its plain spelling while it is unique,
//! and is qualified by its group, as `name (group)`, only when two groups share it.

use std::collections::{BTreeMap, BTreeSet};

/// The id of every `(group, name)` pair: `name` when only one group holds that name,
/// `name (group)` otherwise.
pub(super) fn ids<'a>(
    pairs: impl IntoIterator<Item = (Option<&'a str>, &'a str)>,
) -> BTreeMap<(Option<&'a str>, &'a str), String> {
    let pairs: BTreeSet<(Option<&str>, &str)> = pairs.into_iter().collect();
    let mut groups: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, name) in &pairs {
        *groups.entry(name).or_default() += 1;
    }
    pairs
        .into_iter()
        .map(|(group, name)| {
            let id = match group {
                Some(group) if groups[name] > 1 => format!("{name} ({group})"),
                _ => name.to_string(),
            };
            ((group, name), id)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualifies_only_names_shared_by_groups() {
        let ids = ids([
            (Some("pkg/a"), "BenchmarkX"),
            (Some("pkg/b"), "BenchmarkX"),
            (Some("pkg/a"), "BenchmarkY"),
            (Some("pkg/a"), "BenchmarkY"),
        ]);
        assert_eq!(ids[&(Some("pkg/a"), "BenchmarkX")], "BenchmarkX (pkg/a)");
        assert_eq!(ids[&(Some("pkg/b"), "BenchmarkX")], "BenchmarkX (pkg/b)");
        assert_eq!(ids[&(Some("pkg/a"), "BenchmarkY")], "BenchmarkY");
    }
}
