//! Stable sorts that share one copy of the standard library's sort.
//!
//! `slice::sort_by` is generic over the element and the comparison, so each call site with its
//! own types compiles to its own copy of the standard library's stable sort, about 5 KB of
//! WebAssembly each (31 copies were 152 KB of the app module's code before `wasm-opt`). These
//! sort the positions `0..n` instead, through one non-generic function, and then move the
//! elements into that order: the result is exactly what `sort_by` gives, equal elements keeping
//! their order. The position's and the optimiser's sorts use it too: in the browser their edits
//! took no longer (docs/benchmarks.md, "Size"). The one sort left on `sort_by_cached_key` and
//! the `sort_unstable` calls keep the standard library's.

use std::cmp::Ordering;

/// The positions `0..n` in the order `cmp` puts the elements at those positions, stably.
fn sorted_positions(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// Sorts `v` as `v.sort_by(cmp)` does (stable).
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let order = sorted_positions(v.len(), &mut |a, b| cmp(&v[a], &v[b]));
    // Where the element now at each position goes, then each cycle of that permutation swapped
    // into place.
    let mut goes_to = vec![0; order.len()];
    for (to, &from) in order.iter().enumerate() {
        goes_to[from] = to;
    }
    for i in 0..v.len() {
        while goes_to[i] != i {
            let to = goes_to[i];
            v.swap(i, to);
            goes_to.swap(i, to);
        }
    }
}

/// Sorts `v` as `v.sort_by_key(key)` does (stable).
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` as `v.sort()` does (stable).
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// Positions by text key, for looking many keys up in a list: `(key, position)` pairs sorted
/// by key and then position, so that the entries of one key are a run in the order of their
/// positions ([`run_of`]). Searching the list for each key is quadratic in a large estate; every
/// such index in the crate has this one type, so it shares one copy of the sort.
pub fn key_index(mut pairs: Vec<(&str, usize)>) -> Vec<(&str, usize)> {
    sort(&mut pairs);
    pairs
}

/// The entries of `index` ([`key_index`]) whose key is `key`, in the order of their positions.
pub fn run_of<'a>(index: &'a [(&'a str, usize)], key: &str) -> &'a [(&'a str, usize)] {
    let from = index.partition_point(|&(k, _)| k < key);
    let to = from + index[from..].partition_point(|&(k, _)| k == key);
    &index[from..to]
}
