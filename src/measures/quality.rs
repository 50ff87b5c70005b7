//! Citizen-experienced quality: each citizen's mean over the answered items (needing at
//! least half of them), then the mean over citizens per unit and municipality.

use polars::prelude::*;

use crate::answers::{col as a, Answers, Pick};
use crate::config::Settings;
use crate::input::citizens::QUALITY;
use crate::measures::frame::{
    answered, estimates, group_by_codes, mean_if_enough, moments, numbers,
};
use crate::results::{Estimate, Municipality, Quality, Unit};

pub const SCORE: &str = "quality";

/// Computes the quality section and the number of citizens with a score, or `None` when
/// there are no quality items.
pub fn compute(
    answers: &Answers,
    items: &[String],
    s: &Settings,
) -> PolarsResult<Option<(Quality, usize, DataFrame)>> {
    if items.is_empty() {
        return Ok(None);
    }
    let names = &answers.names;
    let cols: Vec<String> = (0..items.len()).map(|i| format!("i{i}")).collect();
    let picks: Vec<(&str, Pick)> = cols
        .iter()
        .zip(items)
        .map(|(c, item)| (c.as_str(), Pick::Item(item)))
        .collect();
    let refs: Vec<&str> = cols.iter().map(String::as_str).collect();
    let mut keep = vec![col(a::RESPONDENT), col(a::MUNICIPALITY), col(a::UNIT)];
    keep.extend(refs.iter().map(|c| col(*c)));
    let citizens = answers
        .spread(QUALITY, &picks)?
        .filter(answered(&refs))
        .select(keep)
        .with_columns([mean_if_enough(&refs, s.min_answered(refs.len()))?.alias(SCORE)])
        .filter(col(SCORE).is_not_null())
        .sort([a::RESPONDENT], SortMultipleOptions::default())
        .collect()?;
    let mut citizens = citizens;
    citizens.rechunk_mut();
    let overall = citizens.clone().lazy().select(moments(SCORE)).collect()?;
    let units_df = group_by_codes(&citizens, [a::MUNICIPALITY, a::UNIT], None, &moments(SCORE))?;
    let munis_df = citizens
        .clone()
        .lazy()
        .filter(col(a::MUNICIPALITY).is_not_null())
        .group_by([col(a::MUNICIPALITY)])
        .agg(moments(SCORE))
        .collect()?;
    let mut units: Vec<Unit> = names
        .strings(&units_df, a::MUNICIPALITY)?
        .into_iter()
        .zip(names.strings(&units_df, a::UNIT)?)
        .zip(estimates(&units_df, s)?)
        .map(|((m, u), estimate)| Unit {
            municipality: m,
            unit: u.unwrap_or_default(),
            estimate,
        })
        .collect();
    units.sort_by(|x, y| (&x.municipality, &x.unit).cmp(&(&y.municipality, &y.unit)));
    let mut municipalities: Vec<Municipality> = names
        .strings(&munis_df, a::MUNICIPALITY)?
        .into_iter()
        .zip(estimates(&munis_df, s)?)
        .map(|(m, estimate)| Municipality {
            municipality: m.unwrap_or_default(),
            estimate,
        })
        .collect();
    municipalities.sort_by(|x, y| x.municipality.cmp(&y.municipality));
    let score: Estimate = estimates(&overall, s)?.swap_remove(0);
    let scored = numbers(&citizens, SCORE)?.len();
    Ok(Some((
        Quality {
            score,
            units,
            units_suppressed: 0,
            municipalities,
            items: items.to_vec(),
        },
        scored,
        citizens,
    )))
}
