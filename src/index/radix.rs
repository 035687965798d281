//! LSD radix sort by an integer key: a few sequential passes over the
//! items where a comparison sort would make twenty over hundreds of
//! thousands of them (the postings of a batch).

/// Bits sorted by one pass.
pub const BITS: u32 = 11;
const BUCKETS: usize = 1 << BITS;

/// Sorts `items` by the low `passes` × 11 bits of `key`, keeping the
/// order of equal keys; a digit every item shares costs one counting pass
/// and no move. `spare` is scratch room, kept for the next sort.
pub fn sort_by_key<T: Copy + Default>(
    items: &mut Vec<T>,
    spare: &mut Vec<T>,
    passes: u32,
    key: impl Fn(&T) -> u64,
) {
    let digit = |v: &T, pass: u32| ((key(v) >> (pass * BITS)) as usize) & (BUCKETS - 1);
    let mut counts = vec![[0usize; BUCKETS]; passes as usize];
    for v in items.iter() {
        for (pass, count) in counts.iter_mut().enumerate() {
            count[digit(v, pass as u32)] += 1;
        }
    }
    spare.clear();
    spare.resize(items.len(), T::default());
    for (pass, count) in counts.iter().enumerate() {
        if count.contains(&items.len()) {
            continue;
        }
        let mut next = [0usize; BUCKETS];
        let mut sum = 0;
        for (n, c) in next.iter_mut().zip(count) {
            *n = sum;
            sum += c;
        }
        for v in items.iter() {
            let d = digit(v, pass as u32);
            spare[next[d]] = *v;
            next[d] += 1;
        }
        std::mem::swap(items, spare);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_by_the_key_and_keeps_the_order_of_equals() {
        // (key, place in the input): a stable sort by key.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut items: Vec<(u64, usize)> = (0..20_000)
            .map(|n| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state % 5_000_000, n)
            })
            .collect();
        let mut expected = items.clone();
        expected.sort_by_key(|&(k, _)| k);
        sort_by_key(&mut items, &mut Vec::new(), 3, |&(k, _)| k);
        assert_eq!(items, expected);
    }

    #[test]
    fn bits_above_the_passes_are_not_sorted() {
        let mut items = vec![(1u64 << 40) | 2, 1, 2];
        sort_by_key(&mut items, &mut Vec::new(), 1, |&k| k);
        assert_eq!(items, vec![1, (1u64 << 40) | 2, 2]);
    }
}
