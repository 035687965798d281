//! Running a job over a list on a few threads, results in the list's order.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs `job` over `inputs` on at most `threads` threads (at least one),
/// each taking the next input when it is free. Output `i` is `job`'s for
/// input `i`, or `None` if it never finished. A single input, or a single
/// thread, runs on the calling thread: a thread of its own would add
/// nothing but its start.
pub fn at_most<I: Sync, O: Send>(
    inputs: &[I],
    threads: usize,
    job: &(dyn Fn(&I) -> O + Sync),
) -> Vec<Option<O>> {
    if threads <= 1 || inputs.len() <= 1 {
        return inputs.iter().map(|input| Some(job(input))).collect();
    }
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<O>>> = Mutex::new((0..inputs.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads.clamp(1, inputs.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(input) = inputs.get(i) else { break };
                    let output = job(input);
                    if let Ok(mut results) = results.lock() {
                        results[i] = Some(output);
                    }
                }
            });
        }
    });
    results.into_inner().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_follow_the_inputs_order_whatever_finishes_first() {
        let inputs: Vec<u64> = (0..20).collect();
        let outputs = at_most(&inputs, 3, &|n: &u64| {
            // Later inputs finish first.
            std::thread::sleep(std::time::Duration::from_millis(20 - n));
            n * 10
        });
        let want: Vec<Option<u64>> = (0..20).map(|n| Some(n * 10)).collect();
        assert_eq!(outputs, want);
        assert!(at_most(&[] as &[u64], 0, &|n: &u64| *n).is_empty());
        assert_eq!(at_most(&[7u64], 4, &|n: &u64| n * 10), [Some(70)]);
        assert_eq!(at_most(&inputs, 1, &|n: &u64| n * 10), want);
    }
}
