//! What a change loosens in a `[[snapshot]]` table against a trusted ref's (see
//! [`safety_gate_core::loosening`]). The table is destructured without `..`: a field
//! added later does not compile until it is compared here.

use safety_gate_core::{Loosening, Looser};

use crate::config::{Compatibility, SnapshotConfig};

/// Each setting of `now` that lets more through than `was`.
pub fn loosenings(was: &SnapshotConfig, now: &SnapshotConfig) -> Vec<Loosening> {
    let SnapshotConfig {
        name: _,
        mode: _,
        schema,
        snapshots,
        previous_schemas,
        compatibility,
        draft,
        version_pointer,
        min_version,
        roundtrip,
        roundtrip_compare,
        redact,
        // A time limit only turns a slow command into an error.
        timeout: _,
        hashes,
        write_hashes: _,
        hash_command,
        rollback: _,
        run: _,
        hash_anchor: _,
        base_dir: _,
        // Set from the ref under `--baseline-ref`, never by a config.
        from_ref: _,
    } = now;
    let mut l = Looser::new();
    l.same("schema", &was.schema, schema);
    l.kept("snapshots", &was.snapshots, snapshots);
    l.kept("previous_schemas", &was.previous_schemas, previous_schemas);
    // `full` holds both directions; `backward` and `forward` cannot be ranked.
    if *compatibility != was.compatibility && *compatibility != Compatibility::Full {
        l.push(
            "compatibility",
            was.compatibility.as_str(),
            compatibility.as_str(),
        );
    }
    l.same("draft", &was.draft, draft);
    l.present("version_pointer", &was.version_pointer, version_pointer);
    l.present("min_version", &was.min_version, min_version);
    l.present("roundtrip", &was.roundtrip, roundtrip);
    l.switch(
        "roundtrip_compare",
        was.roundtrip_compare,
        *roundtrip_compare,
        false,
    );
    l.not_widened("redact", &was.redact, redact);
    l.present("hashes", &was.hashes, hashes);
    for (name, argv) in &was.hash_command {
        let setting = format!("hash_command.{name}");
        match hash_command.get(name) {
            Some(new) => l.same(&setting, argv, new),
            None => l.push(format!("{setting} removed"), argv.join(" "), "none"),
        }
    }
    l.into_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(extra: &str) -> SnapshotConfig {
        let text = format!(
            "name = \"s\"\nschema = \"s.json\"\nsnapshots = [\"a/*.json\"]\n\
             previous_schemas = [\"old.json\"]\nroundtrip = [\"load\", \"{{snapshot}}\"]\n\
             roundtrip_compare = true\nhashes = \"h.json\"\n{extra}"
        );
        safety_gate_core::config::parse_toml(std::path::Path::new("c.toml"), &text).expect("table")
    }

    fn found(was: &SnapshotConfig, now: &SnapshotConfig) -> Vec<String> {
        loosenings(was, now)
            .into_iter()
            .map(|l| l.setting)
            .collect()
    }

    #[test]
    fn what_lets_more_through_is_reported() {
        let base = table("");
        assert!(found(&base, &base).is_empty());
        assert_eq!(
            found(&base, &table("compatibility = \"forward\"")),
            ["compatibility"]
        );
        assert!(found(&base, &table("compatibility = \"full\"")).is_empty());
        assert_eq!(
            found(&table("compatibility = \"full\""), &base),
            ["compatibility"]
        );
        assert_eq!(found(&base, &table("redact = [\"/id\"]")), ["redact added"]);
        let mut weaker = base.clone();
        weaker.snapshots.clear();
        weaker.previous_schemas.clear();
        weaker.roundtrip = None;
        weaker.roundtrip_compare = false;
        weaker.hashes = None;
        assert_eq!(
            found(&base, &weaker),
            [
                "snapshots removed",
                "previous_schemas removed",
                "roundtrip removed",
                "roundtrip_compare",
                "hashes removed"
            ]
        );
        assert!(found(&base, &table("timeout = \"5m\"")).is_empty());
    }
}
