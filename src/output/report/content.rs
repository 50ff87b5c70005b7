//! What the report says, in order: summary, relational coordination, leader relations,
//! leadership, models, data quality, method. Built from the Results only.

use super::{Block, Document};
use crate::config::Lang;
use crate::output::charts::Chart;
use crate::output::i18n::{
    band, count, dimension, fewer_than, group, n_is, num, number, signed, t,
};
use crate::results::{Estimate, Model, Results};

/// An interval, "0,12–0,40"; with a negative bound "−0,30 til −0,03", which a dash between
/// two minus signs would garble. A bound that rounds to zero is written without a sign.
fn ci(lo: Option<f64>, hi: Option<f64>, lang: Lang) -> String {
    // A bound next to 0 keeps a third decimal, so "0,00" never hides which side it is on.
    let bound = |x: f64| number(x, if x != 0.0 && x.abs() < 0.005 { 3 } else { 2 }, lang);
    match (lo, hi) {
        (Some(a), Some(b)) if bound(a).starts_with('−') || bound(b).starts_with('−') => {
            format!("{} {} {}", bound(a), t(lang, "til", "to"), bound(b))
        }
        (Some(a), Some(b)) => format!("{}–{}", bound(a), bound(b)),
        _ => "–".into(),
    }
}

/// The most rows a report table lists; the CSV tables hold the rest (national scale).
const REPORT_ROWS: usize = 100;

/// The note under a table cut at [`REPORT_ROWS`], naming where the rest is.
fn more_rows(total: usize, file: &str, lang: Lang) -> Option<String> {
    (total > REPORT_ROWS).then(|| match lang {
        Lang::Da => format!("De første {REPORT_ROWS} af {total} rækker; alle står i {file}."),
        Lang::En => format!("The first {REPORT_ROWS} of {total} rows; all are in {file}."),
    })
}

fn opt(x: Option<f64>, d: usize, lang: Lang) -> String {
    x.map_or("–".into(), |v| num(v, d, lang))
}

/// A p-value for a table cell: "0,012" or "< 0,001".
fn p_value(p: Option<f64>, lang: Lang) -> String {
    match p {
        Some(p) if p < 0.001 => format!("< {}", num(0.001, 3, lang)),
        Some(p) => num(p, 3, lang),
        None => "–".into(),
    }
}

/// A p-value in a sentence: "p = 0,012" or "p < 0,001".
fn p_is(p: Option<f64>, lang: Lang) -> String {
    match p {
        Some(x) if x < 0.001 => format!("p {}", p_value(p, lang)),
        _ => format!("p = {}", p_value(p, lang)),
    }
}

/// Why respondents were left out, in the report's language.
fn reason(r: &crate::results::Reason, lang: Lang) -> String {
    let da = match r.code.as_str() {
        "no_answers" => "ingen svar",
        "too_few_dimensions" => "ingen rolle vurderet på nok dimensioner",
        "own_role_only" => "vurderede kun egen rolle (udeladt efter valg)",
        "too_few_leadership_dimensions" => "for få ledelsesdimensioner besvaret",
        "too_few_quality_items" => "for få kvalitetsspørgsmål besvaret",
        "rated_no_relation" => "vurderede ingen relation",
        _ => "",
    };
    match lang {
        Lang::Da if !da.is_empty() => format!("{da} ({})", r.count),
        _ => format!("{} ({})", r.reason, r.count),
    }
}

fn shown(e: &Estimate, min_n: usize, lang: Lang) -> String {
    match e.score {
        Some(s) => num(s, 2, lang),
        None => fewer_than(lang, min_n),
    }
}

fn chart(charts: &[Chart], file: &str, alt: String) -> Block {
    let c = charts.iter().find(|c| c.file == file);
    Block::Chart {
        file: format!("charts/{file}"),
        alt,
        svg: c.and_then(|c| c.svg.as_ref().ok().cloned()),
        reason: c.and_then(|c| c.svg.as_ref().err().cloned()),
    }
}

