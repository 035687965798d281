//! The random choices: SplitMix64, seeded per page so that any page can
//! be made on its own, the same on every machine.

/// SplitMix64: small, fast and the same on every machine.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`; `n` must not be 0.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub(crate) fn between(&mut self, (lo, hi): (usize, usize)) -> usize {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    /// True `percent` times in a hundred.
    pub(crate) fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// A number in `0..n` where small ones come more often, about as a
    /// name's frequency falls with its rank: `k` about `1/k` as likely as
    /// 0 for most `k`.
    pub(crate) fn front(&mut self, n: usize) -> usize {
        let limit = self.below(n) + 1;
        self.below(limit)
    }

    /// One of `items`, which must not be empty.
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// One of a list of words; see [`Rng::pick`].
    pub(crate) fn word(&mut self, words: &[&'static str]) -> &'static str {
        self.pick::<&'static str>(words)
    }

    /// One of `items` as a `&str`; see [`Rng::pick`].
    pub(crate) fn pick_str<'a>(&mut self, items: &'a [String]) -> &'a str {
        self.pick::<String>(items)
    }
}

/// A seed for one stream of choices: `seed` mixed with `parts`.
pub(crate) fn mix(seed: u64, parts: &[u64]) -> u64 {
    let mut rng = Rng::new(seed);
    let mut state = rng.next();
    for part in parts {
        rng = Rng::new(state ^ part.wrapping_mul(0xff51_afd7_ed55_8ccd));
        state = rng.next();
    }
    state
}
