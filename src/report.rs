//! The analysis commands: read → normalize → measure → privacy → render → commit.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use crate::answers::Answers;
use crate::answers::AnswersBuilder;
use crate::cli::{
    CsvDialect, InputArgs, LeadershipArgs, OutputArgs, RelationsArgs, ReportArgs, RuleArgs,
    WaveFile,
};
use crate::config::Settings;
use crate::error::{InputError, Problem};
use crate::input::{self, codebook, Input, Source};
use crate::measures::{changes, leadership, models, quality, rc, relations};
use crate::output::i18n::{is_are, one_or_many};
use crate::output::{self, json, tables};
use crate::privacy;
use crate::progress::Progress;
use crate::results::{
    InputProblem, InputSummary, Leadership, Quality, Rc, Reason, Relations, Results, Wave,
};

/// What one command analyses.
pub struct Job<'a> {
    pub staff: Vec<Input<'a>>,
    pub leaders: Vec<Input<'a>>,
    pub citizens: Vec<Input<'a>>,
    pub input: &'a InputArgs,
    pub rules: &'a RuleArgs,
    /// Compute relational coordination from the staff file.
    pub rc: bool,
    /// Read the embedded demo data.
    pub example: bool,
}

impl<'a> Job<'a> {
    /// A job on the given files, with the common options of `input` and `rules`.
    fn new(input: &'a InputArgs, rules: &'a RuleArgs, rc: bool) -> Self {
        Job {
            staff: Vec::new(),
            leaders: Vec::new(),
            citizens: Vec::new(),
            input,
            rules,
            rc,
            example: false,
        }
    }

    /// Analyses, lets `check` refuse the results, then writes every output.
    fn run(
        &self,
        output: &OutputArgs,
        check: impl FnOnce(&Results) -> Result<()>,
    ) -> Result<Results> {
        let progress = Progress::new(output.quiet);
        let (mut results, ids) = analyze(self, &progress)?;
        if let Err(e) = check(&results) {
            progress.finish();
            return Err(e);
        }
        write(&mut results, &ids, output, &progress)?;
        Ok(results)
    }
}

/// `relcap report`: RC, plus leadership when the staff file has leadership items, plus
/// leader relations when a leaders file is given.
pub fn run(args: &ReportArgs) -> Result<Results> {
    fn labelled(files: &[WaveFile]) -> Vec<Input<'_>> {
        files
            .iter()
            .map(|f| Input {
                path: &f.path,
                wave: f.wave.as_deref(),
            })
            .collect()
    }
    let example = |name: &'static str| vec![Input::new(Path::new(name))];
    let mut job = Job::new(&args.input, &args.rules, true);
    if args.example {
        job.staff = example(input::example::STAFF);
        job.leaders = example(input::example::LEADERS);
        job.citizens = example(input::example::CITIZENS);
        job.example = true;
    } else {
        job.staff = labelled(&args.staff);
        job.leaders = labelled(&args.leaders);
        job.citizens = labelled(&args.citizens);
    }
    job.run(&args.output, |_| Ok(()))
}

/// `relcap relations`: leader relations alone.
pub fn run_relations(args: &RelationsArgs) -> Result<Results> {
    let mut job = Job::new(&args.input, &args.rules, false);
    job.leaders = vec![Input::new(&args.leaders)];
    job.run(&args.output, |_| Ok(()))
}

/// `relcap leadership`: leadership alone.
pub fn run_leadership(args: &LeadershipArgs) -> Result<Results> {
    let mut job = Job::new(&args.input, &args.rules, false);
    job.staff = vec![Input::new(&args.staff)];
    job.run(&args.output, |results| match results.leadership {
        Some(_) => Ok(()),
        None => Err(InputError::Usage(format!(
            "{}: no leadership items; expected columns named leadership:<group>:<dimension>[:<item>], or leadership items in the codebook",
            args.staff.display()
        ))
        .into()),
    })
}

/// Loads the codebook that `input` names, if any.
pub fn read_codebook(input: &InputArgs) -> Result<Option<codebook::Codebook>, InputError> {
    input.codebook.as_deref().map(codebook::load).transpose()
}

/// How `input` asks the files to be read, with its codebook already loaded.
pub fn source<'a>(
    input: &InputArgs,
    codebook: Option<&'a codebook::Codebook>,
    example: bool,
) -> Source<'a> {
    Source {
        codebook,
        header_rows: input.header_rows,
        lenient: input.lenient,
        example,
    }
}

