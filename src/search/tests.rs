//! Ranking and matching tests of the search engine, on the explorer fixture.

use super::*;

fn conference() -> Conference {
    crate::test_support::explorer_conference()
}

/// Ids of the hits for `query`, best first.
fn ids(conference: &Conference, query: &str) -> Vec<String> {
    let index = SearchIndex::new(Arc::new(conference.clone()));
    index
        .search_str(query, 100)
        .expect("valid query")
        .into_iter()
        .map(|hit| match hit.item {
            Item::Statement(i) => conference.statement_id(i).to_owned(),
            Item::Speaker(i) => format!("speaker:{}", conference.data.speakers[i].id),
            Item::Session(i) => format!("session:{}", conference.data.sessions[i].id),
            Item::Source(_) | Item::Dispute(_) => unreachable!("not indexed"),
        })
        .collect()
}

#[test]
fn unaccented_query_finds_diacritics_and_accented_query_finds_plain_text() {
    let c = conference();
    // The speaker whose name is shown ranks above the statements that match by speaker.
    assert_eq!(
        ids(&c, "nguyen van a")[..3],
        ["speaker:nguyen-van-a", "a-quote", "a-closing"]
    );
    assert!(ids(&c, "khong ai bi bo lai").contains(&"a-quote".to_owned()));
    assert!(ids(&c, "kỷ nguyên").contains(&"a-quote".to_owned()));
    assert!(ids(&c, "cóoperátion").contains(&"b-paraphrase".to_owned()));
}

/// A field's term that matches the text an item's row shows ranks the item above the
/// items that only share it, as a plain term does, and lights it up.
#[test]
fn a_field_term_ranks_and_highlights_the_item_whose_row_shows_the_field() {
    let c = conference();
    assert_eq!(ids(&c, "session:closing")[0], "session:closing");
    assert_eq!(
        ids(&c, "speaker:nguyen van a")[..3],
        ["speaker:nguyen-van-a", "a-quote", "a-closing"]
    );
    let index = SearchIndex::new(Arc::new(c.clone()));
    let hits = index.search_str("session:closing", 1).expect("valid");
    // "Closing session": the first seven chars.
    assert_eq!(hits[0].highlights, (0..7).collect::<Vec<_>>());
    let hits = index.search_str("country:viet", 10).expect("valid");
    assert!(hits.iter().all(|hit| hit.highlights.is_empty()), "{hits:?}");
}

#[test]
fn smart_case_only_when_the_query_has_a_capital() {
    let c = conference();
    assert!(ids(&c, "delegate b").contains(&"speaker:delegate-b".to_owned()));
    assert!(ids(&c, "Delegate").contains(&"speaker:delegate-b".to_owned()));
    assert!(!ids(&c, "DELEGATE").contains(&"speaker:delegate-b".to_owned()));
}

#[test]
fn substring_hits_rank_above_scattered_hits() {
    let c = conference();
    // "closing" is unbroken in the closing session and statement, scattered elsewhere.
    let hits = ids(&c, "closing");
    assert!(
        hits[0] == "a-closing" || hits[0] == "session:closing",
        "{hits:?}"
    );
    let index = SearchIndex::new(Arc::new(c.clone()));
    let scores: Vec<i64> = index
        .search_str("closing", 10)
        .expect("valid")
        .iter()
        .map(|h| h.score)
        .collect();
    assert!(scores[0] >= SUBSTRING_BONUS);
}

