//! The JSON Schema of `safety-gate.toml`, generated from the config types themselves
//! (schemars), so editors complete and check keys. It is committed as
//! `docs/safety-gate.schema.json`; a test fails when the types and the file part ways.

use crate::config::Config;

/// Where the schema is committed, relative to the repository root.
pub const COMMITTED: &str = "docs/safety-gate.schema.json";

/// The schema as pretty JSON, with a final newline.
pub fn render() -> String {
    let schema = schemars::schema_for!(Config);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn repo() -> &'static Path {
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
    }

    /// The committed schema is the one the types generate. After changing a config
    /// type: `cargo run -- config schema > docs/safety-gate.schema.json`.
    #[test]
    fn the_committed_schema_matches_the_config_types() {
        let committed = std::fs::read_to_string(repo().join(COMMITTED)).unwrap_or_default();
        assert!(
            committed == render(),
            "{COMMITTED} is out of date: run `cargo run -- config schema > {COMMITTED}`"
        );
    }

    /// Every gate kind and every top-level key is in the schema, with unknown keys refused.
    #[test]
    fn the_schema_knows_every_table_and_refuses_unknown_keys() {
        let schema: serde_json::Value = serde_json::from_str(&render()).expect("json");
        for gate in crate::GATES {
            assert!(schema["properties"][gate.kind].is_object(), "{}", gate.kind);
        }
        for key in ["max_input_size", "jobs", "reports"] {
            assert!(schema["properties"][key].is_object(), "{key}");
        }
        assert_eq!(schema["additionalProperties"], false);
    }

    fn validator() -> jsonschema::Validator {
        let schema: serde_json::Value = serde_json::from_str(&render()).expect("json");
        jsonschema::validator_for(&schema).expect("a valid schema")
    }

    fn as_json(toml_text: &str) -> serde_json::Value {
        let value: toml::Value = toml::from_str(toml_text).expect("toml");
        serde_json::to_value(value).expect("json")
    }

    /// The schema accepts the configs this project ships and the one `init` writes, and
    /// refuses the mistakes the loader refuses.
    #[test]
    fn the_schema_accepts_real_configs_and_refuses_mistakes() {
        let validator = validator();
        for config in ["safety-gate.toml", "fixtures/demo/regressed.toml"] {
            let text = std::fs::read_to_string(repo().join(config)).expect("config");
            let errors: Vec<String> = validator
                .iter_errors(&as_json(&text))
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{config}: {errors:?}");
        }
        let perf = "[[perf]]\nname = \"a\"\nbaseline = \"b\"\ncurrent = \"c\"\n";
        for good in [
            "run = [\"pytest\", \"-q\"]",
            "run = { command = [\"x\"], timeout = \"5m\", exit_codes = [0, 1] }",
            "current = [\"c1\", \"c2\"]\nthreshold = \"7.5%\"",
        ] {
            let text = format!("{perf}{good}\n").replace("current = \"c\"\ncurrent", "current");
            assert!(validator.is_valid(&as_json(&text)), "{text}");
        }
        for bad in [
            "threshold = 5",
            "run = \"pytest -q\"",
            "treshold = \"5%\"",
            "mode = \"enforcing\"",
            "run = { command = [\"x\"], timout = \"5m\" }",
        ] {
            let text = format!("{perf}{bad}\n");
            assert!(!validator.is_valid(&as_json(&text)), "{text}");
        }
        assert!(!validator.is_valid(&as_json("jobs = 0\n")));
    }

    /// The demo config names the schema for editors.
    #[test]
    fn the_demo_config_points_at_the_schema() {
        let demo = std::fs::read_to_string(repo().join("safety-gate.toml")).expect("demo");
        assert!(
            demo.lines().next() == Some(&format!("#:schema ./{COMMITTED}")[..]),
            "the demo config's first line must be `#:schema ./{COMMITTED}`"
        );
    }
}
