//! JSON Schemas of the config value types that deserialize by hand (a threshold, a time
//! limit, a size, a rollback plan, a producer, a number of jobs), so that the schema
//! generated from the config types says what the parsers accept. Each says, in its
//! description, how to write the value.

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use std::borrow::Cow;

use crate::duration::TimeLimit;
use crate::limits::ByteSize;
use crate::parallel::Jobs;
use crate::producer::Producer;
use crate::rollback_plan::RollbackPlan;
use crate::threshold::Threshold;

/// A time limit's schema, for fields that hold a [`std::time::Duration`] parsed as one.
pub fn time_limit(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "string",
        "pattern": "^\\s*[0-9]*\\.?[0-9]+\\s*(ms|s|m|h)?\\s*$",
        "description": "A time limit: a number and a unit, ms, s, m or h (\"60s\", \"500ms\", \"1.5m\"); 1ms to 24h.",
        "examples": ["60s"]
    })
}

impl JsonSchema for TimeLimit {
    fn schema_name() -> Cow<'static, str> {
        "TimeLimit".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        time_limit(generator)
    }
}

impl JsonSchema for Threshold {
    fn schema_name() -> Cow<'static, str> {
        "Threshold".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^\\s*[0-9]*\\.?[0-9]+\\s*%\\s*$",
            "description": "A percentage in quotes (\"5%\"): a bare number is refused, since 5 and 0.05 would each be read as the other by someone.",
            "examples": ["5%"]
        })
    }
}

impl JsonSchema for ByteSize {
    fn schema_name() -> Cow<'static, str> {
        "ByteSize".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A size: bytes, or a number and a unit (\"512MiB\", \"2 GB\").",
            "anyOf": [
                { "type": "integer", "minimum": 1 },
                { "type": "string", "pattern": "^\\s*[0-9]*\\.?[0-9]+\\s*([KMGT]i?B|B)?\\s*$" }
            ]
        })
    }
}

impl JsonSchema for Jobs {
    fn schema_name() -> Cow<'static, str> {
        "Jobs".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "integer",
            "minimum": 1,
            "description": "How many commands (snapshot loaders, producers) run at once; by default the number of cores."
        })
    }
}

impl JsonSchema for RollbackPlan {
    fn schema_name() -> Cow<'static, str> {
        "RollbackPlan".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let risk = generator.subschema_for::<crate::rollback_plan::Risk>();
        json_schema!({
            "description": "What to do when this gate triggers a rollback: a procedure (a link or text), or a table.",
            "anyOf": [
                { "type": "string" },
                {
                    "type": "object",
                    "additionalProperties": false,
                    "properties": {
                        "procedure": { "type": "string" },
                        "risk": risk,
                        "time_to_rollback": { "type": "string" }
                    }
                }
            ]
        })
    }
}

impl JsonSchema for Producer {
    fn schema_name() -> Cow<'static, str> {
        "Producer".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let argv = json_schema!({
            "type": "array",
            "items": { "type": "string" },
            "minItems": 1,
            "description": "The command as a list of words, run without a shell in the config's folder."
        });
        let timeout = time_limit(generator);
        json_schema!({
            "description": "The command that writes this gate's current results, run before they are read: a list of words, or a table with a timeout (default 30m) and the exit codes that mean success (default [0]).",
            "anyOf": [
                argv,
                {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["command"],
                    "properties": {
                        "command": argv,
                        "timeout": timeout,
                        "exit_codes": { "type": "array", "items": { "type": "integer" }, "minItems": 1 }
                    }
                }
            ]
        })
    }
}
