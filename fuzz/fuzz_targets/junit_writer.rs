//! Fuzz target: see `safety_gate_fuzz::junit_writer`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| safety_gate_fuzz::junit_writer(data));
