//! Whether every string one `pattern` accepts is accepted by another, proven on their
//! automata: a string is accepted when the pattern matches anywhere in it, so both
//! patterns are compiled to unanchored DFAs and their product is explored for a string
//! that reaches a match of the first and never one of the second. None reachable is a
//! proof; any other outcome (one found, too many states, a pattern the DFA builder does
//! not take) proves nothing.

use regex_automata::dfa::{Automaton, StartKind, dense};
use regex_automata::util::primitives::StateID;
use regex_automata::util::start;
use regex_automata::{Anchored, nfa::thompson};
use std::collections::{HashSet, VecDeque};

/// Largest DFA built per pattern, in bytes.
const DFA_LIMIT: usize = 4 << 20;
/// Most product states explored.
const MAX_STATES: usize = 200_000;

fn compile(pattern: &str) -> Option<dense::DFA<Vec<u32>>> {
    dense::Builder::new()
        .configure(
            dense::Config::new()
                .start_kind(StartKind::Unanchored)
                .dfa_size_limit(Some(DFA_LIMIT))
                .determinize_size_limit(Some(DFA_LIMIT)),
        )
        .thompson(thompson::Config::new().utf8(true))
        .build(pattern)
        .ok()
}

/// Whether every string matched by `inner` somewhere is matched by `outer` somewhere.
/// `false` means "not proven", not "disproven".
pub fn included(inner: &str, outer: &str) -> bool {
    if inner == outer {
        return true;
    }
    let (Some(a), Some(b)) = (compile(inner), compile(outer)) else {
        return false;
    };
    let config = start::Config::new().anchored(Anchored::No);
    let (Ok(start_a), Ok(start_b)) = (a.start_state(&config), b.start_state(&config)) else {
        return false;
    };
    // A state of the product: both DFA states, and whether each has matched yet.
    type State = (StateID, StateID, bool, bool);
    let first: State = (start_a, start_b, false, false);
    let mut seen: HashSet<State> = HashSet::from([first]);
    let mut queue: VecDeque<State> = VecDeque::from([first]);
    while let Some((sa, sb, ma, mb)) = queue.pop_front() {
        if mb {
            // The outer pattern has matched: every extension of this string is accepted.
            continue;
        }
        let end_a = ma || a.is_match_state(a.next_eoi_state(sa));
        let end_b = b.is_match_state(b.next_eoi_state(sb));
        if end_a && !end_b {
            return false;
        }
        if seen.len() > MAX_STATES {
            return false;
        }
        for byte in 0..=u8::MAX {
            let (na, nb) = (a.next_state(sa, byte), b.next_state(sb, byte));
            let next = (na, nb, ma || a.is_match_state(na), b.is_match_state(nb));
            if a.is_dead_state(na) && !next.2 {
                // The inner pattern can no longer match: nothing below is a counterexample.
                continue;
            }
            if seen.insert(next) {
                queue.push_back(next);
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inclusions_are_proven() {
        for (inner, outer) in [
            ("^ab", "ab"),
            ("^(a|b)$", "^(a|b|c)$"),
            ("^a+$", "^a*$"),
            ("^[0-9]{3}$", "^[0-9]+$"),
            ("^x_[a-z]+$", "^x_"),
            ("abc", "b"),
        ] {
            assert!(included(inner, outer), "{inner} in {outer}");
        }
    }

    #[test]
    fn non_inclusions_are_not_proven() {
        for (inner, outer) in [
            ("ab", "^ab"),
            ("^a*$", "^a+$"),
            ("^[0-9]+$", "^[0-9]{3}$"),
            ("date-time", "uuid"),
            ("^(?=a)", "a"),
        ] {
            assert!(!included(inner, outer), "{inner} in {outer}");
        }
    }
}