fn delimiter_name(d: Option<char>) -> Option<String> {
    d.map(|d| {
        if d == '\t' {
            "tab".into()
        } else {
            d.to_string()
        }
    })
}

fn recorded(problems: &[Problem]) -> Vec<InputProblem> {
    problems
        .iter()
        .map(|p| InputProblem {
            line: p.line,
            column: p.column.clone(),
            message: p.message.clone(),
        })
        .collect()
}

/// Reads the inputs and computes every figure, after the privacy pass; also returns the
/// respondent and citizen ids, for the audit of the outputs (never written).
pub fn analyze(job: &Job<'_>, progress: &Progress) -> Result<(Results, crate::audit::Ids)> {
    progress.step("reading the inputs");
    let bytes = |inputs: &[Input<'_>]| -> u64 {
        inputs
            .iter()
            .filter_map(|i| std::fs::metadata(i.path).ok())
            .map(|m| m.len())
            .sum()
    };
    let (staff_bytes, other_bytes) = (
        bytes(&job.staff),
        bytes(&job.leaders) + bytes(&job.citizens),
    );
    crate::heap::fit_to_input(staff_bytes + other_bytes);
    let settings = Settings::from_rules(job.rules)?;
    let codebook = read_codebook(job.input)?;
    let source = source(job.input, codebook.as_ref(), job.example);
    let plain = Source {
        codebook: None,
        ..source
    };
    // The leader and citizen files are read on a thread of their own while the staff files
    // are read here, each into its own builder; the two are joined as if read in turn.
    let others = |builder: &mut AnswersBuilder| -> Result<_, InputError> {
        let leaders = job
            .leaders
            .iter()
            .map(|&i| Ok((i, input::load_leaders(i, plain, &settings, builder)?)))
            .collect::<Result<Vec<_>, InputError>>()?;
        let citizens = job
            .citizens
            .iter()
            .map(|&i| Ok((i, input::load_citizens(i, plain, &settings, builder)?)))
            .collect::<Result<Vec<_>, InputError>>()?;
        Ok((leaders, citizens))
    };
    let mut builder = AnswersBuilder::default();
    // The leader and citizen files' respondents, overestimated from their sizes (a row
    // takes more than 32 bytes), so the staff builder has room to take them in.
    builder.keep_room_for(usize::try_from(other_bytes / 32).unwrap_or(0));
    let (staff, read) = std::thread::scope(|scope| {
        let read = scope.spawn(|| {
            let mut builder = AnswersBuilder::default();
            others(&mut builder).map(|files| (files, builder))
        });
        let staff = job
            .staff
            .iter()
            .map(|&i| Ok((i, input::load_staff(i, source, &settings, &mut builder)?)))
            .collect::<Result<Vec<_>, InputError>>();
        (staff, crate::joined(read))
    });
    let staff = staff?;
    let (mut read, other) = read?;
    if builder.append(other).is_err() {
        // A codebook gave staff items an instrument of the other files: read those again
        // into the staff builder, where their answers share the sheet, as in one reading.
        read = others(&mut builder)?;
    }
    let (leaders, citizens) = read;
    let design = same_across_files(
        staff.iter().map(|(i, s)| (i.path, &s.file.leadership)),
        "leadership items",
    )?;
    let items = same_across_files(
        citizens.iter().map(|(i, c)| (i.path, &c.file.items)),
        "quality items",
    )?;
    progress.step("building the answers table");
    if let Some(message) = builder.id_clash().or_else(|| builder.answered_twice()) {
        return Err(InputError::Usage(message).into());
    }
    let (mut answers, ids) = builder
        .finish_with_ids(input::leaders::SOURCE, crate::audit::looks_like_id)
        .context("building the answers table")?;
    let order: Vec<String> = job
        .staff
        .iter()
        .chain(&job.citizens)
        .chain(&job.leaders)
        .filter_map(|i| i.wave.map(str::to_string))
        .collect();
    let waves = answers.waves(&order)?;
    check_waves(&waves, &staff, &leaders, &citizens)?;
    progress.step("computing the scores");
    let plan = Plan {
        staff: !staff.is_empty(),
        rc: job.rc,
        design: design.as_ref(),
        items: items.as_ref(),
        relations: true,
        frames: waves.len() >= 2,
        settings: &settings,
    };
    let per_wave: Vec<(String, Figures)> = if waves.len() >= 2 {
        waves
            .iter()
            .enumerate()
            .map(|(i, w)| {
                // Each wave computes only the kinds of input it has; the leader relations
                // only of the latest wave are reported.
                let has_staff = holds(&staff, w);
                let wave = Plan {
                    staff: has_staff,
                    design: plan.design.filter(|_| has_staff),
                    items: plan.items.filter(|_| holds(&citizens, w)),
                    relations: i + 1 == waves.len(),
                    ..plan
                };
                Ok((
                    w.clone(),
                    wave.figures(&mut answers.only_wave(w)?, progress)?,
                ))
            })
            .collect::<Result<_>>()?
    } else {
        Vec::new()
    };
    let mut main = match per_wave.last() {
        Some((_, f)) => f.clone(),
        None => plan.figures(&mut answers, progress)?,
    };
    // From here on only the dictionary of names is needed (for the wave comparison), and
    // the tables behind the figures only per wave: at national scale they are gigabytes.
    let names = answers.into_names();
    main.rc_frames = None;
    main.leadership_frame = None;
    main.quality_frame = None;
    let rc_scores = std::mem::take(&mut main.rc_scores);
    let leadership_scores = std::mem::take(&mut main.leadership_scores);
    // The sections move into the results instead of being copied (at national scale the
    // leadership section alone is hundreds of thousands of strings).
    let (rc, leadership, quality, relations) = (
        main.rc.take(),
        main.leadership.take(),
        main.quality.take(),
        main.relations.take(),
    );
    // The figures of the waves a file holds (all of them without waves).
    let of_file = |file_waves: &[String]| -> Vec<&Figures> {
        if per_wave.is_empty() {
            vec![&main]
        } else {
            per_wave
                .iter()
                .filter(|(w, _)| file_waves.contains(w))
                .map(|(_, f)| f)
                .collect()
        }
    };

    let mut inputs = Vec::new();
    let mut notes = Vec::new();
    for (input, s) in &staff {
        let path = input.path;
        let file = &s.file;
        let figures = of_file(&s.waves);
        let mut used = 0;
        let mut reasons: Vec<Reason> = Vec::new();
        for f in &figures {
            let (u, rs) = match &f.accounting {
                Some(acc) => (acc.used, acc.skipped_reasons.clone()),
                None => (f.leadership_scored, Vec::new()),
            };
            used += u;
            for r in rs {
                match reasons.iter_mut().find(|x| x.code == r.code) {
                    Some(x) => x.count += r.count,
                    None => reasons.push(r),
                }
            }
        }
        if figures.iter().all(|f| f.accounting.is_none()) && leadership.is_some() {
            reasons.push(Reason {
                code: "too_few_leadership_dimensions".into(),
                reason: format!(
                    "fewer than {} of the {} leadership dimensions answered",
                    settings.min_answered(file.leadership.len()),
                    file.leadership.len()
                ),
                count: file.respondents - used,
            });
        }
        inputs.push(InputSummary {
            file: path.display().to_string(),
            kind: "staff".into(),
            layout: file.layout.name().into(),
            encoding: s.encoding.clone(),
            delimiter: delimiter_name(s.delimiter),
            header_rows: s.header_rows,
            rows: file.rows,
            respondents: file.respondents,
            used,
            skipped: file.respondents - used,
            skipped_reasons: reasons.into_iter().filter(|r| r.count > 0).collect(),
            problems: recorded(&file.problems),
        });
        if !file.ignored_columns.is_empty() {
            notes.push(format!(
                "{}: columns not read (neither grouping nor answer columns): {}",
                path.display(),
                file.ignored_columns.join(", ")
            ));
        }
        if !file.problems.is_empty() {
            notes.push(format!(
                "{}: {} answers were not valid and were read as missing (--lenient); inputs[].problems lists them",
                path.display(),
                file.problems.len()
            ));
        }
        if !file.targets_without_raters.is_empty() && job.rc {
            notes.push(format!(
                "rated roles that no respondent has as their own role (check the spelling against the role column): {}",
                file.targets_without_raters.join(", ")
            ));
        }
    }
    for (input, c) in &citizens {
        let path = input.path;
        let file = &c.file;
        let citizens_scored: usize = of_file(&c.waves).iter().map(|f| f.citizens_scored).sum();
        inputs.push(InputSummary {
            file: path.display().to_string(),
            kind: "citizens".into(),
            layout: "wide".into(),
            encoding: c.encoding.clone(),
            delimiter: delimiter_name(c.delimiter),
            header_rows: c.header_rows,
            rows: file.rows,
            respondents: file.citizens,
            used: citizens_scored,
            skipped: file.citizens - citizens_scored,
            skipped_reasons: [Reason {
                code: "too_few_quality_items".into(),
                reason: format!(
                    "fewer than {} of the {} quality items answered",
                    settings.min_answered(file.items.len()),
                    file.items.len()
                ),
                count: file.citizens - citizens_scored,
            }]
            .into_iter()
            .filter(|r| r.count > 0)
            .collect(),
            problems: recorded(&file.problems),
        });
        if !file.ignored_columns.is_empty() {
            notes.push(format!(
                "{}: columns not read: {}",
                path.display(),
                file.ignored_columns.join(", ")
            ));
        }
    }
    for (input, l) in &leaders {
        let path = input.path;
        let file = &l.file;
        inputs.push(InputSummary {
            file: path.display().to_string(),
            kind: "leaders".into(),
            layout: file.layout.into(),
            encoding: l.encoding.clone(),
            delimiter: delimiter_name(l.delimiter),
            header_rows: l.header_rows,
            rows: file.rows,
            respondents: file.leaders,
            used: file.raters,
            skipped: file.leaders - file.raters,
            skipped_reasons: [Reason {
                code: "rated_no_relation".into(),
                reason: "rated no relation".into(),
                count: file.leaders - file.raters,
            }]
            .into_iter()
            .filter(|r| r.count > 0)
            .collect(),
            problems: recorded(&file.problems),
        });
        if file.unrated_rows > 0 {
            notes.push(format!(
                "{}: {} rows rate no relation (importance and functioning both missing)",
                path.display(),
                file.unrated_rows
            ));
        }
        if !file.ignored_columns.is_empty() {
            notes.push(format!(
                "{}: columns not read: {}",
                path.display(),
                file.ignored_columns.join(", ")
            ));
        }
    }

    let mut results = Results {
        inputs,
        rc,
        leadership,
        relations,
        quality,
        notes,
        ..Results::new(settings)
    };
    progress.step("fitting the models");
    // The models use every unit and respondent with enough answers; they run before the
    // privacy pass, which then drops the chart points of units it hides.
    if let (Some(rc), Some(q)) = (&results.rc, &results.quality) {
        match models::quality_on_rc(rc, q, &results.settings) {
            Ok(m) => results.models.push(m),
            Err(note) => results.notes.push(note),
        }
    }
    if !rc_scores.is_empty() && !leadership_scores.is_empty() {
        match models::rc_on_leadership(&rc_scores, &leadership_scores, &results.settings) {
            Ok(m) => results.models.push(m),
            Err(note) => results.notes.push(note),
        }
    }
    progress.step("privacy");
    privacy::apply_all(&mut results);
    if let Some(l) = &mut results.leadership {
        leadership::finish(l);
    }
    let min_n = results.settings.min_n;
    let hidden_note = |what: &str, units: Vec<(bool, bool)>| -> Option<String> {
        // (hidden, n shown): a hidden unit with its n shown was hidden as a complement.
        let small = units.iter().filter(|(h, shown_n)| *h && !shown_n).count();
        let guarded = units.iter().filter(|(h, shown_n)| *h && *shown_n).count();
        (small + guarded > 0).then(|| {
            format!(
                "{what}: {small} of {} units {} fewer than {min_n} respondents and {} not shown; {guarded} more {} hidden so that theirs cannot be worked out from the rest. Units under min-n take no part in unit-level analyses.",
                units.len(),
                one_or_many(small, "has", "have"),
                is_are(small),
                is_are(guarded),
            )
        })
    };
    let sections = [
        (
            "relational coordination",
            results.rc.as_ref().map(|rc| {
                rc.units
                    .iter()
                    .map(|u| (u.estimate.suppressed, u.estimate.n.is_some()))
                    .collect()
            }),
        ),
        (
            "leadership",
            results.leadership.as_ref().map(|l| {
                l.units
                    .iter()
                    .map(|u| (u.score.suppressed, u.score.n.is_some()))
                    .collect()
            }),
        ),
        (
            "citizen quality",
            results.quality.as_ref().map(|q| {
                q.units
                    .iter()
                    .map(|u| (u.estimate.suppressed, u.estimate.n.is_some()))
                    .collect()
            }),
        ),
    ];
    let notes: Vec<String> = sections
        .into_iter()
        .filter_map(|(what, units)| hidden_note(what, units?))
        .collect();
    results.notes.extend(notes);
    if per_wave.len() >= 2 {
        progress.step("comparing the waves");
        compare_waves(&mut results, &per_wave, &names, design.as_ref())?;
    }
    Ok((results, ids))
}

