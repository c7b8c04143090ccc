//! Fuzz target: see `safety_gate_fuzz::schema_refs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| safety_gate_fuzz::schema_refs(data));
