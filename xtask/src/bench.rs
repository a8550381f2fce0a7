//! `cargo xtask bench [native] [pkg] [web]`: measure and report, never fail on a figure. A time
//! is a property of the machine at that moment as much as of the code, so no test asserts one;
//! this task measures them (and the sizes, which are deterministic) and writes them into
//! BENCHMARKS.md's current table, each row with its date, commit and the machine's load. With
//! no argument it runs all three groups; rows of a group not run keep their last figures.
//!
//! - native: criterion (`cargo bench -p yibao-core --bench estimate`, its estimates JSON under
//!   target/criterion) and the callgrind instruction count of one estimate (budget.rs);
//! - pkg: the npm package's `estimate` call and instantiation in headless Chromium
//!   (tests/browser/bench/pkg.mjs) and its .wasm's gzip size (tests/browser/pkg/size.mjs);
//! - web: the widget's first estimate on a cold and a repeat visit in the throttled phone
//!   profile, and its first visit's gzip size (tests/browser/bench/web.mjs).

use crate::{cargo, root, setup, sh};
use std::path::Path;
use std::process::Command;

/// One row of the current table: what is measured, its target, and how.
struct Figure {
    name: &'static str,
    target: &'static str,
    how: &'static str,
}

const NATIVE_ESTIMATE: Figure = Figure {
    name: "native estimate with trace (20 items, 3 layers)",
    target: "≤ 5 µs",
    how: "criterion median and its 95 % interval, `cargo bench -p yibao-core --bench estimate` (bench profile)",
};
const NATIVE_WORDED: Figure = Figure {
    name: "the same, every step worded in zh and en",
    target: "—",
    how: "criterion median, same bench",
};
const NATIVE_SEARCH: Figure = Figure {
    name: "disease search `gxy` (demo catalogue)",
    target: "—",
    how: "criterion median, same bench",
};
const NATIVE_DIAGNOSIS: Figure = Figure {
    name: "diagnosis search, one keystroke (demo catalogue + national list)",
    target: "< 16 ms (one frame; the issue's, for the throttled phone)",
    how: "criterion medians, same bench: `心梗` (an everyday word) · `jxxjgs` (pinyin initials, every name scanned) · `xinegng` (a typo: the one-edit pass)",
};
const NATIVE_DIAGNOSIS_INDEX: Figure = Figure {
    name: "national diagnosis index `diagnoses.idx`: read, and its size",
    target: "—",
    how: "criterion median of `National::parse` (33,304 names, pinyin computed); bytes raw, `gzip -9`, brotli 11 (node zlib)",
};
const NATIVE_PARSE: Figure = Figure {
    name: "parse + validate the demo policy TOML",
    target: "—",
    how: "criterion median, same bench",
};
const NATIVE_INSTRUCTIONS: Figure = Figure {
    name: "native estimate, instructions",
    target: "—",
    how: "callgrind, `core/examples/estimate_loop` 1,000 runs minus 0 (release profile); deterministic",
};
const PKG_CALL: Figure = Figure {
    name: "package: one `estimate` call through the JS API (渝北)",
    target: "≤ 50 µs",
    how: "headless Chromium, example page; 2,000 warm-up calls, median (and range) of 25 batches of 200",
};
const PKG_INSTANTIATE: Figure = Figure {
    name: "package: module instantiation",
    target: "—",
    how: "compile + instantiate from fetched bytes, median of 7 fresh instances; then the first call (loads the 7 policies)",
};
const PKG_DIAGNOSIS: Figure = Figure {
    name: "diagnosis search, one keystroke, in the browser (wasm): phone CPU · unthrottled",
    target: "< 16 ms on the phone CPU (one frame)",
    how: "headless Chromium, example page, the package's `searchDiagnoses(demo, q, 8)` with the national list loaded (core's one search, as the widget calls it); CDP CPU throttling 4× (the phone profile's CPU) and none; median (range) of 15 calls per query after 3 warm-up calls; `loadDiagnoses` once",
};
const WEB_COLD: Figure = Figure {
    name: "widget: first estimate, cold first visit",
    target: "≤ 2.0 s",
    how: "share link, 360×740, 4× CPU, 1.6 Mbps / 750 kbps / 150 ms (CDP), cache off; median (range) of 5 loads",
};
const WEB_REPEAT: Figure = Figure {
    name: "widget: first estimate, repeat visit",
    target: "≤ 0.5 s",
    how: "same profile, cache on: the link again in a new tab after a first visit; median (range) of 5",
};
const PKG_SIZE: Figure = Figure {
    name: "package `yibao_bg.wasm`, gzip",
    target: "— (reported; the gate guards it with `GZIP_BUDGET`, xtask/src/pkg.rs)",
    how: "node zlib level 9, `tests/browser/pkg/size.mjs`",
};
const WEB_SIZE: Figure = Figure {
    name: "widget first visit, gzip",
    target: "— (reported; the gate guards it with `FIRST_VISIT_CEILING`, xtask/src/web.rs)",
    how: "node zlib level 9 of the 7 first-visit files, `tests/browser/web/sizes.mjs`",
};