/// The report of a run.
pub fn document(r: &Results, charts: &[Chart]) -> Document {
    let lang = r.settings.lang;
    let min_n = r.settings.min_n;
    let mut b = Vec::new();
    summary(r, lang, &mut b);
    if let Some(rc) = &r.rc {
        b.push(Block::Section {
            title: t(lang, "Relationel koordinering", "Relational coordination").into(),
            page_break: true,
        });
        b.push(Block::Paragraph(
            t(
                lang,
                "Medarbejderne har vurderet, hvordan de oplever samarbejdet med hver faggruppe på syv dimensioner: hyppig, rettidig, præcis og problemløsende kommunikation samt fælles mål, fælles viden og gensidig respekt. Tallene er gennemsnit på en skala fra 1 til 5 og siger noget om relationer mellem roller — ikke om enkeltpersoner.",
                "Staff rated how they experience working with each professional group on seven dimensions: frequent, timely, accurate and problem-solving communication, and shared goals, shared knowledge and mutual respect. The figures are means on a 1–5 scale and describe relations between roles — not individuals.",
            )
            .into(),
        ));
        b.push(chart(
            charts,
            "rc_matrix.svg",
            t(
                lang,
                "Rollematrix: hvordan hver rolle vurderer de andre.",
                "Role matrix: how each role rates the others.",
            )
            .into(),
        ));
        b.push(chart(
            charts,
            "rc_network.svg",
            t(lang, "Netværket af roller.", "The network of roles.").into(),
        ));
        b.push(chart(
            charts,
            "rc_dimensions.svg",
            t(lang, "De syv dimensioner.", "The seven dimensions.").into(),
        ));
        if !rc.by_position.is_empty() {
            b.push(Block::Subsection(
                t(lang, "Ledere og medarbejdere", "Leaders and staff").into(),
            ));
            b.push(Block::Paragraph(
                t(
                    lang,
                    "Ledere vurderer ofte koordineringen højere end medarbejderne; derfor vises de hver for sig.",
                    "Leaders often rate coordination higher than staff do, so they are shown apart.",
                )
                .into(),
            ));
            let rows = rc
                .by_position
                .iter()
                .map(|p| {
                    vec![
                        match p.position.as_str() {
                            "leader" => t(lang, "Ledere", "Leaders").to_string(),
                            _ => t(lang, "Medarbejdere", "Staff").to_string(),
                        },
                        p.network
                            .score
                            .map_or(fewer_than(lang, min_n), |s| num(s, 2, lang)),
                        ci(p.network.ci_low, p.network.ci_high, lang),
                        opt(p.network.within, 2, lang),
                        opt(p.network.between, 2, lang),
                        count(p.network.n_respondents, min_n),
                    ]
                })
                .collect();
            b.push(Block::Table {
                head: vec![
                    t(lang, "Gruppe", "Group").into(),
                    t(lang, "RC", "RC").into(),
                    t(lang, "95 %-interval", "95 % interval").into(),
                    t(lang, "Egen rolle", "Own role").into(),
                    t(lang, "Andre roller", "Other roles").into(),
                    "n".into(),
                ],
                rows,
                numeric: vec![false, true, true, true, true, true],
            });
        }
        b.push(Block::Subsection(t(lang, "Enhederne", "The units").into()));
        b.push(chart(
            charts,
            "rc_units.svg",
            t(
                lang,
                "Enhederne med 95 %-intervaller.",
                "The units with 95 % intervals.",
            )
            .into(),
        ));
    }
    if let Some(c) = r.changes.last() {
        change_section(c, charts, lang, min_n, &mut b);
    }
    if let Some(rel) = &r.relations {
        b.push(Block::Section {
            title: t(lang, "Lederrelationer", "Leader relations").into(),
            page_break: true,
        });
        b.push(Block::Callout(
            t(
                lang,
                "Fortroligt: Dette afsnit navngiver ledere. Vurderingerne er personlige og kan ikke anonymiseres; del hver relations tal med de to ledere, det gælder, og dialoglisten med ledergruppen — ikke bredere.",
                "Confidential: this section names leaders. The ratings are personal and cannot be anonymised; share a relation's figures with the two leaders it concerns and the dialogue list with the leader group — not more widely.",
            )
            .into(),
        ));
        b.push(Block::Paragraph(
            t(
                lang,
                "Hver leder har vurderet, hvor vigtig hver relation til en anden leder er for eget arbejde, og hvor godt den fungerer. Relationer, der er vigtige (4–5), men ikke fungerer godt (1–3), er udgangspunkt for en åben samtale: den leder, der har markeret relationen, inviterer den anden.",
                "Each leader rated how important each relation to another leader is for their own work, and how well it works. Relations that are important (4–5) but not working well (1–3) are the starting point for an open conversation: the leader who flagged the relation invites the other.",
            )
            .into(),
        ));
        b.push(chart(
            charts,
            "relations_quadrant.svg",
            t(
                lang,
                "Vigtighed og funktion for hver relation.",
                "Importance and functioning of each relation.",
            )
            .into(),
        ));
        b.push(Block::Subsection(
            t(lang, "Dialoglisten", "The dialogue list").into(),
        ));
        if rel.dialogue.is_empty() {
            b.push(Block::Paragraph(
                t(
                    lang,
                    "Ingen relation er markeret som vigtig, men ikke velfungerende.",
                    "No relation is flagged as important but not working.",
                )
                .into(),
            ));
        } else {
            let rows = rel
                .dialogue
                .iter()
                .take(REPORT_ROWS)
                .map(|e| {
                    vec![
                        e.rank.to_string(),
                        e.inviter.clone(),
                        e.invitee.clone(),
                        num(e.priority, 0, lang),
                        format!(
                            "{} / {}",
                            opt(e.importance, 0, lang),
                            opt(e.functioning, 0, lang)
                        ),
                        match (e.invitee_importance, e.invitee_functioning) {
                            (None, None) => t(lang, "ikke vurderet", "not rated").into(),
                            (i, f) => format!("{} / {}", opt(i, 0, lang), opt(f, 0, lang)),
                        },
                        if e.flagged_by_both {
                            t(lang, "ja", "yes")
                        } else {
                            t(lang, "nej", "no")
                        }
                        .into(),
                    ]
                })
                .collect();
            b.push(Block::Table {
                head: vec![
                    "#".into(),
                    t(lang, "Inviterer", "Invites").into(),
                    t(lang, "Inviteres", "Invited").into(),
                    t(lang, "Prioritet", "Priority").into(),
                    t(lang, "Vigtighed / funktion", "Importance / functioning").into(),
                    t(
                        lang,
                        "Den anden leders vurdering",
                        "The other leader's rating",
                    )
                    .into(),
                    t(lang, "Begge markerer", "Both flag").into(),
                ],
                rows,
                numeric: vec![true, false, false, true, true, true, false],
            });
            if let Some(note) = more_rows(rel.dialogue.len(), "relations_dialogue.csv", lang) {
                b.push(Block::Note(note));
            }
            b.push(Block::Note(
                t(
                    lang,
                    "Prioritet = vigtighed − funktion. Dialoglisten findes også alene i relations_dialogue.csv, så den kan deles med lederne.",
                    "Priority = importance − functioning. The dialogue list is also alone in relations_dialogue.csv, so it can be shared with the leaders.",
                )
                .into(),
            ));
        }
        let one_sided = rel.dyads.iter().filter(|d| d.one_sided).count();
        b.push(Block::Paragraph(match lang {
            Lang::Da => format!("{} af {} relationer er ensidige: kun den ene har vurderet dem, eller kun den ene finder dem vigtige eller markerer dem.", one_sided, rel.dyads.len()),
            Lang::En => format!("{} of {} relations are one-sided: only one leader rated them, or only one finds them important or flags them.", one_sided, rel.dyads.len()),
        }));
    }
    if let Some(l) = &r.leadership {
        b.push(Block::Section {
            title: t(lang, "Ledelse", "Leadership").into(),
            page_break: true,
        });
        b.push(Block::Paragraph(
            t(
                lang,
                "Medarbejderne har vurderet deres egen leder på rammesættende, engagerende og involverende ledelse. Tal for en enhed vises kun, når mindst fem medarbejdere har svaret, fordi de handler om én person.",
                "Staff rated their own leader on framing, engaging and involving leadership. A unit's figures are shown only when at least five staff answered, because they concern one person.",
            )
            .into(),
        ));
        b.push(chart(
            charts,
            "leadership.svg",
            t(lang, "Ledelsesdimensionerne.", "The leadership dimensions.").into(),
        ));
        let mut groups = l.groups.clone();
        groups.sort_by_key(|g| g.rank.unwrap_or(usize::MAX));
        b.push(Block::Table {
            head: vec![
                t(lang, "Gruppe", "Group").into(),
                t(lang, "Gennemsnit", "Mean").into(),
                t(lang, "95 %-interval", "95 % interval").into(),
                "n".into(),
                t(lang, "Placering", "Rank").into(),
            ],
            rows: groups
                .iter()
                .map(|g| {
                    vec![
                        group(lang, &g.group),
                        g.mean.map_or(fewer_than(lang, min_n), |m| num(m, 2, lang)),
                        ci(g.ci_low, g.ci_high, lang),
                        count(g.n, min_n),
                        g.rank.map_or("–".into(), |r| r.to_string()),
                    ]
                })
                .collect(),
            numeric: vec![false, true, true, true, true],
        });
        let spreads: Vec<String> = l
            .municipalities
            .iter()
            .filter(|m| m.between_units.units >= 2)
            .map(|m| {
                format!(
                    "{}: {} {} {}–{}",
                    m.municipality,
                    m.between_units.units,
                    t(lang, "enheder,", "units,"),
                    opt(m.between_units.min, 2, lang),
                    opt(m.between_units.max, 2, lang)
                )
            })
            .collect();
        if !spreads.is_empty() {
            b.push(Block::Paragraph(
                t(
                    lang,
                    "Ledelsesscoren varierer mellem enhederne i samme kommune:",
                    "The leadership score varies between units within a municipality:",
                )
                .into(),
            ));
            b.push(Block::Bullets(spreads));
        }
    }
    if !r.models.is_empty() {
        b.push(Block::Section {
            title: t(lang, "Sammenhænge", "Effect models").into(),
            page_break: true,
        });
        b.push(Block::Paragraph(
            t(
                lang,
                "Modellerne beskriver sammenhænge i data, ikke nødvendigvis årsager. De er log-log-modeller: koefficienten er en elasticitet, og \"+10 % X\" omregnes som (1,1^β − 1) · 100 %. Standardfejlene er klyngerobuste, fordi svar fra samme enhed eller kommune ikke er uafhængige.",
                "The models describe associations in the data, not necessarily causes. They are log-log models: the coefficient is an elasticity, and \"+10 % X\" is computed as (1.1^β − 1) · 100 %. Standard errors are cluster-robust, because answers from the same unit or municipality are not independent.",
            )
            .into(),
        ));
        for m in &r.models {
            model_blocks(m, charts, lang, &mut b);
        }
    }
    quality_section(r, lang, &mut b);
    method_section(r, lang, &mut b);
    Document {
        title: t(
            lang,
            "Relationel koordinering — rapport",
            "Relational coordination — report",
        )
        .into(),
        subtitle: r
            .inputs
            .iter()
            .map(|i| format!("{} ({} {})", i.file, i.used, kind_word(&i.kind, lang)))
            .collect::<Vec<_>>()
            .join(" · "),
        lang,
        blocks: b,
    }
}