#[test]
fn every_term_must_hold_and_exclusions_exclude() {
    let c = conference();
    assert_eq!(
        ids(&c, "speaker:delegate kind:paraphrase"),
        ["b-paraphrase"]
    );
    assert_eq!(
        ids(
            &c,
            "speaker:delegate !greetings !'deliberately kind:verbatim"
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        ids(&c, "speaker:delegate kind:verbatim !greetings"),
        ["b-long"]
    );
    assert_eq!(ids(&c, "'greetings"), ["b-message"]);
    assert_eq!(ids(&c, "\"send our greetings\""), ["b-message"]);
}

#[test]
fn prefix_suffix_and_whole_field() {
    let c = conference();
    assert_eq!(ids(&c, "^cooperation"), ["b-paraphrase"]);
    assert_eq!(ids(&c, "cybercrime$"), ["b-paraphrase"]);
    assert_eq!(
        ids(&c, "session:^closing"),
        ["session:closing", "a-closing"]
    );
    assert!(
        ids(&c, "session:^closing$").is_empty(),
        "the title is longer"
    );
    assert_eq!(
        ids(&c, "session:^\"closing session\"$"),
        ["session:closing", "a-closing"]
    );
    assert!(ids(&c, "^operation").is_empty());
}

#[test]
fn field_filters_limit_where_a_term_may_match() {
    let c = conference();
    assert_eq!(ids(&c, "country:viet kind:paraphrase"), ["a-closing"]);
    assert_eq!(ids(&c, "session:opening 'cybercrime"), ["b-paraphrase"]);
    assert_eq!(ids(&c, "date:2025-10-26"), ["a-closing", "session:closing"]);
    assert_eq!(ids(&c, "date:2025-10 kind:verbatim").len(), 3);
    assert!(
        ids(&c, "speaker:closing").is_empty(),
        "speaker: does not look in the text"
    );
}

#[test]
fn equal_scores_keep_dataset_order() {
    let c = conference();
    let hits = ids(&c, "kind:verbatim");
    assert_eq!(
        hits,
        ["a-quote", "b-long", "b-message"],
        "all score 0: file order"
    );
    let again = ids(&c, "kind:verbatim");
    assert_eq!(hits, again);
}

#[test]
fn highlights_point_at_the_original_characters() {
    let c = conference();
    let index = SearchIndex::new(Arc::new(c.clone()));
    let hit = index.search_str("\"bo lai\"", 1).expect("valid").remove(0);
    let Item::Statement(i) = hit.item else {
        panic!("a statement")
    };
    let text: Vec<char> = c.statements().text(i).chars().collect();
    let shown: String = hit.highlights.iter().map(|&i| text[i]).collect();
    assert_eq!(shown, "bỏ lại");
}

#[test]
fn matches_outside_the_shown_text_are_not_highlighted() {
    let c = conference();
    let index = SearchIndex::new(Arc::new(c.clone()));
    let hits = index.search_str("speaker:nguyen", 5).expect("valid");
    let statement = hits
        .iter()
        .find(|h| matches!(h.item, Item::Statement(_)))
        .expect("a statement");
    assert!(statement.highlights.is_empty());
}

#[test]
fn limit_keeps_the_best_and_empty_queries_find_nothing() {
    let c = conference();
    let index = SearchIndex::new(Arc::new(c.clone()));
    let all = index.search_str("e", 100).expect("valid");
    let top = index.search_str("e", 3).expect("valid");
    assert_eq!(top, all[..3]);
    assert!(index.search_str("  ", 10).expect("valid").is_empty());
    assert!(index.search_str("e", 0).expect("valid").is_empty());
}

/// Every item scored exactly, best first: what the pruned scan must agree with.
fn scored_exhaustively(index: &SearchIndex, query: &str) -> Vec<Scored> {
    let query = parse(query).expect("valid");
    let prepared = index.prepare(&query);
    let mut all: Vec<Scored> = (0..index.len())
        .filter_map(|order| {
            match index
                .evaluate(&prepared, order, Precision::Exact, None, None)
                .0
            {
                Estimate::Exact(score) => Some(Scored {
                    score,
                    order: order as u32,
                }),
                Estimate::Absent => None,
                Estimate::AtMost(_) => panic!("an exact look gave a bound"),
            }
        })
        .collect();
    all.sort_unstable_by_key(Scored::rank);
    all
}

/// With a floor, a close look at a one-term query of scattered letters may give a bound
/// instead of the score, below the floor and never below the score; and it does for many
/// statements when the floor is well above their score (a floor passed along wrongly
/// would leave every score worked out).
#[test]
fn a_floor_lets_a_close_look_bound_rather_than_score() {
    let index = SearchIndex::new(Arc::new(crate::test_support::synthetic_conference(3_000)));
    for query in ["cprtn", "hptc"] {
        let parsed = parse(query).expect("valid");
        let prepared = index.prepare(&parsed);
        let mut bounded = 0;
        for order in 0..index.len() {
            let exact = match index
                .evaluate(&prepared, order, Precision::Exact, None, None)
                .0
            {
                Estimate::Exact(score) => score,
                Estimate::Absent => continue,
                Estimate::AtMost(_) => panic!("an exact look gave a bound"),
            };
            // A floor on the shown text, as the scan works it out, well above the score.
            let floor = exact - SHOWN_BONUS + 30;
            let (estimate, _) =
                index.evaluate(&prepared, order, Precision::Tight, None, Some(floor));
            let (Estimate::Exact(given) | Estimate::AtMost(given)) = estimate else {
                panic!("{query}: item {order} matches");
            };
            assert!(
                given >= exact,
                "{query}: item {order} given {given}, scores {exact}"
            );
            if given != exact {
                assert!(given - SHOWN_BONUS < floor, "{query}: item {order}");
                bounded += 1;
            }
        }
        assert!(bounded > 200, "{query}: only {bounded} bounded");
    }
}

/// Scattered matches are scored only when their bound could place them among the best;
/// the results and counts must be those of scoring everything.
#[test]
fn the_pruned_scan_finds_what_scoring_everything_finds() {
    let index = SearchIndex::new(Arc::new(crate::test_support::synthetic_conference(6_000)));
    for query in [
        "cooperation",
        "hop tac quoc te",
        "cprtn",
        "dlgtns",
        "Cprtn",
        "c",
        "Coop",
        "coop !'cooperation",
        "speaker:a coop",
        "kind:verbatim hop",
        "^the",
        "zzqx",
    ] {
        let exhaustive = scored_exhaustively(&index, query);
        let prepared_query = parse(query).expect("valid");
        let prepared = index.prepare(&prepared_query);
        for limit in [1, 7, 200] {
            let scan = index
                .scan(&prepared, &index.everything(), limit, None, &|| false)
                .expect("not cancelled");
            let mut orders: Vec<u32> = exhaustive.iter().map(|s| s.order).collect();
            orders.sort_unstable();
            assert_eq!(
                scan.matched, orders,
                "{query:?}: every match, in index order"
            );
            assert_eq!(
                scan.best,
                exhaustive[..limit.min(exhaustive.len())],
                "{query:?} limit {limit}"
            );
        }
    }
}

/// A query typed letter by letter at the end of one fuzzy term: each scan looks only at
/// the last one's matches, carries their reaches and starts from a floor, as the search
/// worker does. Its results and counts must be those of scoring everything, and it must
/// have left some matches unscored (their reach is the one carried).
#[test]
fn a_scan_extending_the_last_finds_what_scoring_everything_finds() {
    let index = SearchIndex::new(Arc::new(crate::test_support::synthetic_conference(6_000)));
    for (typed, filters) in [("cprtnl", ""), ("dlgtns", "kind:verbatim "), ("Tprtn", "")] {
        for limit in [1, 20, 200] {
            let mut last: Option<(String, Scan)> = None;
            let mut carried_somewhere = false;
            for end in 1..=typed.len() {
                let query = format!("{filters}{}", &typed[..end]);
                let parsed = parse(&query).expect("valid");
                let mut prepared = index.prepare(&parsed);
                prepared.track_reaches();
                assert!(prepared.tracks_reach, "{query:?}");
                let candidates = match &last {
                    Some((last_query, scan)) => Candidates::Extending {
                        orders: &scan.matched,
                        reaches: &scan.reaches,
                        shorter_chars: last_query.chars().count() - filters.len(),
                    },
                    None => index.everything(),
                };
                let floor = last.as_ref().and_then(|(_, scan)| {
                    let orders: Vec<u32> = scan.best.iter().map(|s| s.order).collect();
                    index.floor(&prepared, &orders, limit)
                });
                let scan = (index.scan(&prepared, &candidates, limit, floor, &|| false))
                    .expect("not cancelled");
                let exhaustive = scored_exhaustively(&index, &query);
                let mut orders: Vec<u32> = exhaustive.iter().map(|s| s.order).collect();
                orders.sort_unstable();
                assert_eq!(scan.matched, orders, "{query:?}: every match, in order");
                assert_eq!(
                    scan.best,
                    exhaustive[..limit.min(exhaustive.len())],
                    "{query:?} limit {limit}"
                );
                assert_eq!(scan.reaches.len(), scan.matched.len());
                if let (
                    Candidates::Extending {
                        reaches, orders, ..
                    },
                    Some(extension),
                ) = (&candidates, Extension::new(&typed[..end], end - 1))
                {
                    let carried: std::collections::HashMap<u32, Reach> = (orders.iter())
                        .zip(reaches.iter())
                        .map(|(&order, &reach)| (order, extension.apply(reach)))
                        .collect();
                    carried_somewhere |= (scan.matched.iter().zip(&scan.reaches))
                        .any(|(order, reach)| *reach != Reach::UNKNOWN && carried[order] == *reach);
                }
                last = Some((query, scan));
            }
            assert!(
                carried_somewhere,
                "{typed:?} limit {limit}: some matches left unscored"
            );
        }
    }
}

#[test]
fn reaches_are_kept_one_per_match_once_one_is_known() {
    let known = Reach::new(40, -1);
    let unknown = Reach::UNKNOWN;
    let mut reaches = Vec::new();
    join_reaches(&mut reaches, 0, &[], 3);
    join_reaches(&mut reaches, 3, &[unknown], 1);
    assert!(reaches.is_empty(), "nothing known, nothing kept");
    join_reaches(&mut reaches, 4, &[known], 1);
    assert_eq!(reaches, [unknown, unknown, unknown, unknown, known]);
    join_reaches(&mut reaches, 5, &[], 2);
    join_reaches(&mut reaches, 7, &[known, unknown], 2);
    assert_eq!(reaches.len(), 9);
    assert_eq!(reaches[5..], [unknown, unknown, known, unknown]);
}

proptest::proptest! {
    /// Whatever is typed, parsing and searching return (results or an error), never panic.
    #[test]
    fn any_query_never_panics(input in "\\PC{0,40}", operators in "[ !'^$:\"a-zđĐ]{0,20}") {
        let c = conference();
        let index = SearchIndex::new(Arc::new(c.clone()));
        for query in [input.as_str(), operators.as_str(), &format!("{operators}{input}")] {
            if let Ok(hits) = index.search_str(query, 10) {
                for hit in hits {
                    let shown = c.shown_text(hit.item).chars().count();
                    proptest::prop_assert!(hit.highlights.iter().all(|&h| h < shown));
                }
            }
        }
    }
}
