//! The bookkeeping of a coinductive proof over pairs of subschemas. A pair met again while
//! it is being proven is assumed (recursive schemas are compared as the fixed points they
//! describe), so a result can rest on pairs whose own proofs are still open. Each result
//! is kept with the open pairs it rests on: when one of those fails, exactly the results
//! that assumed it are taken back; when it holds, they rest on what it rests on instead.
//! A result that rests on nothing is final, and is never proven twice.

use std::collections::{BTreeSet, HashMap, HashSet};

/// A previous and a current subschema, by pointer.
pub type Pair = (String, String);

/// The open pairs a result rests on, by their position on the stack of open pairs.
pub type Rests = BTreeSet<usize>;

/// What is proven so far, and on which open pairs.
#[derive(Debug, Default)]
pub struct Assumptions {
    /// Pairs being proven, outermost first.
    open: Vec<Pair>,
    /// Pairs proven outright.
    proven: HashSet<Pair>,
    /// Pairs proven on the assumption of open pairs.
    provisional: HashMap<Pair, Rests>,
}

impl Assumptions {
    /// What `pair` rests on when it is proven or open (an open pair rests on itself);
    /// `None` when it must be proven.
    pub fn known(&self, pair: &Pair) -> Option<Rests> {
        if self.proven.contains(pair) {
            return Some(Rests::new());
        }
        if let Some(at) = self.open.iter().position(|p| p == pair) {
            return Some(Rests::from([at]));
        }
        self.provisional.get(pair).cloned()
    }

    /// Starts the proof of `pair`, which is assumed until [`Assumptions::close`].
    pub fn open(&mut self, pair: Pair) {
        self.open.push(pair);
    }

    /// Ends the proof of the innermost open pair with `outcome`, which is returned with
    /// the pair itself no longer among what it rests on.
    pub fn close<E>(&mut self, outcome: Result<Rests, E>) -> Result<Rests, E> {
        let at = self.open.len() - 1;
        let pair = self.open.pop().expect("a pair is open");
        match outcome {
            Ok(mut rests) => {
                rests.remove(&at);
                let mut settled = Vec::new();
                for (other, on) in &mut self.provisional {
                    if on.remove(&at) {
                        on.extend(rests.iter().copied());
                        if on.is_empty() {
                            settled.push(other.clone());
                        }
                    }
                }
                for other in settled {
                    self.provisional.remove(&other);
                    self.proven.insert(other);
                }
                if rests.is_empty() {
                    self.proven.insert(pair);
                } else {
                    self.provisional.insert(pair, rests.clone());
                }
                Ok(rests)
            }
            Err(why) => {
                self.provisional.retain(|_, on| !on.contains(&at));
                Err(why)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(name: &str) -> Pair {
        (name.to_owned(), name.to_owned())
    }

    #[test]
    fn results_resting_on_a_failed_pair_are_taken_back() {
        let mut a = Assumptions::default();
        a.open(pair("outer"));
        assert_eq!(a.known(&pair("outer")), Some(Rests::from([0])));
        // `inner` is proven by assuming `outer`; `free` by nothing.
        a.open(pair("inner"));
        let inner = a.known(&pair("outer")).expect("open");
        assert_eq!(a.close::<()>(Ok(inner)), Ok(Rests::from([0])));
        a.open(pair("free"));
        assert_eq!(a.close::<()>(Ok(Rests::new())), Ok(Rests::new()));
        assert_eq!(a.known(&pair("inner")), Some(Rests::from([0])));
        assert_eq!(a.close(Err("fails")), Err("fails"));
        assert_eq!(a.known(&pair("outer")), None);
        assert_eq!(a.known(&pair("inner")), None);
        assert_eq!(a.known(&pair("free")), Some(Rests::new()));
    }

    #[test]
    fn results_resting_on_a_pair_that_holds_rest_on_what_it_rests_on() {
        let mut a = Assumptions::default();
        a.open(pair("root"));
        a.open(pair("middle"));
        a.open(pair("leaf"));
        // The leaf assumes both open pairs above it.
        assert_eq!(
            a.close::<()>(Ok(Rests::from([0, 1]))),
            Ok(Rests::from([0, 1]))
        );
        // The middle holds on the assumption of the root: so does the leaf now.
        assert_eq!(a.close::<()>(Ok(Rests::from([0, 1]))), Ok(Rests::from([0])));
        assert_eq!(a.known(&pair("leaf")), Some(Rests::from([0])));
        assert_eq!(a.close::<()>(Ok(Rests::from([0]))), Ok(Rests::new()));
        for name in ["root", "middle", "leaf"] {
            assert_eq!(a.known(&pair(name)), Some(Rests::new()), "{name}");
        }
    }
}
