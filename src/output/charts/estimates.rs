//! The three interval charts: rc_dimensions.svg, rc_units.svg and leadership.svg.

use super::canvas::{band_colour, palette};
use super::dotplot::{DotPlot, Row, Section};
use crate::config::{Bands, Lang};
use crate::output::i18n::{
    dimension, fewer_than, group, is_are, n_is, num, one_or_many, t, unit_count,
};
use crate::results::{Leadership, Rc};

fn guides(b: Bands, lang: Lang) -> Vec<(f64, String)> {
    vec![
        (b.moderate, num(b.moderate, 1, lang)),
        (b.strong, num(b.strong, 1, lang)),
    ]
}

fn band_of(b: Bands, v: f64) -> &'static str {
    b.classify(v)
}

/// The seven dimensions with their intervals, communication and relationship apart.
pub fn dimensions(rc: &Rc, bands: Bands, min_n: usize, lang: Lang) -> Result<DotPlot, String> {
    let mut sections = Vec::new();
    for (sub, heading) in [
        ("communication", t(lang, "Kommunikation", "Communication")),
        ("relationship", t(lang, "Relationer", "Relationship")),
    ] {
        let rows: Vec<Row> = rc
            .dimensions
            .iter()
            .filter(|d| d.subindex == sub)
            .filter_map(|d| {
                Some(Row {
                    label: dimension(lang, &d.dimension),
                    value: d.mean?,
                    ci: d.ci_low.zip(d.ci_high),
                    colour: band_colour(band_of(bands, d.mean?)),
                    note: n_is(d.n_respondents, min_n),
                    spread: None,
                    marks: vec![],
                })
            })
            .collect();
        if !rows.is_empty() {
            sections.push(Section {
                heading: Some(heading.into()),
                rows,
            });
        }
    }
    if sections.is_empty() {
        return Err(t(
            lang,
            "Ingen dimension har svar nok til at blive vist.",
            "No dimension has enough answers to be shown.",
        )
        .into());
    }
    Ok(DotPlot {
        title: t(lang, "De syv dimensioner", "The seven dimensions").into(),
        subtitle: t(
            lang,
            "Gennemsnit med 95 %-konfidensinterval (klyngerobust pr. respondent).",
            "Mean with 95 % confidence interval (clustered by respondent).",
        )
        .into(),
        sections,
        x_label: t(lang, "Gennemsnit (1–5)", "Mean (1–5)").into(),
        guides: guides(bands, lang),
        caption: vec![match lang {
            Lang::Da => format!(
                "{} respondenter. Linjerne viser grænserne for svag, moderat og stærk koordinering.",
                n_is(rc.network.n_respondents, min_n)
            ),
            Lang::En => format!(
                "{} respondents. The lines mark the thresholds of weak, moderate and strong coordination.",
                n_is(rc.network.n_respondents, min_n)
            ),
        }],
    })
}

/// Units ranked by RC with their intervals: overlapping intervals are the point.
/// The units chart names every unit up to this many.
pub const ALL_UNITS_UP_TO: usize = 150;
/// Beyond that, it shows this many highest and this many lowest units.
pub const EXTREMES: usize = 25;

