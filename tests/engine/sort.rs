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

    /// `VecMap::from_entries` is `collect`: of equal keys the last entry is kept.
    #[test]
    fn a_map_from_entries_is_the_collected_map(v in prop::collection::vec(("[abc]{0,2}", any::<u8>()), 0..60)) {
        let collected: cal_calc::vecmap::VecMap<String, u8> = v.iter().cloned().collect();
        let built = cal_calc::vecmap::VecMap::from_entries(v.clone());
        let btree: std::collections::BTreeMap<String, u8> = v.into_iter().collect();
        prop_assert!(built.iter().eq(btree.iter()));
        prop_assert_eq!(built, collected);
    }
}
