//! criterion benches of the hot paths: answer parsing, building the Answers table, the RC,
//! leadership and quality measures on a simulated survey, the privacy pass, and the
//! statistics kernels. `cargo bench` (release); scripts/bench.sh times the whole report.

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};

use relcap::answers::{Answers, AnswersBuilder};
use relcap::config::Settings;
use relcap::input::labels::{for_rc_dimension, parse_answer};
use relcap::input::{load_citizens, load_staff, Input, Source};
use relcap::measures::{leadership, quality, rc};
use relcap::simulate::{write, Shape};
use relcap::stats::change::mean_change;
use relcap::stats::ols::{fit, SeType};
use relcap::stats::reliability::alpha;

/// A simulated survey of about 2,000 staff and 2,400 citizens in 80 units, read once.
struct Survey {
    _dir: tempfile::TempDir,
    staff: std::path::PathBuf,
    citizens: std::path::PathBuf,
}

fn survey() -> Survey {
    let dir = tempfile::tempdir().expect("temp dir");
    let shape = Shape {
        municipalities: 4,
        units: 20,
        staff: 25,
        citizens: 30,
        roles: 7,
        seed: 1,
    };
    write(dir.path(), shape).expect("simulate");
    Survey {
        staff: dir.path().join("staff.csv"),
        citizens: dir.path().join("citizens.csv"),
        _dir: dir,
    }
}

fn load(
    path: &Path,
    citizens: bool,
    s: &Settings,
) -> (Answers, Vec<(String, String)>, Vec<String>) {
    let mut b = AnswersBuilder::default();
    let (design, items) = if citizens {
        let c = load_citizens(Input::new(path), Source::default(), s, &mut b).expect("citizens");
        (Vec::new(), c.file.items)
    } else {
        let st = load_staff(Input::new(path), Source::default(), s, &mut b).expect("staff");
        (st.file.leadership, Vec::new())
    };
    (b.finish().expect("answers"), design, items)
}

fn inputs(c: &mut Criterion) {
    let scale = for_rc_dimension("timely");
    let cells = ["4", " 5", "Ved ikke", "", "3", "Altid", "2", "1", "NA", "5"];
    let s = Settings::default();
    c.bench_function("parse_answer (10 cells)", |b| {
        b.iter(|| {
            for cell in cells {
                black_box(parse_answer(black_box(cell), &scale, |r| s.is_missing(r)).ok());
            }
        })
    });
    let data = survey();
    c.bench_function("read and normalize 2k staff", |b| {
        b.iter(|| black_box(load(&data.staff, false, &s).0.has("rc")))
    });
}

fn measures(c: &mut Criterion) {
    let data = survey();
    let s = Settings::default();
    let (staff, design, _) = load(&data.staff, false, &s);
    let (citizens, _, items) = load(&data.citizens, true, &s);
    c.bench_function("rc::compute 2k staff", |b| {
        // The measure takes the RC sheet out of the answers, so each run gets a copy
        // (its columns shared, not copied).
        b.iter_batched(
            || staff.clone(),
            |mut staff| {
                black_box(
                    rc::compute(&mut staff, &s, false)
                        .expect("rc")
                        .0
                        .pairs
                        .len(),
                )
            },
            BatchSize::SmallInput,
        )
    });
    c.bench_function("leadership::compute 2k staff", |b| {
        b.iter(|| {
            black_box(
                leadership::compute(&staff, &design, &s, false)
                    .expect("leadership")
                    .is_some(),
            )
        })
    });
    c.bench_function("quality::compute 2.4k citizens", |b| {
        b.iter(|| {
            black_box(
                quality::compute(&citizens, &items, &s)
                    .expect("quality")
                    .is_some(),
            )
        })
    });
    let (rc_figures, ..) = rc::compute(&mut staff.clone(), &s, false).expect("rc");
    let mut results = relcap::results::Results {
        rc: Some(rc_figures),
        ..relcap::results::Results::new(s.clone())
    };
    results.settings.min_n = 5;
    c.bench_function("privacy pass (80 units, 49 pairs)", |b| {
        b.iter_batched(
            || results.clone(),
            |mut r| {
                relcap::privacy::apply_all(&mut r);
                black_box(r)
            },
            BatchSize::SmallInput,
        )
    });
}

fn stats(c: &mut Criterion) {
    let n = 10_000;
    let x: Vec<f64> = (0..n).map(|i| 1.0 + (i % 97) as f64 / 25.0).collect();
    let z: Vec<f64> = (0..n).map(|i| ((i * 7919) % 101) as f64 / 30.0).collect();
    let y: Vec<f64> = x
        .iter()
        .zip(&z)
        .map(|(a, b)| 0.4 * a + 0.1 * b + ((a * 13.0).sin()))
        .collect();
    let clusters: Vec<usize> = (0..n).map(|i| i / 25).collect();
    c.bench_function("ols cr1 10k x 2", |b| {
        b.iter(|| {
            black_box(
                fit(
                    &y,
                    &[("x", &x), ("z", &z)],
                    SeType::Cr1,
                    Some(&clusters),
                    0.95,
                )
                .expect("fit")
                .r2,
            )
        })
    });
    let from: Vec<(u32, f64)> = (0..n as u32).map(|i| (i, x[i as usize])).collect();
    let to: Vec<(u32, f64)> = (n as u32 / 2..n as u32 * 3 / 2)
        .map(|i| (i, y[(i as usize) % n]))
        .collect();
    c.bench_function("mean_change partially paired 10k", |b| {
        b.iter(|| black_box(mean_change(&from, &to, 0.95).expect("change").se))
    });
    // Cronbach's alpha of seven 1–5 items over 100k ties, as the RC reliability reads them.
    let ties = 100_000;
    let items: Vec<Vec<f64>> = (0..7)
        .map(|j| {
            (0..ties)
                .map(|i| (1 + (i * 31 + j * 17 + i / 7) % 5) as f64)
                .collect()
        })
        .collect();
    c.bench_function("alpha 100k ties x 7", |b| {
        b.iter(|| black_box(alpha(&items).alpha))
    });
}

fn outputs(c: &mut Criterion) {
    // The id scan of an output: 8 MB of results.json-like rows (keys, 16-digit figures,
    // names), against 100k ids of 8 characters, none of them in the text.
    let ids: relcap::audit::Ids = (0..100_000).map(|i| format!("S{i:07}")).collect();
    let row = |i: usize| {
        format!(
            "{{\"municipality\":\"Kommune {m:02}\",\"unit\":\"Enhed {u:02}\",\"score\":{{\"mean\":{x},\"sd\":{y},\"n\":{n},\"band\":\"moderate\",\"suppressed\":false}},\"leader_a\":\"Leder {m:02}-{u:02}\",\"priority\":2.0}},\n",
            m = i % 98,
            u = i % 41,
            x = 3.0 + (i as f64).sqrt().fract(),
            y = 0.5 * (i as f64).ln_1p().fract(),
            n = 5 + i % 30
        )
    };
    let mut text = String::new();
    let mut i = 0;
    while text.len() < 8 << 20 {
        text.push_str(&row(i));
        i += 1;
    }
    c.bench_function("id scan of 8 MB of results", |b| {
        b.iter(|| black_box(relcap::audit::ids_in(&text, &ids).len()))
    });
}

criterion_group!(benches, inputs, measures, stats, outputs);
criterion_main!(benches);