pub fn units(rc: &Rc, bands: Bands, min_n: usize, lang: Lang) -> Result<DotPlot, String> {
    let mut shown: Vec<&crate::results::Unit> = rc
        .units
        .iter()
        .filter(|u| u.estimate.score.is_some())
        .collect();
    if shown.len() < 2 {
        return Err(t(
            lang,
            "Færre end to enheder har respondenter nok til at blive vist.",
            "Fewer than two units have enough respondents to be shown.",
        )
        .into());
    }
    shown.sort_by(|a, b| {
        b.estimate
            .score
            .unwrap_or(0.0)
            .total_cmp(&a.estimate.score.unwrap_or(0.0))
            .then(a.unit.cmp(&b.unit))
    });
    // At national scale (thousands of units) the chart names the highest and the lowest
    // units; a strip of thousands of unnamed rows was tens of megabytes and unreadable.
    let extremes = shown.len() > ALL_UNITS_UP_TO;
    let row = |u: &&crate::results::Unit| {
        let v = u.estimate.score.unwrap_or_default();
        Row {
            label: match &u.municipality {
                Some(m) => format!("{m} · {}", u.unit),
                None => u.unit.clone(),
            },
            value: v,
            ci: u.estimate.ci_low.zip(u.estimate.ci_high),
            colour: band_colour(band_of(bands, v)),
            note: n_is(u.estimate.n, min_n),
            spread: None,
            marks: vec![],
        }
    };
    let sections = if extremes {
        vec![
            Section {
                heading: Some(match lang {
                    Lang::Da => format!("De {EXTREMES} højeste"),
                    Lang::En => format!("The {EXTREMES} highest"),
                }),
                rows: shown[..EXTREMES].iter().map(row).collect(),
            },
            Section {
                heading: Some(match lang {
                    Lang::Da => format!("De {EXTREMES} laveste"),
                    Lang::En => format!("The {EXTREMES} lowest"),
                }),
                rows: shown[shown.len() - EXTREMES..].iter().map(row).collect(),
            },
        ]
    } else {
        vec![Section {
            heading: None,
            rows: shown.iter().map(row).collect(),
        }]
    };
    let mut caption = vec![t(
        lang,
        "Enhederne står i rækkefølge efter gennemsnit, men overlappende intervaller betyder, at forskellen kan være tilfældig.",
        "Units are ordered by mean, but overlapping intervals mean the difference may be chance.",
    )
    .to_string()];
    if extremes {
        caption.push(match lang {
            Lang::Da => format!(
                "De {} enheder imellem er ikke tegnet; units.csv har alle {}.",
                shown.len() - 2 * EXTREMES,
                shown.len()
            ),
            Lang::En => format!(
                "The {} units in between are not drawn; units.csv has all {}.",
                shown.len() - 2 * EXTREMES,
                shown.len()
            ),
        });
    }
    let small = rc
        .units
        .iter()
        .filter(|u| u.estimate.suppressed && u.estimate.n.is_none())
        .count();
    let guarded = rc.units_suppressed - small;
    if small > 0 {
        caption.push(match lang {
            Lang::Da => format!(
                "{} med {} respondenter er ikke vist.",
                unit_count(lang, small),
                fewer_than(lang, min_n)
            ),
            Lang::En => format!(
                "{} with {} respondents {} not shown.",
                unit_count(lang, small),
                fewer_than(lang, min_n),
                is_are(small)
            ),
        });
    }
    if guarded > 0 {
        caption.push(match lang {
            Lang::Da => format!("{} mere er skjult, så de små enheders tal ikke kan regnes ud af de øvrige.", unit_count(lang, guarded)),
            Lang::En => format!("{guarded} more {} hidden, so the small units' figures cannot be worked out from the rest.", one_or_many(guarded, "unit is", "units are")),
        });
    }
    Ok(DotPlot {
        title: t(
            lang,
            "Relationel koordinering i enhederne",
            "Relational coordination by unit",
        )
        .into(),
        subtitle: t(
            lang,
            "Gennemsnit med 95 %-konfidensinterval.",
            "Mean with 95 % confidence interval.",
        )
        .into(),
        sections,
        x_label: t(lang, "Gennemsnit (1–5)", "Mean (1–5)").into(),
        guides: guides(bands, lang),
        caption,
    })
}

/// Leadership dimensions by group, with the spread of the shown units' means.
pub fn leadership(l: &Leadership, min_n: usize, lang: Lang) -> Result<DotPlot, String> {
    let mut sections = Vec::new();
    for g in &l.groups {
        let rows: Vec<Row> = l
            .dimensions
            .iter()
            .filter(|d| d.group == g.group)
            .filter_map(|d| {
                let name = d.dimension.clone()?;
                let marks: Vec<f64> = l
                    .units
                    .iter()
                    .filter_map(|u| {
                        u.dimensions
                            .iter()
                            .find(|x| x.dimension.as_deref() == Some(name.as_str()))?
                            .mean
                    })
                    .collect();
                let spread = (marks.len() >= 2).then(|| {
                    (
                        marks.iter().copied().fold(f64::INFINITY, f64::min),
                        marks.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                    )
                });
                Some(Row {
                    label: name,
                    value: d.mean?,
                    ci: d.ci_low.zip(d.ci_high),
                    colour: match g.group.as_str() {
                        "framing" => palette::ORANGE,
                        "engaging" => palette::GREEN,
                        "involving" => palette::PURPLE,
                        _ => palette::SKY,
                    },
                    note: n_is(d.n, min_n),
                    spread,
                    marks,
                })
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        let heading = match (g.mean, g.rank) {
            (Some(m), Some(r)) => format!(
                "{} — {} {}, {} {r}",
                group(lang, &g.group),
                t(lang, "gennemsnit", "mean"),
                num(m, 2, lang),
                t(lang, "nr.", "rank")
            ),
            _ => group(lang, &g.group),
        };
        sections.push(Section {
            heading: Some(heading),
            rows,
        });
    }
    if sections.is_empty() {
        return Err(t(
            lang,
            "Ledelsestallene bygger på for få besvarelser til at blive vist.",
            "The leadership figures rest on too few answers to be shown.",
        )
        .into());
    }
    let shown_units = l.units.iter().filter(|u| u.score.score.is_some()).count();
    Ok(DotPlot {
        title: t(lang, "Ledelse, som medarbejderne oplever den", "Leadership as staff experience it").into(),
        subtitle: t(
            lang,
            "Gennemsnit med 95 %-interval; det grå bånd og stregerne viser spredningen mellem enhederne.",
            "Mean with 95 % interval; the grey band and ticks show the spread between units.",
        )
        .into(),
        sections,
        x_label: t(lang, "Gennemsnit (1–5)", "Mean (1–5)").into(),
        guides: vec![],
        caption: vec![match lang {
            Lang::Da => format!("{} medarbejdere; {} vist.", n_is(l.score.n, min_n), unit_count(lang, shown_units)),
            Lang::En => format!("{} staff; {} shown.", n_is(l.score.n, min_n), unit_count(lang, shown_units)),
        }],
    })
}
