//! Placeholder.
use safety_gate_core::InputError;
use serde_json::Value;
use std::path::Path;
use crate::model::BenchSet;
pub(super) fn looks_like_text(_text: &str) -> bool { false }
pub(super) fn looks_like_json(_doc: &Value) -> bool { false }
pub(super) fn read_text(path: &Path, _text: &str) -> Result<BenchSet, InputError> { Err(super::json::malformed(path, "todo")) }
pub(super) fn read_json(path: &Path, _doc: &Value) -> Result<BenchSet, InputError> { Err(super::json::malformed(path, "todo")) }