const REPLAY_YIBAO: Figure = Figure {
    name: "replay: 450,000 inpatient claims, yibao (exact)",
    target: "—",
    how: "`yibao replay --json` (release) of `claims generate --inpatient-only --seed 19` under benchmarks/openfisca/policy.toml: `seconds.replay`, the partition by person, settlement and summary with the claims already read (as OpenFisca's calculation has its arrays), best of 3, 1 thread and all cores; `--general` for the general path",
};
const REPLAY_OPENFISCA: Figure = Figure {
    name: "replay: the same claims, OpenFisca",
    target: "—",
    how: "openfisca-core from PyPI, benchmarks/openfisca (run.py: calculation alone incl. ordering by person, best of 3; idiomatic = `--fancy-indexing`; compare.py: claims off by a fen or more against yibao)",
};
const REPLAY_RATIO: Figure = Figure {
    name: "replay: OpenFisca float32 time ÷ yibao time",
    target: "≥ 20×",
    how: "the two rows above, measured one after the other in one `cargo xtask bench replay` run; yibao's best of 1 thread and all cores",
};

/// The table's rows, in order.
const TABLE: &[&Figure] = &[
    &NATIVE_ESTIMATE,
    &NATIVE_WORDED,
    &NATIVE_SEARCH,
    &NATIVE_DIAGNOSIS,
    &NATIVE_DIAGNOSIS_INDEX,
    &NATIVE_PARSE,
    &NATIVE_INSTRUCTIONS,
    &PKG_CALL,
    &PKG_INSTANTIATE,
    &PKG_DIAGNOSIS,
    &WEB_COLD,
    &WEB_REPEAT,
    &PKG_SIZE,
    &WEB_SIZE,
    &REPLAY_YIBAO,
    &REPLAY_OPENFISCA,
    &REPLAY_RATIO,
];

const BEGIN: &str = "<!-- cargo xtask bench: the table below is written by each run -->";
const END: &str = "<!-- cargo xtask bench: end of table -->";

/// A figure measured in this run, with when and on what it was measured.
struct Measured {
    name: &'static str,
    value: String,
    at: Context,
}

#[derive(Clone)]
struct Context {
    date: String,
    commit: String,
    load: String,
}

impl Context {
    /// Now: the date, the commit measured, and the machine's load and cores.
    fn now() -> Context {
        let load = std::fs::read_to_string("/proc/loadavg")
            .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|_| "?".into());
        let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
        Context {
            date: utc_now(),
            commit: commit(),
            load: format!("{load} · {cores} cores"),
        }
    }
}

pub fn run(args: &[String]) -> Result<(), String> {
    let groups = ["native", "pkg", "web", "replay"];
    if let Some(bad) = args.iter().find(|a| !groups.contains(&a.as_str())) {
        return Err(format!(
            "unknown `bench` group {bad:?}; try `cargo xtask bench [native] [pkg] [web] [replay]`"
        ));
    }
    let want = |g: &str| args.is_empty() || args.iter().any(|a| a == g);
    let mut figures = vec![];
    if want("native") {
        native(&mut figures)?;
    }
    if want("pkg") {
        package(&mut figures)?;
    }
    if want("web") {
        widget(&mut figures)?;
    }
    if want("replay") {
        replay(&mut figures)?;
    }
    println!();
    for m in &figures {
        println!("{:<52} {}", m.name, m.value);
    }
    write_table(&root().join("BENCHMARKS.md"), &figures)?;
    println!("written to BENCHMARKS.md (the current table)");
    Ok(())
}

