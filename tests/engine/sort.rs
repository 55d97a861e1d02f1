//! `cal_calc::sort` orders as the standard library's stable sorts do, equal elements included.

use cal_calc::sort;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Few distinct keys, so most elements tie: their order must stay as it was.
    #[test]
    fn sort_by_key_is_the_standard_stable_sort(v in prop::collection::vec((0u8..4, any::<u16>()), 0..80)) {
        let mut ours = v.clone();
        let mut std = v;
        sort::sort_by_key(&mut ours, |&(k, _)| k);
        std.sort_by_key(|&(k, _)| k);
        prop_assert_eq!(ours, std);
    }

    #[test]
    fn sort_by_is_the_standard_stable_sort(v in prop::collection::vec((0u8..3, 0u8..3, any::<u32>()), 0..80)) {
        let mut ours = v.clone();
        let mut std = v;
        sort::sort_by(&mut ours, |a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        std.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        prop_assert_eq!(ours, std);
    }

    #[test]
    fn sort_is_the_standard_sort(v in prop::collection::vec("[ab]{0,3}", 0..60)) {
        let mut ours = v.clone();
        let mut std = v;
        sort::sort(&mut ours);
        std.sort();
        prop_assert_eq!(ours, std);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// `run_of` over a `key_index` finds, for any key, exactly the positions of the list that
    /// hold it, in order, as a search of the list would.
    #[test]
    fn a_key_index_finds_every_position_of_a_key(
        keys in prop::collection::vec("[abc]{0,2}", 0..60),
        probe in "[abcd]{0,2}",
    ) {
        let index = sort::key_index(keys.iter().map(String::as_str).zip(0..).collect());
        for key in keys.iter().map(String::as_str).chain([probe.as_str()]) {
            let found: Vec<usize> = sort::run_of(&index, key).iter().map(|&(_, i)| i).collect();
            let searched: Vec<usize> = (0..keys.len()).filter(|&i| keys[i] == key).collect();
            prop_assert_eq!(found, searched);
        }
    }
}
