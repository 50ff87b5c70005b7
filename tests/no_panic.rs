//! No input may panic the reader or the normalizer: property tests over arbitrary bytes
//! and over CSV-like text built from the tokens real exports contain.

use std::path::Path;

use proptest::prelude::*;
use relcap::answers::AnswersBuilder;
use relcap::config::Settings;
use relcap::input::read::{parse_table, ReadOptions};
use relcap::input::staff::{normalize, StaffOptions};

fn read_and_normalize(bytes: &[u8], header_rows: Option<usize>, lenient: bool) {
    let opts = ReadOptions { header_rows };
    if let Ok(table) = parse_table(Path::new("fuzz.csv"), bytes, opts) {
        let mut answers = AnswersBuilder::default();
        let staff = StaffOptions {
            codebook: None,
            lenient,
        };
        if normalize(&table, &Settings::default(), staff, &mut answers).is_ok() {
            answers.finish().expect("a normalized table always builds");
        }
    }
}

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("respondent".to_string()),
        Just("role".to_string()),
        Just("unit".to_string()),
        Just("position".to_string()),
        Just("timely:Læge".to_string()),
        Just("frequent:Pædagog".to_string()),
        Just("target".to_string()),
        Just("dimension".to_string()),
        Just("value".to_string()),
        Just("leder".to_string()),
        Just("Ved ikke".to_string()),
        Just("Just the right amount".to_string()),
        Just("{\"ImportId\":\"QID1\"}".to_string()),
        "[0-9]{1,3}",
        "[ -~æøåÆØÅ\u{feff}\"]{0,6}",
    ]
}

fn csv_like() -> impl Strategy<Value = String> {
    let row = prop::collection::vec(token(), 0..7);
    (
        prop::collection::vec(row, 0..8),
        prop::sample::select(vec![",", ";", "\t"]),
        prop::sample::select(vec!["\n", "\r\n"]),
    )
        .prop_map(|(rows, d, nl)| rows.iter().map(|r| r.join(d)).collect::<Vec<_>>().join(nl))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300), rows in prop::option::of(0usize..4)) {
        read_and_normalize(&bytes, rows, false);
    }

    #[test]
    fn csv_like_text_never_panics(text in csv_like(), rows in prop::option::of(0usize..4), lenient in any::<bool>()) {
        read_and_normalize(text.as_bytes(), rows, lenient);
        // The same text in UTF-16 must not panic either.
        let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
        read_and_normalize(&utf16, rows, lenient);
    }
}
