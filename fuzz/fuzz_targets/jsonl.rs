//! Fuzz target: see `safety_gate_fuzz::jsonl`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| safety_gate_fuzz::jsonl(data));