/// What to compute from a set of answers.
#[derive(Clone, Copy)]
struct Plan<'a> {
    staff: bool,
    rc: bool,
    design: Option<&'a leadership::Design>,
    items: Option<&'a Vec<String>>,
    relations: bool,
    /// Keep the tables behind the figures, which only the wave comparison reads: at
    /// national scale the RC ties alone are hundreds of megabytes.
    frames: bool,
    settings: &'a Settings,
}

/// Whether any of `files` holds wave `wave`.
fn holds<F>(files: &[(Input<'_>, input::Loaded<F>)], wave: &str) -> bool {
    files.iter().any(|(_, l)| l.waves.iter().any(|w| w == wave))
}

/// Every figure of one set of answers (all of them, or one wave's), before privacy, with
/// the tables behind them for the wave comparison.
#[derive(Clone)]
struct Figures {
    rc: Option<Rc>,
    accounting: Option<rc::Accounting>,
    rc_scores: rc::RespondentScores,
    rc_frames: Option<rc::Frames>,
    leadership: Option<Leadership>,
    leadership_scores: leadership::RespondentScores,
    leadership_frame: Option<polars::prelude::DataFrame>,
    /// Respondents with a leadership score, for the input accounting without RC.
    leadership_scored: usize,
    quality: Option<Quality>,
    citizens_scored: usize,
    quality_frame: Option<polars::prelude::DataFrame>,
    relations: Option<Relations>,
}

impl Plan<'_> {
    /// The RC measure takes the RC sheet out of `answers` (see `rc::compute`).
    fn figures(&self, answers: &mut Answers, progress: &Progress) -> Result<Figures> {
        let s = self.settings;
        let (rc, accounting, rc_scores, rc_frames) = if self.staff && self.rc {
            let (rc, acc, scores, frames) = rc::compute(answers, s, self.frames)
                .context("computing relational coordination")?;
            (Some(rc), Some(acc), scores, frames)
        } else {
            (None, None, Vec::new(), None)
        };
        progress.step("computing leadership");
        let (leadership, leadership_scores, leadership_frame) = match self.design {
            Some(d) => match leadership::compute(answers, d, s, self.frames)
                .context("computing leadership")?
            {
                Some((l, scores, frame)) => (Some(l), scores, frame),
                None => (None, Vec::new(), None),
            },
            None => (None, Vec::new(), None),
        };
        let leadership_scored = leadership.as_ref().and_then(|l| l.score.n).unwrap_or(0);
        progress.step("computing quality");
        let (quality, citizens_scored, quality_frame) = match self.items {
            Some(items) => {
                match quality::compute(answers, items, s).context("computing citizen quality")? {
                    Some((q, scored, frame)) => {
                        (Some(q), scored, Some(frame).filter(|_| self.frames))
                    }
                    None => (None, 0, None),
                }
            }
            None => (None, 0, None),
        };
        progress.step("computing relations");
        let relations = if self.relations {
            let rows = relations::rows(answers).context("computing leader relations")?;
            // The last measure: from here on only the names are read, and the tables are
            // freed before the dyads are made (at national scale 90 MB of its peak).
            answers.free_tables();
            rows.map(|df| relations::compute(&df, &answers.names, s.relations))
                .transpose()
                .context("computing leader relations")?
        } else {
            None
        };
        Ok(Figures {
            rc,
            accounting,
            rc_scores,
            rc_frames,
            leadership,
            leadership_scores,
            leadership_frame,
            leadership_scored,
            quality,
            citizens_scored,
            quality_frame,
            relations,
        })
    }
}

/// The one value of `what` shared by every file (leadership design, quality items): waves
/// can only be compared on the same questions.
fn same_across_files<'a, T: PartialEq + Clone + 'a>(
    files: impl Iterator<Item = (&'a Path, &'a T)>,
    what: &str,
) -> Result<Option<T>> {
    let mut first: Option<(&Path, &T)> = None;
    for (path, value) in files {
        match first {
            None => first = Some((path, value)),
            Some((p, v)) if v != value => {
                return Err(InputError::Usage(format!(
                "{} and {} have different {what}; waves can only be compared on the same questions",
                p.display(),
                path.display()
            ))
                .into())
            }
            Some(_) => {}
        }
    }
    Ok(first.map(|(_, v)| v.clone()))
}

/// With waves, every file must have them, and no wave may come from two files of a kind.
fn check_waves<A, B, C>(
    waves: &[String],
    staff: &[(Input<'_>, input::Loaded<A>)],
    leaders: &[(Input<'_>, input::Loaded<B>)],
    citizens: &[(Input<'_>, input::Loaded<C>)],
) -> Result<()> {
    if waves.is_empty() {
        return Ok(());
    }
    type Files<'a> = Vec<(&'a Path, &'a Vec<String>)>;
    let kinds: [(&str, Files<'_>); 3] = [
        (
            "staff",
            staff.iter().map(|(i, l)| (i.path, &l.waves)).collect(),
        ),
        (
            "leaders",
            leaders.iter().map(|(i, l)| (i.path, &l.waves)).collect(),
        ),
        (
            "citizens",
            citizens.iter().map(|(i, l)| (i.path, &l.waves)).collect(),
        ),
    ];
    for (kind, files) in kinds {
        let mut seen: Vec<(&String, &Path)> = Vec::new();
        for (path, file_waves) in files {
            if file_waves.is_empty() {
                return Err(InputError::Usage(format!(
                    "{}: has no wave, but other inputs do; label it (--{kind} {}=FILE) or add a wave column",
                    path.display(),
                    waves.last().map_or("2025", String::as_str)
                ))
                .into());
            }
            for w in file_waves {
                if let Some((_, other)) = seen.iter().find(|(x, _)| *x == w) {
                    return Err(InputError::Usage(format!(
                        "wave \"{w}\" of the {kind} survey is in both {} and {}; give each wave once",
                        other.display(),
                        path.display()
                    ))
                    .into());
                }
                seen.push((w, path));
            }
        }
    }
    Ok(())
}

/// Each wave's figures through its own privacy pass, and the changes between consecutive
/// waves. The main sections of `results` are already the last wave's.
fn compare_waves(
    results: &mut Results,
    per_wave: &[(String, Figures)],
    names: &crate::answers::Names,
    design: Option<&leadership::Design>,
) -> Result<()> {
    let mut published = Vec::new();
    for (label, f) in per_wave {
        let mut r = Results {
            rc: f.rc.clone(),
            leadership: f.leadership.clone(),
            quality: f.quality.clone(),
            ..Results::new(results.settings.clone())
        };
        privacy::apply_all(&mut r);
        if let Some(l) = &mut r.leadership {
            leadership::finish(l);
        }
        published.push(Wave {
            label: label.clone(),
            rc: r.rc,
            leadership: r.leadership,
            quality: r.quality,
        });
    }
    let data = |i: usize| changes::WaveData {
        published: &published[i],
        rc: per_wave[i].1.rc_frames.as_ref(),
        leadership: per_wave[i].1.leadership_frame.as_ref(),
        quality: per_wave[i].1.quality_frame.as_ref(),
    };
    let mut all = Vec::new();
    for i in 1..per_wave.len() {
        all.push(
            changes::compare(&data(i - 1), &data(i), names, design, &results.settings)
                .context("comparing the waves")?,
        );
    }
    let labels: Vec<&str> = per_wave.iter().map(|(w, _)| w.as_str()).collect();
    results.notes.push(format!(
        "{} survey waves ({}): the figures above are those of {}, the latest; waves[] holds every wave and changes[] each change from one wave to the next. A change counts only when its 95 % interval excludes 0.",
        labels.len(),
        labels.join(", "),
        labels.last().unwrap_or(&"")
    ));
    results.changes = all;
    results.waves = published;
    Ok(())
}

/// Renders every output — results.json, tables, charts, report.html and report.md — and
/// moves them into the output folder together, then prints the summary. The charts drawn
/// are recorded in `results.charts`.
pub fn write(
    results: &mut Results,
    ids: &crate::audit::Ids,
    output: &OutputArgs,
    progress: &Progress,
) -> Result<()> {
    progress.step("drawing the charts");
    let charts = crate::output::charts::all(results);
    results.charts = crate::output::charts::summary(&charts);
    let results = &*results;
    progress.step("writing and auditing the outputs");
    let dialect = match output.csv_dialect {
        CsvDialect::Plain => tables::Dialect::Plain,
        CsvDialect::ExcelDa => tables::Dialect::ExcelDa,
    };
    // Every file goes to the staging folder as soon as it is made, audited for input ids
    // on the way (the same audit as `relcap audit`), so none is held until the rest are
    // ready. results.json, written as it is rendered, and the audit's figure checks each
    // take a thread of their own beside the tables, the report and the charts: at
    // national scale they are the long ones.
    let staging = output::Staging::new(&output.out)?;
    let (names, checks, found) = std::thread::scope(|scope| -> Result<_> {
        let checks = scope.spawn(|| crate::audit::figure_checks(results));
        let json = scope.spawn(|| -> Result<Vec<String>> {
            let file = staging.create(RESULTS)?;
            let scanned = json::render_to(results, crate::audit::Scanned::new(file, ids))?;
            let (_, found) = scanned.finish().context("cannot write results.json")?;
            Ok(found)
        });
        let mut names = vec![RESULTS.to_string()];
        let mut found = vec![];
        let mut put = |name: String, content: Content<'_>| -> Result<()> {
            match content {
                Content::Binary(bytes) => staging.write(&name, &bytes)?,
                Content::Bytes(bytes) => {
                    let text = String::from_utf8_lossy(&bytes);
                    found.push((name.clone(), crate::audit::ids_in(&text, ids)));
                    staging.write(&name, &bytes)?;
                }
                // Written as it is made, through the same scan as results.json.
                Content::Csv(table, dialect) => {
                    let file = staging.create(&name)?;
                    let scanned = crate::audit::Scanned::new(file, ids);
                    let scanned = tables::write_csv(table, dialect, scanned)?;
                    let (_, ids_found) = scanned
                        .finish()
                        .with_context(|| format!("cannot write {name}"))?;
                    found.push((name.clone(), ids_found));
                }
            }
            names.push(name);
            Ok(())
        };
        tables_into(&mut put, results, dialect, output.parquet)?;
        let document = crate::output::report::content::document(results, &charts);
        put(
            "report.html".into(),
            Content::Bytes(crate::output::report::html::render(&document).into_bytes()),
        )?;
        put(
            "report.md".into(),
            Content::Bytes(crate::output::report::markdown::render(&document).into_bytes()),
        )?;
        for c in charts {
            if let Ok(svg) = c.svg {
                put(
                    format!("charts/{}", c.file),
                    Content::Bytes(svg.into_bytes()),
                )?;
            }
        }
        found.insert(0, (RESULTS.to_string(), crate::joined(json)?));
        Ok((names, crate::joined(checks)?, found))
    })?;
    let findings = crate::audit::findings(checks, found);
    if !findings.is_empty() {
        let list: Vec<String> = findings
            .iter()
            .map(|f| format!("{}: {}", f.file, f.message))
            .collect();
        // The staging folder is removed as it is dropped.
        anyhow::bail!(
            "the privacy audit of the outputs found {} problems, so nothing was written:\n{}",
            findings.len(),
            list.join("\n")
        );
    }
    progress.step("moving the outputs into the folder");
    staging.commit(&names)?;
    progress.finish();
    if !output.quiet {
        summary(results, &output.out, &names)?;
    }
    Ok(())
}

const RESULTS: &str = "results.json";

/// What goes into an output file: text made already, a table to write as CSV in a dialect
/// as it is made (both scanned for input ids), or a binary file, which is not scanned: a
/// Parquet table holds what its CSV holds.
enum Content<'t> {
    Bytes(Vec<u8>),
    Csv(&'t tables::Table<'t>, tables::Dialect),
    Binary(Vec<u8>),
}

/// The tables as CSV in the chosen dialect, and as Parquet when asked, each handed to
/// `put` with its name as it is made.
fn tables_into(
    put: &mut impl FnMut(String, Content<'_>) -> Result<()>,
    results: &Results,
    dialect: tables::Dialect,
    parquet: bool,
) -> Result<()> {
    for t in tables::all(results) {
        put(format!("{}.csv", t.name), Content::Csv(&t, dialect))?;
        if parquet {
            let bytes =
                tables::to_parquet(&t).with_context(|| format!("writing {}.parquet", t.name))?;
            put(
                format!("parquet/{}.parquet", t.name),
                Content::Binary(bytes),
            )?;
        }
    }
    Ok(())
}

/// A few lines on stderr saying what was found and written.
fn summary(results: &Results, out: &Path, files: &[String]) -> Result<()> {
    let mut err = std::io::stderr().lock();
    for input in &results.inputs {
        writeln!(
            err,
            "{}: {} {}, {} used, {} skipped",
            input.file,
            input.respondents,
            if input.kind == "leaders" {
                "leaders"
            } else {
                "respondents"
            },
            input.used,
            input.skipped
        )?;
    }
    let min_n = results.settings.min_n;
    if let Some(rc) = &results.rc {
        let net = &rc.network;
        match net.score {
            Some(score) => writeln!(
                err,
                "network RC {:.2} ({}), {} respondents",
                score,
                net.band.as_deref().unwrap_or(""),
                net.n_respondents.unwrap_or(0)
            )?,
            None => writeln!(err, "network RC suppressed: fewer than {min_n} respondents")?,
        }
        let shown = rc.pairs.iter().filter(|p| !p.estimate.suppressed).count();
        writeln!(
            err,
            "{} of {} role pairs shown, {} of {} units shown",
            shown,
            rc.pairs.len(),
            rc.units.len() - rc.units_suppressed,
            rc.units.len()
        )?;
    }
    if let Some(c) = results.changes.last() {
        if let Some(n) = c.network.as_ref().filter(|n| n.change.is_some()) {
            writeln!(
                err,
                "since {}: network {:+.2} (95 % CI {:.3} to {:.3}, {}), {} paired",
                c.from,
                n.change.unwrap_or(0.0),
                n.ci_low.unwrap_or(f64::NAN),
                n.ci_high.unwrap_or(f64::NAN),
                n.verdict.replace('_', " "),
                n.n_paired.unwrap_or(0)
            )?;
        }
        let count = |v: &str| c.pairs.iter().filter(|p| p.change.verdict == v).count();
        writeln!(
            err,
            "role pairs since {}: {} up, {} down, {} no detectable change (changes.csv)",
            c.from,
            count("increase"),
            count("decrease"),
            count("no_detectable_change")
        )?;
    }
    if let Some(l) = &results.leadership {
        let mut shown: Vec<_> = l.groups.iter().filter(|g| g.rank.is_some()).collect();
        shown.sort_by_key(|g| g.rank);
        let ranked: Vec<String> = shown
            .iter()
            .filter_map(|g| Some(format!("{} {:.2}", g.group, g.mean?)))
            .collect();
        writeln!(
            err,
            "leadership: {}",
            if ranked.is_empty() {
                "suppressed".into()
            } else {
                ranked.join(" > ")
            }
        )?;
    }
    if let Some(r) = &results.relations {
        writeln!(
            err,
            "leader relations: {} dyads, {} on the dialogue list (confidential: names leaders)",
            r.dyads.len(),
            r.dialogue.len()
        )?;
    }
    for m in &results.models {
        match &m.effect_10pct {
            Some(e) => writeln!(err, "{}: {} (n = {})", m.name, e.statement, m.n)?,
            None => writeln!(err, "{}: fitted (n = {})", m.name, m.n)?,
        }
        for w in &m.warnings {
            writeln!(err, "  warning: {w}")?;
        }
    }
    for note in &results.notes {
        writeln!(err, "note: {note}")?;
    }
    for c in results.charts.iter().filter(|c| !c.drawn) {
        writeln!(
            err,
            "note: {} not drawn: {}",
            c.file,
            c.reason.as_deref().unwrap_or("")
        )?;
    }
    let names: Vec<&str> = files
        .iter()
        .map(String::as_str)
        .filter(|n| !n.starts_with("charts/"))
        .collect();
    let drawn = files.len() - names.len();
    if drawn > 0 {
        writeln!(
            err,
            "drew {drawn} charts in {}",
            out.join("charts").display()
        )?;
    }
    writeln!(err, "wrote {} to {}", names.join(", "), out.display())?;
    Ok(())
}