fn native(figures: &mut Vec<Measured>) -> Result<(), String> {
    let at = Context::now();
    sh(cargo().args(["bench", "-p", "yibao-core", "--bench", "estimate"]))?;
    let criterion = |bench: &str| -> Result<(f64, f64, f64), String> {
        let path = root().join(format!("target/criterion/{bench}/new/estimates.json"));
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let get = |keys: &[&str]| {
            json_number(&text, keys).ok_or_else(|| format!("{}: no {keys:?}", path.display()))
        };
        Ok((
            get(&["median", "point_estimate"])?,
            get(&["median", "lower_bound"])?,
            get(&["median", "upper_bound"])?,
        ))
    };
    let (med, lo, hi) = criterion("estimate_inpatient_20_items_3_layers")?;
    figures.push(Measured {
        name: NATIVE_ESTIMATE.name,
        value: format!("**{}** ({}–{})", ns(med), ns(lo), ns(hi)),
        at: at.clone(),
    });
    for (figure, bench) in [
        (&NATIVE_WORDED, "estimate_and_word_every_step_zh_en"),
        (&NATIVE_SEARCH, "search_diseases_pinyin"),
        (&NATIVE_PARSE, "parse_and_validate_demo_policy"),
    ] {
        let (med, _, _) = criterion(bench)?;
        figures.push(Measured {
            name: figure.name,
            value: ns(med),
            at: at.clone(),
        });
    }
    let mut keystroke = vec![];
    for (bench, q) in [
        ("search_diagnoses_alias", "心梗"),
        ("search_diagnoses_initials", "jxxjgs"),
        ("search_diagnoses_typo", "xinegng"),
    ] {
        keystroke.push(format!("`{q}` {}", ns(criterion(bench)?.0)));
    }
    figures.push(Measured {
        name: NATIVE_DIAGNOSIS.name,
        value: keystroke.join(" · "),
        at: at.clone(),
    });
    let (parse, _, _) = criterion("parse_diagnosis_index")?;
    let (raw, gz, br) = index_bytes()?;
    figures.push(Measured {
        name: NATIVE_DIAGNOSIS_INDEX.name,
        value: format!(
            "read in {} · {} B (gzip {} B, brotli {} B)",
            ns(parse),
            group(raw),
            group(gz),
            group(br)
        ),
        at: at.clone(),
    });
    // Deterministic: a count, not a time.
    let at = Context::now();
    let per = crate::budget::instructions_per_estimate()?;
    figures.push(Measured {
        name: NATIVE_INSTRUCTIONS.name,
        value: format!("{} per estimate", group(per)),
        at,
    });
    Ok(())
}

/// The national diagnosis index's bytes: raw, gzip -9 (the CLI) and brotli 11 (node's zlib, as
/// `cargo xtask web` compresses what it serves).
fn index_bytes() -> Result<(u64, u64, u64), String> {
    let path = root().join("data/diagnoses.idx");
    let raw = std::fs::metadata(&path).map_err(|e| e.to_string())?.len();
    let count = |cmd: &mut Command| -> Result<u64, String> {
        let out = cmd.output().map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).into_owned());
        }
        Ok(out.stdout.len() as u64)
    };
    let gz = count(Command::new("gzip").args(["-9", "-n", "-c"]).arg(&path))?;
    let br = count(Command::new("node").arg("-e").arg(
        "const z = require('zlib'); const d = require('fs').readFileSync(process.argv[1]);\
         process.stdout.write(z.brotliCompressSync(d, { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11 } }))",
    ).arg(&path))?;
    Ok((raw, gz, br))
}

