//! `--gate NAME_OR_KIND`: narrowing a run (or a baseline accept, or the pre-push fast
//! path) to some gates. Every selector must match a configured gate, so that a typo
//! cannot turn into a run that checks nothing.

use crate::config::Config;

/// Keeps the gates whose name or kind is among `selectors`; an empty list keeps all.
/// Errors name the selector that matched nothing and list the gates there are.
pub fn retain(config: &mut Config, selectors: &[String]) -> Result<(), String> {
    if selectors.is_empty() {
        return Ok(());
    }
    let known: Vec<(&str, String)> = config
        .instances()
        .into_iter()
        .map(|g| (g.kind(), g.name().to_string()))
        .collect();
    for selector in selectors {
        if !known
            .iter()
            .any(|(kind, name)| kind == selector || name == selector)
        {
            let list: Vec<String> = known.iter().map(|(k, n)| format!("{k}/{n}")).collect();
            return Err(format!(
                "--gate `{selector}` matches no configured gate name or kind (configured: {})",
                list.join(", ")
            ));
        }
    }
    config.retain(|g| selectors.iter().any(|s| s == g.kind() || s == g.name()));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        toml::from_str(
            "[[perf]]\nname = \"a\"\nbaseline = \"b\"\ncurrent = \"c\"\n\
             [[perf]]\nname = \"b\"\nbaseline = \"b\"\ncurrent = \"c\"\n",
        )
        .expect("config")
    }

    #[test]
    fn selects_by_name_or_kind() {
        let mut c = config();
        retain(&mut c, &["b".to_string()]).expect("known");
        assert_eq!(c.perf.len(), 1);
        assert_eq!(c.perf[0].name, "b");
        let mut c = config();
        retain(&mut c, &["perf".to_string()]).expect("kind");
        assert_eq!(c.perf.len(), 2);
    }

    #[test]
    fn unknown_selector_is_an_error() {
        let err = retain(&mut config(), &["tik".to_string()]).expect_err("typo");
        assert!(err.contains("`tik`") && err.contains("perf/a"), "{err}");
    }
}
