//! Fuzz target: see `safety_gate_fuzz::strict_json`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| safety_gate_fuzz::strict_json(data));
