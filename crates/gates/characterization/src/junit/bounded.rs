//! A byte budget per XML event. quick-xml reads a whole text node, tag or comment
//! into one buffer; without a bound, one 2 GB `<system-out>` holds 2 GB of memory.
//! The reader resets the budget before each event; reading past it fails, and an
//! event that ended just past it is refused too, so the limit is exact.

use std::io::{self, BufRead, Read};

/// Largest text node, tag (with its attributes), comment or CDATA section read: 64 MiB.
/// A report's failure messages are a few kilobytes; only captured logs come near this.
pub const MAX_EVENT_BYTES: u64 = 64 << 20;

/// Wraps a buffered reader and fails once more than `limit` bytes were consumed since
/// the last [`Bounded::reset`].
pub(super) struct Bounded<R> {
    inner: R,
    used: u64,
    limit: u64,
    exceeded: bool,
}

impl<R> Bounded<R> {
    /// A reader allowing `limit` bytes per event.
    pub(super) fn new(inner: R, limit: u64) -> Self {
        Bounded {
            inner,
            used: 0,
            limit,
            exceeded: false,
        }
    }

    /// Starts the budget of the next event.
    pub(super) fn reset(&mut self) {
        self.used = 0;
        self.exceeded = false;
    }

    /// Whether the budget ran out since the last reset.
    pub(super) fn exceeded(&self) -> bool {
        self.exceeded || self.used > self.limit
    }

    fn over(&mut self) -> io::Error {
        self.exceeded = true;
        io::Error::other(format!("more than {} bytes in one XML event", self.limit))
    }
}

impl<R: BufRead> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Bounded<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.used > self.limit {
            return Err(self.over());
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.used = self.used.saturating_add(amt as u64);
        self.inner.consume(amt);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_runs_out_and_resets() {
        let data = [b'a'; 100];
        let mut r = Bounded::new(io::BufReader::with_capacity(8, &data[..]), 20);
        let mut out = [0u8; 8];
        let mut read = 0;
        let err = loop {
            match r.read(&mut out) {
                Ok(n) => read += n,
                Err(e) => break e,
            }
        };
        assert!(err.to_string().contains("20 bytes"), "{err}");
        assert!(r.exceeded());
        assert!((21..=28).contains(&read), "{read}");
        r.reset();
        assert!(!r.exceeded());
        assert_eq!(r.read(&mut out).expect("budget again"), 8);
        let mut exact = [0u8; 13];
        r.read_exact(&mut exact).expect("within budget");
        assert!(r.exceeded(), "21 bytes read against a budget of 20");
    }
}