fn package(figures: &mut Vec<Measured>) -> Result<(), String> {
    let bg = crate::pkg::build()?;
    let at = Context::now();
    let out = Command::new("node")
        .arg(root().join("tests/browser/pkg/size.mjs"))
        .arg(&bg)
        .arg("--json")
        .output()
        .map_err(|e| format!("node size.mjs: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let size = |k: &str| json_number(&text, &[k]).ok_or(format!("size.mjs printed no {k}: {text}"));
    figures.push(Measured {
        name: PKG_SIZE.name,
        value: format!(
            "**{} B** (raw {} B, brotli {} B)",
            group(size("gzip")? as u64),
            group(size("raw")? as u64),
            group(size("brotli")? as u64)
        ),
        at,
    });
    let (browser, _) = setup::chromium()?;
    let tools = setup::tools_dir().join("node_modules");
    setup::npm_tools()?;
    let file = root().join("target/bench/pkg.json");
    let at = Context::now();
    sh(Command::new("node")
        .arg(root().join("tests/browser/bench/pkg.mjs"))
        .env("CHROMIUM", &browser)
        .env("YIBAO_TOOLS", &tools)
        .env("YIBAO_BENCH_OUT", &file))?;
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    let get = |k: &str| json_number(&text, &[k]).ok_or(format!("{}: no {k}", file.display()));
    figures.push(Measured {
        name: PKG_CALL.name,
        value: format!(
            "**{:.1} µs** ({:.1}–{:.1})",
            get("estimate_us_median")?,
            get("estimate_us_min")?,
            get("estimate_us_max")?
        ),
        at: at.clone(),
    });
    figures.push(Measured {
        name: PKG_INSTANTIATE.name,
        value: format!(
            "**{:.2} ms** (first call {:.2} ms)",
            get("instantiate_ms_median")?,
            get("first_call_ms_median")?
        ),
        at: at.clone(),
    });
    let keystroke = |profile: &str| -> Result<String, String> {
        let q = |k: &str, v: &str| get_in(&text, &[profile, k, v]);
        let mut parts = vec![];
        for (key, word) in [
            ("alias", "心梗"),
            ("initials", "jxxjgs"),
            ("typo", "xinegng"),
        ] {
            parts.push(format!(
                "`{word}` {:.2} ms ({:.2}–{:.2})",
                q(key, "median")?,
                q(key, "min")?,
                q(key, "max")?
            ));
        }
        let load = json_number(&text, &[profile, "load_ms"])
            .ok_or(format!("{}: no {profile}.load_ms", file.display()))?;
        Ok(format!("{}; index read in {load:.0} ms", parts.join(" · ")))
    };
    figures.push(Measured {
        name: PKG_DIAGNOSIS.name,
        value: format!(
            "**phone CPU:** {} — **unthrottled:** {}",
            keystroke("search_phone")?,
            keystroke("search_unthrottled")?
        ),
        at,
    });
    Ok(())
}

/// A number at `keys` in a benchmark's JSON output, or why it is missing.
fn get_in(text: &str, keys: &[&str]) -> Result<f64, String> {
    json_number(text, keys).ok_or(format!("the benchmark's JSON has no {}", keys.join(".")))
}

fn widget(figures: &mut Vec<Measured>) -> Result<(), String> {
    let dist = crate::web::build()?;
    let (browser, _) = setup::chromium()?;
    setup::run()?;
    let tools = setup::tools_dir().join("node_modules");
    setup::npm_tools()?;
    let addr = crate::serve::spawn(&dist)?;
    let file = root().join("target/bench/web.json");
    let at = Context::now();
    sh(Command::new("node")
        .arg(root().join("tests/browser/bench/web.mjs"))
        .env("YIBAO_URL", format!("http://{addr}/"))
        .env("YIBAO_DIST", &dist)
        .env("YIBAO_FIRST_VISIT", crate::web::FIRST_VISIT.join(","))
        .env("YIBAO_BENCH_OUT", &file)
        .env("CHROMIUM", &browser)
        .env("CHROMIUM_FLAGS", setup::CHROMIUM_FLAGS.join(" "))
        .env("NODE_PATH", &tools))?;
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    let get =
        |keys: &[&str]| json_number(&text, keys).ok_or(format!("{}: no {keys:?}", file.display()));
    figures.push(Measured {
        name: WEB_SIZE.name,
        value: format!(
            "**{} B** (raw {} B, brotli {} B)",
            group(get(&["gzip_total"])? as u64),
            group(get(&["raw_total"])? as u64),
            group(get(&["brotli_total"])? as u64)
        ),
        at: at.clone(),
    });
    for (figure, key) in [(&WEB_COLD, "cold"), (&WEB_REPEAT, "repeat")] {
        let ms = |k: &str| get(&[key, k]).map(|v| group(v as u64));
        figures.push(Measured {
            name: figure.name,
            value: format!(
                "**{} ms** ({}–{}; DOMContentLoaded {}, wasm in {} ms; {} B transferred)",
                ms("estimate_ms_median")?,
                ms("estimate_ms_min")?,
                ms("estimate_ms_max")?,
                ms("dom_content_loaded_ms_median")?,
                ms("wasm_downloaded_ms_median")?,
                ms("transferred_bytes_median")?
            ),
            at: at.clone(),
        });
    }
    Ok(())
}

/// The current table in BENCHMARKS.md between its markers, with this run's figures in place of
/// the old ones (a figure not measured in this run keeps its row).
/// yibao's replay against OpenFisca on the same 450,000 claims (issue 19's benchmark).
fn replay(figures: &mut Vec<Measured>) -> Result<(), String> {
    let at = Context::now();
    sh(cargo().args(["build", "--release", "-p", "yibao-cli"]))?;
    let yibao = root().join("target/release/yibao");
    let work = root().join("target/replay-bench");
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let policy = root().join("benchmarks/openfisca/policy.toml");
    let claims = work.join("claims.csv");
    sh(Command::new(&yibao)
        .args([
            "claims",
            "generate",
            "--inpatient-only",
            "--seed",
            "19",
            "--claims",
            "450000",
            "--policy",
        ])
        .arg(&policy)
        .arg("--out")
        .arg(&claims))?;
    let read = |p: &Path| -> Result<serde_json::Value, String> {
        let t = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
        serde_json::from_str(&t).map_err(|e| format!("{}: {e}", p.display()))
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    // One replay's time (the CLI's `seconds.replay`: partition, settlement and summary, the
    // claims already read), the best of three runs; `extra` adds CLI arguments.
    let time = |threads: usize, extra: &[&str]| -> Result<(f64, serde_json::Value), String> {
        let json = work.join(format!("yibao-{threads}.json"));
        let mut best = f64::INFINITY;
        let mut last = serde_json::Value::Null;
        for _ in 0..3 {
            sh(Command::new(&yibao)
                .args(["replay", "--policy"])
                .arg(&policy)
                .arg("--claims")
                .arg(&claims)
                .args(extra)
                .arg("--json")
                .arg(&json)
                .env("RAYON_NUM_THREADS", threads.to_string())
                .stdout(std::process::Stdio::null()))?;
            last = read(&json)?;
            best = best.min(last["seconds"]["replay"][0].as_f64().unwrap_or(f64::NAN));
        }
        Ok((best, last))
    };
    let (one, report) = time(1, &[])?;
    let (all, _) = time(cores, &[])?;
    let (general, _) = time(cores, &["--general"])?;
    let compiled = report["policies"][0]["engine"]["compiled_claims"]
        .as_u64()
        .unwrap_or(0);
    // The per-claim amounts OpenFisca is compared with (a run of its own: writing them is not
    // part of the replay's time).
    let out = work.join("yibao.csv");
    sh(Command::new(&yibao)
        .args(["replay", "--policy"])
        .arg(&policy)
        .arg("--claims")
        .arg(&claims)
        .arg("--out")
        .arg(&out)
        .stdout(std::process::Stdio::null()))?;
    let bench = root().join("benchmarks/openfisca/bench.sh");
    let mut openfisca = vec![];
    for fancy in [false, true] {
        let mut cmd = Command::new("bash");
        cmd.arg(&bench)
            .arg(&claims)
            .arg("--yibao-csv")
            .arg(&out)
            .arg("--out")
            .arg(&work);
        if fancy {
            cmd.arg("--fancy-indexing");
        }
        sh(&mut cmd)?;
        for dtype in ["float32", "float64"] {
            let suffix = if fancy { "-fancy" } else { "" };
            let run = read(&work.join(format!("openfisca-{dtype}{suffix}.json")))?;
            let cmp = read(&work.join(format!("compare-{dtype}{suffix}.json")))?;
            openfisca.push(OpenFiscaRun {
                fancy,
                dtype,
                seconds: run["seconds_calc"].as_f64().unwrap_or(f64::NAN),
                wrong: cmp["wrong"].as_u64().unwrap_or(0),
                max_fen: cmp["max_diff_fen"].as_f64().unwrap_or(f64::NAN),
            });
        }
    }
    figures.push(Measured {
        name: REPLAY_YIBAO.name,
        value: format!(
            "**{:.1} ms on 1 core, {:.1} ms on {cores}** ({:.0} ns a claim on 1 core; {} of 450,000 claims by the compiled path); the general path alone: {:.3} s on {cores}; 0 wrong by construction",
            one * 1e3,
            all * 1e3,
            one / 450_000.0 * 1e9,
            group(compiled),
            general
        ),
        at: at.clone(),
    });
    let of = |fancy: bool, dtype: &str| {
        openfisca
            .iter()
            .find(|r| r.fancy == fancy && r.dtype == dtype)
            .map_or(f64::NAN, |r| r.seconds)
    };
    figures.push(Measured {
        name: REPLAY_OPENFISCA.name,
        value: openfisca
            .iter()
            .map(|r| {
                format!(
                    "{} {}: {:.3} s, {} claims wrong by up to {} fen",
                    if r.fancy { "idiomatic" } else { "vectorised" },
                    r.dtype,
                    r.seconds,
                    group(r.wrong),
                    r.max_fen
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
        at: at.clone(),
    });
    let best = one.min(all);
    let (idiomatic, vectorised) = (of(true, "float32") / best, of(false, "float32") / best);
    let verdict = |x: f64| if x >= 20.0 { "" } else { " (not met)" };
    figures.push(Measured {
        name: REPLAY_RATIO.name,
        value: format!(
            "**{idiomatic:.1}×{}** against OpenFisca as documented (parameters by fancy indexing); **{vectorised:.1}×{}** against the hand-vectorised system",
            verdict(idiomatic),
            verdict(vectorised)
        ),
        at,
    });
    Ok(())
}

/// One OpenFisca run of the benchmark.
struct OpenFiscaRun {
    fancy: bool,
    dtype: &'static str,
    seconds: f64,
    wrong: u64,
    max_fen: f64,
}

fn write_table(path: &Path, figures: &[Measured]) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (head, rest) = text
        .split_once(BEGIN)
        .ok_or(format!("{}: no line {BEGIN:?}", path.display()))?;
    let (old, tail) = rest
        .split_once(END)
        .ok_or(format!("{}: no line {END:?}", path.display()))?;
    let mut table = String::from(
        "\n| figure | target | measured | how measured | date (UTC) | commit | load (1, 5, 15 min) · cores |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for f in TABLE {
        let row = match figures.iter().find(|m| m.name == f.name) {
            Some(m) => format!(
                "| {} | {} | {} | {} | {} | `{}` | {} |\n",
                f.name, f.target, m.value, f.how, m.at.date, m.at.commit, m.at.load
            ),
            None => old
                .lines()
                .find(|l| l.starts_with(&format!("| {} |", f.name)))
                .map(|l| format!("{l}\n"))
                .unwrap_or_else(|| {
                    format!(
                        "| {} | {} | not measured yet | {} | | | |\n",
                        f.name, f.target, f.how
                    )
                }),
        };
        table.push_str(&row);
    }
    let new = format!("{head}{BEGIN}{table}{END}{tail}");
    std::fs::write(path, new).map_err(|e| format!("{}: {e}", path.display()))
}

/// The number under `keys` in `json`, each key looked for at any depth below the one before
/// (criterion's `median` → `lower_bound` sits under `confidence_interval`).
fn json_number(json: &str, keys: &[&str]) -> Option<f64> {
    fn find<'a>(v: &'a serde_json::Value, key: &str) -> Option<&'a serde_json::Value> {
        let obj = v.as_object()?;
        obj.get(key)
            .or_else(|| obj.values().find_map(|child| find(child, key)))
    }
    // A script's output may print lines for people before its JSON line: the whole text, or
    // else its last line that is JSON.
    let root: serde_json::Value = serde_json::from_str(json).ok().or_else(|| {
        json.lines()
            .rev()
            .find_map(|l| serde_json::from_str(l.trim()).ok())
    })?;
    keys.iter().try_fold(&root, |at, k| find(at, k))?.as_f64()
}

/// Nanoseconds as the table shows them.
fn ns(v: f64) -> String {
    if v >= 1e6 {
        format!("{:.2} ms", v / 1e6)
    } else if v >= 1e3 {
        format!("{:.2} µs", v / 1e3)
    } else {
        format!("{v:.0} ns")
    }
}

/// 1234567 → "1,234,567".
fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The short commit measured, marked `+changes` when tracked files other than BENCHMARKS.md
/// differ from it.
fn commit() -> String {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(root())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let head = git(&["rev-parse", "--short", "HEAD"]).unwrap_or_else(|| "?".into());
    let changed = git(&[
        "status",
        "--porcelain",
        "--untracked-files=no",
        "--",
        ".",
        ":!BENCHMARKS.md",
    ])
    .is_some_and(|s| !s.is_empty());
    if changed {
        format!("{head}+changes")
    } else {
        head
    }
}

/// The current UTC time as `YYYY-MM-DD HH:MM` (the date by core's calendar).
fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let date = yibao_core::Date::from_days(days as i64);
    format!("{date} {:02}:{:02}", rem / 3600, rem % 3600 / 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_replaces_its_rows_and_keeps_the_others() {
        let path = std::env::temp_dir().join(format!("yibao-bench-{}.md", std::process::id()));
        let old_cold = format!(
            "| {} | ≤ 2.0 s | **1,670 ms** | old | 2026-12-01 10:00 | `abc` | 1 · 2 cores |",
            WEB_COLD.name
        );
        let old_native = format!(
            "| {} | ≤ 5 µs | 9 µs | old | 2026-12-01 10:00 | `abc` | 1 · 2 cores |",
            NATIVE_ESTIMATE.name
        );
        std::fs::write(
            &path,
            format!(
                "# B\n\nbefore\n{BEGIN}\n| figure |\n{old_native}\n{old_cold}\n{END}\n\nafter\n"
            ),
        )
        .unwrap();
        let at = Context {
            date: "2026-12-02 14:10".into(),
            commit: "def".into(),
            load: "0.5 0.4 0.3 · 2 cores".into(),
        };
        let figures = [Measured {
            name: NATIVE_ESTIMATE.name,
            value: "**4.92 µs**".into(),
            at,
        }];
        write_table(&path, &figures).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        assert!(text.starts_with("# B\n\nbefore\n"), "{text}");
        assert!(text.ends_with(&format!("{END}\n\nafter\n")), "{text}");
        assert!(text.contains(&format!(
            "| {} | ≤ 5 µs | **4.92 µs** | {} | 2026-12-02 14:10 | `def` | 0.5 0.4 0.3 · 2 cores |",
            NATIVE_ESTIMATE.name, NATIVE_ESTIMATE.how
        )));
        assert!(!text.contains(&old_native));
        assert!(
            text.contains(&old_cold),
            "a row not measured keeps its figures"
        );
        assert!(text.contains(&format!(
            "| {} | ≤ 0.5 s | not measured yet |",
            WEB_REPEAT.name
        )));
        // Every figure has its one row, in the table's order.
        let rows: Vec<_> = text
            .lines()
            .filter(|l| l.starts_with("| ") && !l.starts_with("| figure"))
            .collect();
        assert_eq!(rows.len(), TABLE.len());
        for (row, f) in rows.iter().zip(TABLE) {
            assert!(row.starts_with(&format!("| {} |", f.name)), "{row}");
        }
    }

    #[test]
    fn numbers_are_found_after_their_keys() {
        let criterion = r#"{"mean":{"confidence_interval":{"confidence_level":0.95,"lower_bound":4600.5,"upper_bound":4700.0},"point_estimate":4650.25,"standard_error":1.2},"median":{"confidence_interval":{"confidence_level":0.95,"lower_bound":4610.0,"upper_bound":4690.0},"point_estimate":4651.5,"standard_error":1.0}}"#;
        assert_eq!(
            json_number(criterion, &["median", "point_estimate"]),
            Some(4651.5)
        );
        assert_eq!(
            json_number(criterion, &["median", "lower_bound"]),
            Some(4610.0)
        );
        let flat = "{\n  \"gzip\": 107510,\n  \"raw\": 2.5e3\n}";
        let printed = "pkg/dist/web/yibao_bg.wasm: raw 1069071 B, gzip 309548 B\n{\"raw\":1069071,\"gzip\":309548}\n";
        assert_eq!(json_number(printed, &["gzip"]), Some(309548.0));
        assert_eq!(json_number(flat, &["gzip"]), Some(107510.0));
        assert_eq!(json_number(flat, &["raw"]), Some(2500.0));
        assert_eq!(json_number(flat, &["brotli"]), None);
    }

    #[test]
    fn figures_are_written_for_people() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1000), "1,000");
        assert_eq!(group(182956), "182,956");
        assert_eq!(group(1234567), "1,234,567");
        assert_eq!(ns(4651.5), "4.65 µs");
        assert_eq!(ns(351_000.0), "351.00 µs");
        assert_eq!(ns(1_500_000.0), "1.50 ms");
        assert_eq!(ns(840.0), "840 ns");
    }
}