fn kind_word(kind: &str, lang: Lang) -> &'static str {
    match kind {
        "leaders" => t(lang, "ledere", "leaders"),
        "citizens" => t(lang, "borgere", "citizens"),
        _ => t(lang, "respondenter", "respondents"),
    }
}

fn model_title(name: &str, lang: Lang) -> (&'static str, &'static str) {
    match name {
        "quality_on_rc" => (
            t(
                lang,
                "Relationel koordinering og borgeroplevet kvalitet",
                "Relational coordination and citizen-experienced quality",
            ),
            "model_quality_on_rc.svg",
        ),
        _ => (
            t(
                lang,
                "Ledelse og relationel koordinering",
                "Leadership and relational coordination",
            ),
            "model_rc_on_leadership.svg",
        ),
    }
}

fn effect_sentence(m: &Model, lang: Lang) -> Option<String> {
    let e = m.effect_10pct.as_ref()?;
    Some(match (m.name.as_str(), lang) {
        ("quality_on_rc", Lang::Da) => format!(
            "Enheder med 10 % højere relationel koordinering har i gennemsnit {} % højere borgeroplevet kvalitet (95 %-interval {} til {} %).",
            signed(e.y_change_pct, 1, lang), signed(e.ci_low, 1, lang), signed(e.ci_high, 1, lang)
        ),
        ("quality_on_rc", Lang::En) => format!(
            "Units with 10 % more relational coordination have on average {} % higher citizen-experienced quality (95 % interval {} to {} %).",
            signed(e.y_change_pct, 1, lang), signed(e.ci_low, 1, lang), signed(e.ci_high, 1, lang)
        ),
        (_, Lang::Da) => format!(
            "Medarbejdere, der vurderer deres leder 10 % højere, oplever i gennemsnit {} % højere relationel koordinering (95 %-interval {} til {} %).",
            signed(e.y_change_pct, 1, lang), signed(e.ci_low, 1, lang), signed(e.ci_high, 1, lang)
        ),
        (_, Lang::En) => format!(
            "Staff who rate their leader 10 % higher experience on average {} % more relational coordination (95 % interval {} to {} %).",
            signed(e.y_change_pct, 1, lang), signed(e.ci_low, 1, lang), signed(e.ci_high, 1, lang)
        ),
    })
}

fn uncertainty_sentence(m: &Model, lang: Lang) -> Option<String> {
    let g = m.clusters?;
    let p = m.coefficients.get(1)?.bootstrap_p?;
    Some(match lang {
        Lang::Da => format!(
            "Forbehold: der er kun {g} klynger, så intervallet kan være for smalt. En wild cluster bootstrap giver {}.",
            p_is(Some(p), lang)
        ),
        Lang::En => format!(
            "Caution: there are only {g} clusters, so the interval may be too narrow. A wild cluster bootstrap gives {}.",
            p_is(Some(p), lang)
        ),
    })
}

