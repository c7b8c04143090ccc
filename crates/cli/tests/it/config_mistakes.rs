//! Config mistakes of the wrong type say what to write instead: a bare number for a
//! percentage or a time limit, a number for a string, a string for a list or a number.

use crate::sandbox;

use sandbox::{Sandbox, code, shown};

/// The config error line for `line` added to a gate table of `kind`.
fn mistake(table: &str, line: &str) -> String {
    let sandbox = Sandbox::demo();
    sandbox.write("c.toml", &format!("{table}{line}\n"));
    let out = sandbox.run(&["check", "--config", "c.toml", "--quiet"]);
    assert_eq!(code(&out), 2, "{}", shown(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    stdout
        .lines()
        .find(|l| l.starts_with("ERROR"))
        .unwrap_or_else(|| panic!("no error line: {}", shown(&out)))
        .to_string()
}

const PERF: &str = "[[perf]]\nname = \"a\"\nbaseline = \"b.json\"\ncurrent = \"c.json\"\n";
const SNAPSHOT: &str = "[[snapshot]]\nname = \"s\"\nschema = \"s.json\"\n";

#[test]
fn wrong_types_say_what_to_write_instead() {
    let lines: Vec<String> = [
        (PERF, "threshold = 5"),
        (PERF, "threshold = 0.05"),
        (PERF, "overrides = [{ match = \"x*\", threshold = 10 }]"),
        (PERF, "alpha = \"0.2\""),
        (PERF, "conservative = \"true\""),
        (PERF, "rollback = 3"),
        (SNAPSHOT, "timeout = 30"),
        (SNAPSHOT, "min_version = 0.9"),
        (SNAPSHOT, "roundtrip = \"python3 load.py {snapshot}\""),
        (
            "[[perf]]\nname = \"a\"\nbaseline = \"b.json\"\n",
            "current = 5",
        ),
    ]
    .iter()
    .map(|(table, line)| format!("{line:<50} => {}", mistake(table, line)))
    .collect();
    insta::assert_snapshot!(lines.join("\n"));
}
