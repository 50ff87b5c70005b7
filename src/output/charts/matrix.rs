//! rc_matrix.svg: the directed role × role heat map, raters in rows, rated roles in columns.

use std::collections::BTreeSet;

use super::canvas::{band_colour, clip, ink_on, palette, svg, text_width, Align, Canvas, Result};
use crate::config::Lang;
use crate::output::i18n::{band, fewer_than, num, t};
use crate::results::Rc;

/// What a cell shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Shown {
        score: f64,
        n: usize,
        band: String,
    },
    /// Hidden; n is null when it is below min-n too.
    Suppressed {
        n: Option<usize>,
    },
    NoData,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MatrixData {
    /// Every role that rates or is rated, sorted; rows and columns share the order.
    pub roles: Vec<String>,
    /// cells[row][column]: how `roles[row]` rates `roles[column]`.
    pub cells: Vec<Vec<Cell>>,
    pub n_respondents: usize,
    pub min_n: usize,
}

/// The roles of `pairs` in order and a role × role grid of cells (rater rows, target
/// columns), each made by `cell` from the pair in that place, if any. Pairs are looked up
/// by key: a scan of every pair per cell grows with the fourth power of the roles.
pub fn grid<'a, P, C>(
    pairs: &'a [P],
    roles_of: impl Fn(&'a P) -> (&'a String, &'a String),
    cell: impl Fn(Option<&'a P>) -> C,
) -> (Vec<String>, Vec<Vec<C>>) {
    let by_roles: std::collections::HashMap<(&String, &String), &P> =
        pairs.iter().map(|p| (roles_of(p), p)).collect();
    let roles: Vec<String> = pairs
        .iter()
        .flat_map(|p| {
            let (r, t) = roles_of(p);
            [r.clone(), t.clone()]
        })
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let cells = roles
        .iter()
        .map(|r| {
            roles
                .iter()
                .map(|t| cell(by_roles.get(&(r, t)).copied()))
                .collect()
        })
        .collect();
    (roles, cells)
}

/// The matrix, or why it is not drawn.
pub fn prepare(rc: &Rc, min_n: usize, lang: Lang) -> std::result::Result<MatrixData, String> {
    if rc.pairs.iter().all(|p| p.estimate.suppressed) {
        return Err(t(
            lang,
            "Alle rollepar bygger på for få besvarelser til at blive vist.",
            "Every role pair rests on too few answers to be shown.",
        )
        .into());
    }
    let (roles, cells) = grid(
        &rc.pairs,
        |p| (&p.rater_role, &p.target_role),
        |p| match p {
            None => Cell::NoData,
            Some(p) => match (p.estimate.score, &p.estimate.band) {
                (Some(score), Some(b)) => Cell::Shown {
                    score,
                    n: p.estimate.n.unwrap_or(0),
                    band: b.clone(),
                },
                _ if p.estimate.n == Some(0) => Cell::NoData,
                _ => Cell::Suppressed { n: p.estimate.n },
            },
        },
    );
    Ok(MatrixData {
        roles,
        cells,
        n_respondents: rc.network.n_respondents.unwrap_or(0),
        min_n,
    })
}

const CELL_W: i32 = 92;
const CELL_H: i32 = 52;

/// The layout of a role × role grid (rows rate, columns are rated), shared by the RC
/// matrix and the change matrix.
pub(super) struct RoleGrid {
    pub labels: Vec<String>,
    pub left: i32,
    pub top: i32,
    pub cell: (i32, i32),
}

/// Where one cell is: its corners and its middle.
pub(super) struct Place {
    pub from: (i32, i32),
    pub to: (i32, i32),
    pub mid: (i32, i32),
}

impl RoleGrid {
    pub fn new(roles: &[String], cell: (i32, i32)) -> Self {
        let labels: Vec<String> = roles.iter().map(|r| clip(r, 22)).collect();
        let row_label_w = labels.iter().map(|l| text_width(l, 13)).max().unwrap_or(60) + 24;
        RoleGrid {
            labels,
            left: row_label_w + 30,
            top: 118,
            cell,
        }
    }

    /// The bottom edge of the grid.
    pub fn bottom(&self) -> i32 {
        self.top + self.labels.len() as i32 * self.cell.1
    }

    /// The right edge of the grid.
    pub fn right(&self) -> i32 {
        self.left + self.labels.len() as i32 * self.cell.0
    }

    /// Draws the title, the subtitle, the axis captions and the labels (column labels
    /// clipped to `column_clip` characters), then every cell with `cell(c, i, j, place)`.
    pub fn draw(
        &self,
        c: &Canvas<'_>,
        (title, subtitle): (&str, &str),
        column_clip: usize,
        lang: Lang,
        mut cell: impl FnMut(&Canvas<'_>, usize, usize, Place) -> Result<()>,
    ) -> Result<()> {
        let (w, h) = self.cell;
        c.bold(title, (24, 26), 20, palette::INK, Align::Left)?;
        c.text(subtitle, (24, 52), 13, palette::MUTED, Align::Left)?;
        c.bold(
            t(lang, "Vurderet rolle →", "Rated role →"),
            (self.left, 84),
            13,
            palette::INK,
            Align::Left,
        )?;
        c.bold(
            t(lang, "Vurderer ↓", "Rater ↓"),
            (24, 84),
            13,
            palette::INK,
            Align::Left,
        )?;
        for (j, l) in self.labels.iter().enumerate() {
            let x = self.left + j as i32 * w + w / 2;
            c.text(
                &clip(l, column_clip),
                (x, self.top - 12),
                12,
                palette::INK,
                Align::Center,
            )?;
        }
        for (i, label) in self.labels.iter().enumerate() {
            let y0 = self.top + i as i32 * h;
            c.text(label, (24, y0 + h / 2), 13, palette::INK, Align::Left)?;
            for j in 0..self.labels.len() {
                let x0 = self.left + j as i32 * w;
                let place = Place {
                    from: (x0, y0),
                    to: (x0 + w - 3, y0 + h - 3),
                    mid: (x0 + w / 2 - 1, y0 + h / 2 - 1),
                };
                cell(c, i, j, place)?;
            }
        }
        Ok(())
    }
}

pub fn draw(d: &MatrixData, lang: Lang) -> Result<String> {
    let grid = RoleGrid::new(&d.roles, (CELL_W, CELL_H));
    let width = (grid.right() + 40).max(640);
    let height = grid.bottom() + 130;
    svg(width as u32, height as u32, |c| {
        let title = (
            t(
                lang,
                "Relationel koordinering mellem roller",
                "Relational coordination between roles",
            ),
            t(
                lang,
                "Rækker: den vurderende rolle. Kolonner: den vurderede rolle. Gennemsnit på en skala 1–5.",
                "Rows: the rating role. Columns: the rated role. Mean on a 1–5 scale.",
            ),
        );
        grid.draw(c, title, 13, lang, |c, i, j, place| {
            let Place {
                from: (x0, y0),
                to: (x1, y1),
                mid,
            } = place;
            {
                let cell = &d.cells[i][j];
                match cell {
                    Cell::Shown { score, n, band } => {
                        c.rect((x0, y0), (x1, y1), band_colour(band))?;
                        let ink = ink_on(band);
                        c.bold(
                            &num(*score, 2, lang),
                            (mid.0, mid.1 - 8),
                            15,
                            ink,
                            Align::Center,
                        )?;
                        c.text(
                            &format!("n = {n}"),
                            (mid.0, mid.1 + 12),
                            11,
                            ink,
                            Align::Center,
                        )?;
                    }
                    Cell::Suppressed { .. } => {
                        c.rect((x0, y0), (x1, y1), palette::SHADE)?;
                        for k in (0..CELL_W + CELL_H).step_by(9) {
                            let (a, b) = ((x0 + k).min(x1), y0 + (k - (x1 - x0)).max(0));
                            let (e, f) = (x0 + (k - (y1 - y0)).max(0), (y0 + k).min(y1));
                            c.line(vec![(a, b), (e, f)], palette::RULE, 1)?;
                        }
                        c.text(
                            &format!("< {}", d.min_n),
                            mid,
                            12,
                            palette::MUTED,
                            Align::Center,
                        )?;
                    }
                    Cell::NoData => {
                        c.outline((x0, y0), (x1, y1), palette::RULE, 1)?;
                        c.text("–", mid, 12, palette::MUTED, Align::Center)?;
                    }
                }
                if i == j {
                    // The diagonal: a dark frame with a white inner line, visible on any fill.
                    c.outline((x0 - 2, y0 - 2), (x1 + 2, y1 + 2), palette::INK, 3)?;
                    c.outline((x0 + 2, y0 + 2), (x1 - 2, y1 - 2), palette::WHITE, 1)?;
                }
            }
            Ok(())
        })?;
        let ly = grid.bottom() + 34;
        let mut x = 24;
        for b in ["weak", "moderate", "strong"] {
            c.rect((x, ly - 9), (x + 22, ly + 9), band_colour(b))?;
            let label = match b {
                "weak" => format!("{} (< 3,5)", band(lang, b)),
                "moderate" => format!("{} (3,5–4,0)", band(lang, b)),
                _ => format!("{} (≥ 4,0)", band(lang, b)),
            };
            let label = if lang == Lang::En {
                label.replace(',', ".")
            } else {
                label
            };
            c.text(&label, (x + 30, ly), 12, palette::INK, Align::Left)?;
            x += 40 + text_width(&label, 12);
        }
        c.rect((x, ly - 9), (x + 22, ly + 9), palette::SHADE)?;
        let hidden = format!(
            "{} ({} {})",
            t(lang, "skjult", "hidden"),
            fewer_than(lang, d.min_n),
            t(lang, "svar", "answers")
        );
        c.text(&hidden, (x + 30, ly), 12, palette::INK, Align::Left)?;
        c.rect((24, ly + 22), (46, ly + 40), palette::BLUE)?;
        c.outline((23, ly + 21), (47, ly + 41), palette::INK, 3)?;
        c.outline((27, ly + 25), (43, ly + 37), palette::WHITE, 1)?;
        c.text(
            t(lang, "inden for egen rolle", "within own role"),
            (54, ly + 31),
            12,
            palette::INK,
            Align::Left,
        )?;
        c.text(
            &match lang {
                Lang::Da => format!("n = {} respondenter. Tallet i cellen er gennemsnittet; n er antal respondenter bag det.", d.n_respondents),
                Lang::En => format!("n = {} respondents. The cell shows the mean; n is the number of respondents behind it.", d.n_respondents),
            },
            (24, ly + 62),
            12,
            palette::MUTED,
            Align::Left,
        )?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::{Estimate, Pair};

    fn pair(r: &str, t: &str, score: Option<f64>, n: usize) -> Pair {
        Pair {
            rater_role: r.into(),
            target_role: t.into(),
            estimate: Estimate {
                score,
                n: Some(n),
                band: score.map(|s| {
                    if s >= 4.0 {
                        "strong".into()
                    } else {
                        "weak".into()
                    }
                }),
                suppressed: score.is_none(),
                ..Estimate::default()
            },
        }
    }

    fn rc() -> Rc {
        Rc {
            pairs: vec![
                pair("Lærer", "Lærer", Some(4.2), 9),
                pair("Lærer", "Pædagog", None, 3),
                pair("Pædagog", "Lærer", Some(3.1), 7),
            ],
            ..Rc::default()
        }
    }

    #[test]
    fn cells_are_shown_hidden_or_empty_in_role_order() {
        let d = prepare(&rc(), 5, Lang::Da).unwrap();
        assert_eq!(d.roles, ["Lærer", "Pædagog"]);
        assert!(matches!(d.cells[0][0], Cell::Shown { n: 9, .. }));
        assert_eq!(d.cells[0][1], Cell::Suppressed { n: Some(3) });
        assert_eq!(d.cells[1][1], Cell::NoData);
    }

    #[test]
    fn an_all_hidden_matrix_is_not_drawn() {
        let mut r = rc();
        for p in &mut r.pairs {
            p.estimate = Estimate {
                n: None,
                suppressed: true,
                ..Estimate::default()
            };
        }
        assert!(prepare(&r, 5, Lang::En).unwrap_err().contains("too few"));
    }

    #[test]
    fn the_svg_has_the_title_scores_and_a_legend() {
        let svg = draw(&prepare(&rc(), 5, Lang::Da).unwrap(), Lang::Da).unwrap();
        assert!(svg.contains("Relationel koordinering mellem roller"));
        assert!(svg.contains("4,20") && svg.contains("n = 9"));
        assert!(svg.contains("&lt; 5"));
        assert!(svg.contains("stærk") && svg.contains("Pædagog"));
    }
}