fn model_blocks(m: &Model, charts: &[Chart], lang: Lang, b: &mut Vec<Block>) {
    let (title, file) = model_title(&m.name, lang);
    b.push(Block::Subsection(title.into()));
    if let Some(s) = effect_sentence(m, lang) {
        b.push(Block::Paragraph(s));
    }
    if let Some(s) = uncertainty_sentence(m, lang) {
        b.push(Block::Callout(s));
    }
    b.push(chart(charts, file, title.into()));
    let boot = m.bootstrap.is_some();
    let mut head: Vec<String> = vec![
        t(lang, "Led", "Term").into(),
        t(lang, "Estimat", "Estimate").into(),
        t(lang, "Std.fejl", "Std. error").into(),
        "t".into(),
        "p".into(),
        t(lang, "95 %-interval", "95 % interval").into(),
    ];
    if boot {
        head.push("bootstrap p".into());
    }
    let rows = m
        .coefficients
        .iter()
        .map(|c| {
            let mut row = vec![
                c.term.clone(),
                num(c.estimate, 3, lang),
                num(c.std_error, 3, lang),
                opt(c.t, 2, lang),
                p_value(c.p, lang),
                format!("{} – {}", num(c.ci_low, 3, lang), num(c.ci_high, 3, lang)),
            ];
            if boot {
                row.push(c.bootstrap_p.map_or("–".into(), |p| p_value(Some(p), lang)));
            }
            row
        })
        .collect();
    let n_cols = head.len();
    b.push(Block::Table {
        head,
        rows,
        numeric: (0..n_cols).map(|j| j > 0).collect(),
    });
    let se = match m.se_type.as_str() {
        "cr1" => match lang {
            Lang::Da => format!(
                "klyngerobuste standardfejl (CR1) efter {}",
                m.cluster_by
                    .as_deref()
                    .map(|c| if c == "unit" {
                        "enhed"
                    } else if c == "municipality" {
                        "kommune"
                    } else {
                        c
                    })
                    .unwrap_or("klynge")
            ),
            Lang::En => format!(
                "cluster-robust standard errors (CR1) by {}",
                m.cluster_by.as_deref().unwrap_or("cluster")
            ),
        },
        "hc1" => t(
            lang,
            "heteroskedasticitetsrobuste standardfejl (HC1)",
            "heteroskedasticity-robust standard errors (HC1)",
        )
        .into(),
        _ => t(lang, "klassiske standardfejl", "classical standard errors").into(),
    };
    b.push(Block::Note(match lang {
        Lang::Da => format!(
            "{} ~ {}; n = {}{}; R² = {}; {se}.",
            m.y,
            m.x.join(" + "),
            m.n,
            m.clusters
                .map(|g| format!(", {g} klynger"))
                .unwrap_or_default(),
            opt(m.r2, 3, lang)
        ),
        Lang::En => format!(
            "{} ~ {}; n = {}{}; R² = {}; {se}.",
            m.y,
            m.x.join(" + "),
            m.n,
            m.clusters
                .map(|g| format!(", {g} clusters"))
                .unwrap_or_default(),
            opt(m.r2, 3, lang)
        ),
    }));
}

fn summary(r: &Results, lang: Lang, b: &mut Vec<Block>) {
    let min_n = r.settings.min_n;
    b.push(Block::Section {
        title: t(lang, "Sammenfatning", "Summary").into(),
        page_break: false,
    });
    let mut figures = Vec::new();
    let mut bullets = Vec::new();
    if let Some(rc) = &r.rc {
        let n = &rc.network;
        figures.push((
            t(lang, "Relationel koordinering", "Relational coordination").into(),
            n.score.map_or(fewer_than(lang, min_n), |s| num(s, 2, lang)),
            match n.band.as_deref() {
                Some(bd) => format!("{} · {}", band(lang, bd), n_is(n.n_respondents, min_n)),
                None => n_is(n.n_respondents, min_n),
            },
        ));
        if let Some(s) = n.score {
            bullets.push(match lang {
                Lang::Da => format!(
                    "Den samlede relationelle koordinering er {} på en skala fra 1 til 5 — {} (95 %-interval {}; {} respondenter).",
                    num(s, 2, lang), band(lang, n.band.as_deref().unwrap_or("")), ci(n.ci_low, n.ci_high, lang), count(n.n_respondents, min_n)
                ),
                Lang::En => format!(
                    "Overall relational coordination is {} on a 1–5 scale — {} (95 % interval {}; {} respondents).",
                    num(s, 2, lang), band(lang, n.band.as_deref().unwrap_or("")), ci(n.ci_low, n.ci_high, lang), count(n.n_respondents, min_n)
                ),
            });
        }
        if let (Some(w), Some(bt)) = (n.within, n.between) {
            figures.push((
                t(lang, "Inden for egen rolle", "Within own role").into(),
                num(w, 2, lang),
                format!("{} {}", t(lang, "på tværs:", "across:"), num(bt, 2, lang)),
            ));
            bullets.push(match lang {
                Lang::Da => format!(
                    "Koordineringen inden for egen faggruppe er {} og på tværs af faggrupper {}.",
                    num(w, 2, lang),
                    num(bt, 2, lang)
                ),
                Lang::En => format!(
                    "Coordination within one's own professional group is {} and across groups {}.",
                    num(w, 2, lang),
                    num(bt, 2, lang)
                ),
            });
        }
        let mut pairs: Vec<_> = rc
            .pairs
            .iter()
            .filter(|p| p.rater_role != p.target_role && p.estimate.score.is_some())
            .collect();
        pairs.sort_by(|a, c| {
            a.estimate
                .score
                .unwrap_or(0.0)
                .total_cmp(&c.estimate.score.unwrap_or(0.0))
        });
        if pairs.len() >= 3 {
            let list = |ps: &[&crate::results::Pair]| {
                ps.iter()
                    .map(|p| {
                        format!(
                            "{} → {} ({})",
                            p.rater_role,
                            p.target_role,
                            num(p.estimate.score.unwrap_or(0.0), 2, lang)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let k = 3.min(pairs.len());
            bullets.push(format!(
                "{} {}.",
                t(
                    lang,
                    "Rollepar med de laveste gennemsnit:",
                    "Role pairs with the lowest means:"
                ),
                list(&pairs[..k])
            ));
            let top: Vec<_> = pairs.iter().rev().take(k).copied().collect();
            bullets.push(format!(
                "{} {}.",
                t(
                    lang,
                    "Rollepar med de højeste gennemsnit:",
                    "Role pairs with the highest means:"
                ),
                list(&top)
            ));
        }
        if let (Some(d_lo), Some(d_hi)) = (
            rc.dimensions
                .iter()
                .filter(|d| d.mean.is_some())
                .min_by(|a, c| a.mean.unwrap_or(0.0).total_cmp(&c.mean.unwrap_or(0.0))),
            rc.dimensions
                .iter()
                .filter(|d| d.mean.is_some())
                .max_by(|a, c| a.mean.unwrap_or(0.0).total_cmp(&c.mean.unwrap_or(0.0))),
        ) {
            bullets.push(match lang {
                Lang::Da => format!(
                    "Højest vurderes {} ({}), lavest {} ({}).",
                    dimension(lang, &d_hi.dimension).to_lowercase(),
                    opt(d_hi.mean, 2, lang),
                    dimension(lang, &d_lo.dimension).to_lowercase(),
                    opt(d_lo.mean, 2, lang)
                ),
                Lang::En => format!(
                    "Rated highest: {} ({}); lowest: {} ({}).",
                    dimension(lang, &d_hi.dimension).to_lowercase(),
                    opt(d_hi.mean, 2, lang),
                    dimension(lang, &d_lo.dimension).to_lowercase(),
                    opt(d_lo.mean, 2, lang)
                ),
            });
        }
        if let (Some(l), Some(s)) = (
            rc.by_position
                .iter()
                .find(|p| p.position == "leader")
                .and_then(|p| p.network.score),
            rc.by_position
                .iter()
                .find(|p| p.position == "staff")
                .and_then(|p| p.network.score),
        ) {
            bullets.push(match lang {
                Lang::Da => format!(
                    "Ledere vurderer koordineringen til {}, medarbejdere til {}.",
                    num(l, 2, lang),
                    num(s, 2, lang)
                ),
                Lang::En => format!(
                    "Leaders rate coordination {}, staff {}.",
                    num(l, 2, lang),
                    num(s, 2, lang)
                ),
            });
        }
    }
    if let Some(l) = &r.leadership {
        figures.push((
            t(lang, "Ledelse", "Leadership").into(),
            shown(&l.score, min_n, lang),
            n_is(l.score.n, min_n),
        ));
        let mut ranked: Vec<_> = l.groups.iter().filter(|g| g.rank.is_some()).collect();
        ranked.sort_by_key(|g| g.rank);
        if let (Some(hi), Some(lo)) = (ranked.first(), ranked.last()) {
            if ranked.len() >= 2 {
                bullets.push(match lang {
                    Lang::Da => format!(
                        "Medarbejderne vurderer ledelsen højest som {} ({}) og lavest som {} ({}).",
                        group(lang, &hi.group).to_lowercase(),
                        opt(hi.mean, 2, lang),
                        group(lang, &lo.group).to_lowercase(),
                        opt(lo.mean, 2, lang)
                    ),
                    Lang::En => format!(
                        "Staff rate leadership highest as {} ({}) and lowest as {} ({}).",
                        group(lang, &hi.group).to_lowercase(),
                        opt(hi.mean, 2, lang),
                        group(lang, &lo.group).to_lowercase(),
                        opt(lo.mean, 2, lang)
                    ),
                });
            }
        }
    }
    if let Some(q) = &r.quality {
        figures.push((
            t(
                lang,
                "Borgeroplevet kvalitet",
                "Citizen-experienced quality",
            )
            .into(),
            shown(&q.score, min_n, lang),
            n_is(q.score.n, min_n),
        ));
    }
    if let Some(rel) = &r.relations {
        figures.push((
            t(lang, "Relationer til dialog", "Relations to talk about").into(),
            rel.dialogue.len().to_string(),
            format!(
                "{} {}",
                rel.dyads.len(),
                t(lang, "lederrelationer", "leader relations")
            ),
        ));
        if !rel.dialogue.is_empty() {
            bullets.push(match lang {
                Lang::Da => format!("{} lederrelationer er vigtige, men fungerer ikke godt; dialoglisten siger, hvem der inviterer hvem.", rel.dialogue.len()),
                Lang::En => format!("{} leader relations are important but not working well; the dialogue list says who invites whom.", rel.dialogue.len()),
            });
        }
    }
    for m in &r.models {
        if let Some(s) = effect_sentence(m, lang) {
            let caution = uncertainty_sentence(m, lang)
                .map(|c| format!(" {c}"))
                .unwrap_or_default();
            bullets.push(format!("{s}{caution}"));
        }
    }
    if let (Some(c), Some(last)) = (r.changes.last(), r.waves.last()) {
        let network = c.network.as_ref().filter(|n| n.change.is_some());
        let change = match (network, lang) {
            (Some(n), Lang::Da) => match n.verdict.as_str() {
                "increase" | "decrease" => format!(
                    "netværket ændrede sig påviseligt med {} (95 %-interval {})",
                    num(n.change.unwrap_or(0.0), 2, lang),
                    ci(n.ci_low, n.ci_high, lang)
                ),
                _ => format!(
                    "ingen påviselig ændring i netværket (95 %-interval {})",
                    ci(n.ci_low, n.ci_high, lang)
                ),
            },
            (Some(n), Lang::En) => match n.verdict.as_str() {
                "increase" | "decrease" => format!(
                    "the network changed detectably by {} (95 % interval {})",
                    num(n.change.unwrap_or(0.0), 2, lang),
                    ci(n.ci_low, n.ci_high, lang)
                ),
                _ => format!(
                    "no detectable change in the network (95 % interval {})",
                    ci(n.ci_low, n.ci_high, lang)
                ),
            },
            (None, _) => t(
                lang,
                "netværket er ikke vist i begge bølger",
                "the network is not shown in both waves",
            )
            .into(),
        };
        bullets.insert(
            0,
            match lang {
                Lang::Da => format!(
                    "Tallene er fra {}, den seneste af {} bølger. Siden {}: {}; afsnittet \"Ændring siden {}\" viser resten.",
                    last.label,
                    r.waves.len(),
                    c.from,
                    change,
                    c.from
                ),
                Lang::En => format!(
                    "The figures are from {}, the latest of {} waves. Since {}: {}; the section \"Change since {}\" shows the rest.",
                    last.label,
                    r.waves.len(),
                    c.from,
                    change,
                    c.from
                ),
            },
        );
    }
    b.push(Block::Figures(figures));
    b.push(Block::Bullets(bullets));
    b.push(Block::Note(match lang {
        Lang::Da => format!("Tal, der bygger på færre end {min_n} besvarelser, er skjult for at beskytte de enkelte. Alle intervaller er 95 %-konfidensintervaller."),
        Lang::En => format!("Figures based on fewer than {min_n} answers are hidden to protect individuals. All intervals are 95 % confidence intervals."),
    }));
}

fn quality_section(r: &Results, lang: Lang, b: &mut Vec<Block>) {
    b.push(Block::Section {
        title: t(lang, "Datakvalitet", "Data quality").into(),
        page_break: true,
    });
    let rows = r
        .inputs
        .iter()
        .map(|i| {
            vec![
                i.file.clone(),
                kind_word(&i.kind, lang).into(),
                i.rows.to_string(),
                i.used.to_string(),
                i.skipped.to_string(),
                i.skipped_reasons
                    .iter()
                    .map(|x| reason(x, lang))
                    .collect::<Vec<_>>()
                    .join("; "),
            ]
        })
        .collect();
    b.push(Block::Table {
        head: vec![
            t(lang, "Fil", "File").into(),
            t(lang, "Indhold", "Content").into(),
            t(lang, "Rækker", "Rows").into(),
            t(lang, "Brugt", "Used").into(),
            t(lang, "Udeladt", "Skipped").into(),
            t(lang, "Hvorfor udeladt", "Why skipped").into(),
        ],
        rows,
        numeric: vec![false, false, true, true, true, false],
    });
    if let Some(rc) = &r.rc {
        let hidden = rc.pairs.iter().filter(|p| p.estimate.suppressed).count();
        b.push(Block::Paragraph(match lang {
            Lang::Da => {
                format!(
                "Skjult for at beskytte de enkelte: {hidden} af {} rollepar og {} af {} enheder.",
                rc.pairs.len(), rc.units_suppressed, rc.units.len()
            )
            }
            Lang::En => format!(
                "Hidden to protect individuals: {hidden} of {} role pairs and {} of {} units.",
                rc.pairs.len(),
                rc.units_suppressed,
                rc.units.len()
            ),
        }));
        b.push(Block::Subsection(
            t(lang, "Pålidelighed", "Reliability").into(),
        ));
        let rel = &rc.reliability;
        b.push(Block::Paragraph(match lang {
            Lang::Da => format!(
                "Cronbachs alfa for de syv dimensioner er {} (standardiseret {}) over {} vurderinger med alle syv besvaret. Over 0,7 regnes normalt for tilfredsstillende.",
                opt(rel.alpha, 2, lang), opt(rel.std_alpha, 2, lang), rel.n
            ),
            Lang::En => format!(
                "Cronbach's alpha of the seven dimensions is {} (standardized {}) over {} ratings with all seven answered. Above 0.7 is usually taken as satisfactory.",
                opt(rel.alpha, 2, lang), opt(rel.std_alpha, 2, lang), rel.n
            ),
        }));
        b.push(Block::Table {
            head: vec![
                t(lang, "Dimension", "Dimension").into(),
                t(lang, "Korrelation med resten", "Item-rest correlation").into(),
                t(lang, "Alfa uden", "Alpha if dropped").into(),
            ],
            rows: rel
                .items
                .iter()
                .map(|i| {
                    vec![
                        dimension(lang, &i.item),
                        opt(i.item_total, 2, lang),
                        opt(i.alpha_if_dropped, 2, lang),
                    ]
                })
                .collect(),
            numeric: vec![false, true, true],
        });
        let a = &rc.aggregation;
        b.push(Block::Subsection(
            t(
                lang,
                "Giver enhedsgennemsnit mening?",
                "Are unit means meaningful?",
            )
            .into(),
        ));
        b.push(Block::Paragraph(match lang {
            Lang::Da => format!(
                "Over {} enheder med mindst {} respondenter ({} i alt): ICC(1) = {}, ICC(2) = {}, F = {} ({}), median rwg(j) = {}. Feltets tommelfingerregler for at lægge svar sammen til enheder er ICC(1) 0,05–0,3, ICC(2) over 0,7 og rwg over 0,7.",
                a.units, r.settings.min_n, a.n, opt(a.icc1, 2, lang), opt(a.icc2, 2, lang), opt(a.f, 2, lang), p_is(a.p, lang), opt(a.rwg_median, 2, lang)
            ),
            Lang::En => format!(
                "Over {} units with at least {} respondents ({} in all): ICC(1) = {}, ICC(2) = {}, F = {} ({}), median rwg(j) = {}. The field's rules of thumb for aggregating answers to units are ICC(1) 0.05–0.3, ICC(2) above 0.7 and rwg above 0.7.",
                a.units, r.settings.min_n, a.n, opt(a.icc1, 2, lang), opt(a.icc2, 2, lang), opt(a.f, 2, lang), p_is(a.p, lang), opt(a.rwg_median, 2, lang)
            ),
        }));
    }
    if let Some(l) = &r.leadership {
        b.push(Block::Paragraph(match lang {
            Lang::Da => format!("Ledelsesspørgsmålenes Cronbachs alfa er {} over {} medarbejdere, der har svaret på dem alle.", opt(l.reliability.alpha, 2, lang), l.reliability.n),
            Lang::En => format!("The leadership items' Cronbach's alpha is {} over {} staff who answered them all.", opt(l.reliability.alpha, 2, lang), l.reliability.n),
        }));
    }
    let not_drawn: Vec<String> = r
        .charts
        .iter()
        .filter(|c| !c.drawn)
        .map(|c| format!("{}: {}", c.file, c.reason.as_deref().unwrap_or("")))
        .collect();
    if !not_drawn.is_empty() {
        b.push(Block::Paragraph(
            t(lang, "Figurer, der ikke er tegnet:", "Charts not drawn:").into(),
        ));
        b.push(Block::Bullets(not_drawn));
    }
    if !r.notes.is_empty() {
        b.push(Block::Paragraph(
            t(
                lang,
                "Tekniske bemærkninger fra indlæsningen (på engelsk, som i results.json):",
                "Technical remarks from reading the data:",
            )
            .into(),
        ));
        b.push(Block::Bullets(r.notes.clone()));
    }
}

fn method_section(r: &Results, lang: Lang, b: &mut Vec<Block>) {
    let s = &r.settings;
    b.push(Block::Section {
        title: t(lang, "Metode", "Method").into(),
        page_break: false,
    });
    let tie = s.min_answered(7);
    let mut items = vec![
        match lang {
            Lang::Da => format!("En vurdering af en rolle (et bånd) er gennemsnittet af de besvarede dimensioner og kræver mindst {tie} af de 7; kommunikation og relationer følger samme regel for deres 4 og 3 dimensioner. \"Ved ikke\" og blanke svar tæller som manglende, aldrig som 0."),
            Lang::En => format!("A rating of a role (a tie) is the mean of the answered dimensions and needs at least {tie} of the 7; communication and relationship follow the same rule for their 4 and 3 dimensions. \"Don't know\" and blanks count as missing, never as 0."),
        },
        match lang {
            Lang::Da => format!(
                "En respondents RC er gennemsnittet af respondentens bånd{}; enheder, kommuner og hele netværket er gennemsnit af respondenternes RC.",
                if s.exclude_own_role { " til andre roller" } else { ", egen rolle medregnet" }
            ),
            Lang::En => format!(
                "A respondent's RC is the mean of their ties{}; units, municipalities and the network are means of respondent RC.",
                if s.exclude_own_role { " to other roles" } else { ", own role included" }
            ),
        },
        match lang {
            Lang::Da => format!("Styrke: svag under {}, moderat fra {} og stærk fra {} (feltets almindelige grænser).", num(s.bands.moderate, 1, lang), num(s.bands.moderate, 1, lang), num(s.bands.strong, 1, lang)),
            Lang::En => format!("Strength: weak below {}, moderate from {} and strong from {} (the field's usual thresholds).", num(s.bands.moderate, 1, lang), num(s.bands.moderate, 1, lang), num(s.bands.strong, 1, lang)),
        },
        match lang {
            Lang::Da => format!("Ethvert tal, der bygger på færre end {} forskellige respondenter, er skjult; rapporten indeholder hverken respondent-id'er eller enkeltsvar.", s.min_n),
            Lang::En => format!("Every figure based on fewer than {} distinct respondents is hidden; the report contains no respondent ids and no individual answers.", s.min_n),
        },
        t(
            lang,
            "Konfidensintervaller er t-intervaller; dimensionernes intervaller er klyngerobuste pr. respondent. Modellerne er mindste kvadraters metode løst med QR-dekomposition, med klyngerobuste standardfejl (CR1) og t-fordeling med G − 1 frihedsgrader; under 20 klynger suppleres med en wild cluster bootstrap.",
            "Confidence intervals are t intervals; the dimensions' intervals are clustered by respondent. The models are least squares solved by QR decomposition, with cluster-robust standard errors (CR1) and a t distribution on G − 1 degrees of freedom; under 20 clusters a wild cluster bootstrap is added.",
        )
        .to_string(),
    ];
    if r.relations.is_some() {
        items.push(match lang {
            Lang::Da => format!("En lederrelation markeres som vigtig, men ikke velfungerende, når vigtigheden er mindst {} og funktionen højst {}.", num(s.relations.important_from, 0, lang), num(s.relations.working_up_to, 0, lang)),
            Lang::En => format!("A leader relation is flagged important but not working when importance is at least {} and functioning at most {}.", num(s.relations.important_from, 0, lang), num(s.relations.working_up_to, 0, lang)),
        });
    }
    if !r.changes.is_empty() {
        items.push(t(
            lang,
            "Bølger: hver bølge beregnes og beskyttes for sig (mindst-antallet gælder pr. bølge og pr. celle), og en ændring vises kun, når tallet er vist i begge bølger. Intervallet for en ændring er Welchs t, når ingen har svaret i begge bølger, parret t, når alle har, og Derrick m.fl.s t for delvist overlappende stikprøver derimellem; dimensionernes ændringer er klyngerobuste pr. respondent. En ændring kaldes kun en stigning eller et fald, når 95 %-intervallet ikke rummer 0.",
            "Waves: each wave is computed and protected on its own (min-n holds per wave and per cell), and a change is shown only when the figure is shown in both waves. A change's interval is Welch's t when no one answered in both waves, the paired t when everyone did, and Derrick et al.'s partially overlapping samples t in between; the dimensions' changes are clustered by respondent. A change is called an increase or a decrease only when its 95 % interval excludes 0.",
        ).to_string());
    }
    b.push(Block::Bullets(items));
    b.push(Block::Note(format!(
        "relcap {} · results.json schema {}",
        r.tool.version, r.schema_version
    )));
}

fn verdict(d: &crate::results::Difference, lang: Lang) -> String {
    match d.verdict.as_str() {
        "increase" => t(lang, "stigning", "increase").into(),
        "decrease" => t(lang, "fald", "decrease").into(),
        "no_detectable_change" => t(lang, "ingen påviselig ændring", "no detectable change").into(),
        _ => t(lang, "ikke vist", "not shown").into(),
    }
}

fn change_row(
    label: String,
    d: &crate::results::Difference,
    min_n: usize,
    lang: Lang,
) -> Vec<String> {
    let signed = |x: f64| signed(x, 2, lang);
    vec![
        label,
        d.from.map_or(fewer_than(lang, min_n), |v| num(v, 2, lang)),
        d.to.map_or(fewer_than(lang, min_n), |v| num(v, 2, lang)),
        d.change.map_or("–".into(), signed),
        ci(d.ci_low, d.ci_high, lang),
        verdict(d, lang),
        format!("{} / {}", count(d.n_from, min_n), count(d.n_to, min_n)),
    ]
}

/// "Change since <previous wave>": the network, the dimensions, and the role pairs and
/// units whose change is detectable — each with its interval, never an arrow alone.
fn change_section(
    c: &crate::results::Changes,
    charts: &[Chart],
    lang: Lang,
    min_n: usize,
    b: &mut Vec<Block>,
) {
    b.push(Block::Section {
        title: match lang {
            Lang::Da => format!("Ændring siden {}", c.from),
            Lang::En => format!("Change since {}", c.from),
        },
        page_break: true,
    });
    b.push(Block::Paragraph(
        t(
            lang,
            "Relationel koordinering flytter sig ofte kun lidt, også når praksis ændrer sig (Edwards & Lundstrøm 2014). Derfor vises hver ændring med sit 95 %-interval, og den kaldes kun en stigning eller et fald, når intervallet ikke rummer 0. Samme respondent i begge bølger sammenlignes parvis.",
            "Relational coordination often moves little even when practice changes (Edwards & Lundstrøm 2014). So every change is shown with its 95 % interval, and it is called an increase or a decrease only when the interval excludes 0. The same respondent in both waves is compared pairwise.",
        )
        .into(),
    ));
    if let Some(n) = &c.network {
        let sentence = match (n.change, n.verdict.as_str(), lang) {
            (Some(x), "increase" | "decrease", Lang::Da) => format!(
                "Netværkets relationelle koordinering gik fra {} til {} ({}, 95 %-interval {}).",
                opt(n.from, 2, lang), opt(n.to, 2, lang), signed(x, 2, lang), ci(n.ci_low, n.ci_high, lang)
            ),
            (Some(x), "increase" | "decrease", Lang::En) => format!(
                "The network's relational coordination went from {} to {} ({}, 95 % interval {}).",
                opt(n.from, 2, lang), opt(n.to, 2, lang), signed(x, 2, lang), ci(n.ci_low, n.ci_high, lang)
            ),
            (Some(_), _, Lang::Da) => format!(
                "Netværkets relationelle koordinering: {} og {} — ingen påviselig ændring (95 %-interval {}).",
                opt(n.from, 2, lang), opt(n.to, 2, lang), ci(n.ci_low, n.ci_high, lang)
            ),
            (Some(_), _, Lang::En) => format!(
                "The network's relational coordination: {} and {} — no detectable change (95 % interval {}).",
                opt(n.from, 2, lang), opt(n.to, 2, lang), ci(n.ci_low, n.ci_high, lang)
            ),
            (None, ..) => t(lang, "Netværket er ikke vist i begge bølger.", "The network is not shown in both waves.").into(),
        };
        b.push(Block::Callout(sentence));
    }
    b.push(chart(
        charts,
        "trend.svg",
        t(
            lang,
            "Netværket og dimensionerne over bølgerne.",
            "The network and the dimensions over the waves.",
        )
        .into(),
    ));
    let head = vec![
        String::new(),
        c.from.clone(),
        c.to.clone(),
        t(lang, "Ændring", "Change").into(),
        t(lang, "95 %-interval", "95 % interval").into(),
        t(lang, "Vurdering", "Verdict").into(),
        "n".into(),
    ];
    let numeric = vec![false, true, true, true, true, false, true];
    let mut rows = Vec::new();
    if let Some(n) = &c.network {
        rows.push(change_row(
            t(lang, "Netværket", "Network").into(),
            n,
            min_n,
            lang,
        ));
    }
    for d in &c.dimensions {
        rows.push(change_row(
            dimension(lang, &d.dimension),
            &d.change,
            min_n,
            lang,
        ));
    }
    b.push(Block::Table {
        head: head.clone(),
        rows,
        numeric: numeric.clone(),
    });
    b.push(chart(
        charts,
        "rc_matrix_change.svg",
        t(
            lang,
            "Ændringen i hvert rollepar; gråt: ingen påviselig ændring.",
            "The change of each role pair; grey: no detectable change.",
        )
        .into(),
    ));
    let detectable =
        |d: &crate::results::Difference| matches!(d.verdict.as_str(), "increase" | "decrease");
    let pairs: Vec<Vec<String>> = c
        .pairs
        .iter()
        .filter(|p| detectable(&p.change))
        .map(|p| {
            change_row(
                format!("{} → {}", p.rater_role, p.target_role),
                &p.change,
                min_n,
                lang,
            )
        })
        .collect();
    let shown = c.pairs.iter().filter(|p| p.change.change.is_some()).count();
    b.push(Block::Paragraph(match lang {
        Lang::Da => format!("{} af {} rollepar vist i begge bølger har en påviselig ændring. Ved 95 %-intervaller kan omkring 1 ud af 20 krydse 0 alene ved et tilfælde.", pairs.len(), shown),
        Lang::En => format!("{} of the {} role pairs shown in both waves changed detectably. With 95 % intervals, about 1 in 20 may cross 0 by chance alone.", pairs.len(), shown),
    }));
    if !pairs.is_empty() {
        b.push(Block::Table {
            head: head.clone(),
            rows: pairs,
            numeric: numeric.clone(),
        });
    }
    let changed_units = c.units.iter().filter(|u| detectable(&u.change)).count();
    let units: Vec<Vec<String>> = c
        .units
        .iter()
        .filter(|u| detectable(&u.change))
        .take(REPORT_ROWS)
        .map(|u| {
            change_row(
                match &u.municipality {
                    Some(m) => format!("{m}: {}", u.unit),
                    None => u.unit.clone(),
                },
                &u.change,
                min_n,
                lang,
            )
        })
        .collect();
    if !units.is_empty() {
        b.push(Block::Subsection(
            t(
                lang,
                "Enheder med en påviselig ændring",
                "Units that changed detectably",
            )
            .into(),
        ));
        b.push(Block::Table {
            head: head.clone(),
            rows: units,
            numeric: numeric.clone(),
        });
        if let Some(note) = more_rows(changed_units, "changes.csv", lang) {
            b.push(Block::Note(note));
        }
    }
    if let Some(l) = &c.leadership {
        b.push(Block::Subsection(t(lang, "Ledelse", "Leadership").into()));
        let mut rows = vec![change_row(
            t(lang, "Ledelse i alt", "Leadership score").into(),
            &l.score,
            min_n,
            lang,
        )];
        rows.extend(
            l.groups
                .iter()
                .map(|g| change_row(group(lang, &g.group), &g.change, min_n, lang)),
        );
        b.push(Block::Table {
            head: head.clone(),
            rows,
            numeric: numeric.clone(),
        });
    }
    let quality: Vec<Vec<String>> = c
        .quality_units
        .iter()
        .filter(|u| detectable(&u.change))
        .map(|u| change_row(u.unit.clone(), &u.change, min_n, lang))
        .collect();
    if !quality.is_empty() {
        b.push(Block::Subsection(
            t(
                lang,
                "Borgeroplevet kvalitet: enheder med en påviselig ændring",
                "Citizen-experienced quality: units that changed detectably",
            )
            .into(),
        ));
        b.push(Block::Table {
            head,
            rows: quality,
            numeric,
        });
    }
}
