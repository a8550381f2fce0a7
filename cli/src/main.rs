//! `yibao`: the command line for analysts and developers. Every failure is one bilingual
//! message with its file position and a non-zero exit code; nothing here panics on input.

mod files;
mod referral_cmd;
mod render;
mod replay_cmd;

use clap::{Parser, Subcommand};

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;
use files::{load_case, load_policy, load_ytd, Fail};
use std::path::PathBuf;
use std::process::ExitCode;
use yibao_core::{estimate, estimate_range, Date};

#[derive(Parser)]
#[command(
    name = "yibao",
    version,
    about = "医保费用预估与分级诊疗路径 / health-insurance cost estimates and referral pathways"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    Zh,
    En,
}

#[derive(Subcommand)]
enum Cmd {
    /// Check policy files (TOML or JSON) and directories of them (every policy under each,
    /// recursively; not *.cases.toml): strict keys, semantic rules, overlapping periods.
    Validate { policies: Vec<PathBuf> },
    /// Estimate one case under a policy (a file path or a shipped policy such as demo-county/resident-2024).
    Estimate {
        #[arg(long)]
        policy: String,
        #[arg(long)]
        case: PathBuf,
        /// Year-to-date totals (TOML), overriding any in the case.
        #[arg(long)]
        ytd: Option<PathBuf>,
        /// Print JSON with the settlement keys instead of the readable trace.
        #[arg(long)]
        json: bool,
        /// Show low / typical / high when only a total is known.
        #[arg(long)]
        range: bool,
        #[arg(long, value_enum, default_value = "zh")]
        lang: Lang,
    },
    /// Set an estimate beside the national platform's settlement slip (its `setlinfo` block as
    /// JSON, bare or as `{"output":{"setlinfo":…}}`): each figure matched, different or missing,
    /// with the steps and clauses that made it. Exit 0: no figure differs; 1: some differ; 2: bad
    /// input.
    Reconcile {
        #[arg(long)]
        policy: String,
        #[arg(long)]
        case: PathBuf,
        /// The slip's `setlinfo` JSON.
        #[arg(long)]
        slip: PathBuf,
        /// Print the reconciliation as JSON.
        #[arg(long)]
        json: bool,
        #[arg(long, value_enum, default_value = "zh")]
        lang: Lang,
    },
    /// Run every worked case under DIR (*.cases.toml) against its policy: the one beside it, or
    /// the one its `policy` key names (a policy id, or a path relative to the cases file).
    Test {
        #[arg(default_value = "policies")]
        dir: PathBuf,
    },
    /// List the shipped policies.
    Policies,
    /// Print a validated policy as JSON (with its SHA-256), the form the browser widget and the
    /// npm package accept from a host page, which carry no TOML parser.
    Export {
        #[arg(long)]
        policy: String,
    },
    /// Pathway check: may this patient be treated at that level, with what paperwork?
    Refer(referral_cmd::ReferArgs),
    /// Every sensible place to be treated, side by side, with the patient's payment.
    Compare(referral_cmd::CompareArgs),
    /// Find a diagnosis by its everyday name (心梗, 胆结石), ICD-10 or 国临版 code, 中文名 or pinyin:
    /// the county catalogue first, then the national 医保版 2.0 list; one typo tolerated.
    #[command(visible_alias = "search")]
    Diseases(referral_cmd::DiseasesArgs),
    /// 下转 suggestion from the daily costs of a stay so far.
    TransferDown(referral_cmd::TransferArgs),
    /// Claims files: `claims generate` writes a seeded synthetic county-year.
    Claims {
        #[command(subcommand)]
        cmd: ClaimsCmd,
    },
    /// 提标测算: every claim of a file through one policy or two (current, proposed), person by
    /// person in date order; fund spend by layer, patient and hospital burden, ratios, caps.
    Replay(replay_cmd::ReplayArgs),
}

#[derive(Subcommand)]
enum ClaimsCmd {
    /// A synthetic county-year of claims for a policy (distributions: batch/src/generate.rs).
    Generate(replay_cmd::GenerateArgs),
}

/// Today in China (`Date::in_china_at`), as the package and the widget take it.
fn today() -> Date {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    Date::in_china_at(millis)
}

/// A closed pipe (`yibao … | head`) ends the program quietly; any other panic is a bug, reported
/// in one bilingual line without a backtrace.
fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if msg.contains("Broken pipe") {
            std::process::exit(0);
        }
        eprintln!("内部错误,请报告此问题 / internal error, please report it: {msg}");
        std::process::exit(101);
    }));
}

fn main() -> ExitCode {
    quiet_panics();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e)
            if matches!(
                e.kind(),
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion
            ) =>
        {
            print!("{e}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("命令行参数有误 / invalid command line:\n{e}");
            return ExitCode::from(2);
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(fail) => {
            eprintln!("{fail}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Fail> {
    match cli.cmd {
        Cmd::Validate { policies } => files::validate(&policies),
        Cmd::Estimate {
            policy,
            case,
            ytd,
            json,
            range,
            lang,
        } => {
            let doc = load_policy(&policy)?;
            let mut c = load_case(&case)?;
            if let Some(y) = ytd {
                c.ytd = load_ytd(&y)?;
            }
            let today = today();
            if range {
                let r = estimate_range(&doc, &c, today).map_err(|p| Fail::at(p, &case))?;
                if json {
                    println!("{}", render::json(&r));
                } else {
                    print!("{}", render::range(&doc, &r, lang));
                }
            } else {
                let e = estimate(&doc, &c, today).map_err(|p| Fail::at(p, &case))?;
                if json {
                    println!("{}", render::json(&e));
                } else {
                    print!("{}", render::estimate(&doc, &c, &e, lang));
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Reconcile {
            policy,
            case,
            slip,
            json,
            lang,
        } => {
            let doc = load_policy(&policy)?;
            let c = load_case(&case)?;
            let e = estimate(&doc, &c, today()).map_err(|p| Fail::at(p, &case))?;
            let text = files::read(&slip)?;
            let r = yibao_core::reconcile::reconcile(&doc.policy, &e, &text)
                .map_err(|p| Fail::at(p, &slip))?;
            if json {
                println!("{}", render::json(&r));
            } else {
                print!("{}", render::reconciliation(&doc, &r, lang));
            }
            Ok(if r.all_match() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Cmd::Test { dir } => files::test_dir(&dir, today()),
        Cmd::Policies => {
            for (path, text) in yibao_shipped::policies() {
                match yibao_core::policy::load::parse_policy(text, path) {
                    Ok(doc) => {
                        let m = &doc.policy.meta;
                        println!(
                            "{:<40} {:<10} {} {} – {}  {}  ({})",
                            m.id,
                            format!("{:?}", m.status).to_lowercase(),
                            m.scheme.name_zh(),
                            m.effective_from,
                            m.effective_to,
                            m.name_zh,
                            path
                        );
                    }
                    Err(p) => eprintln!("{p}"),
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Export { policy } => {
            println!("{}", render::json(&load_policy(&policy)?));
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Refer(args) => referral_cmd::refer(args, today()),
        Cmd::Compare(args) => referral_cmd::compare(args, today()),
        Cmd::Diseases(args) => referral_cmd::diseases(args),
        Cmd::TransferDown(args) => referral_cmd::transfer_down(args, today()),
        Cmd::Claims {
            cmd: ClaimsCmd::Generate(args),
        } => replay_cmd::generate(args),
        Cmd::Replay(args) => replay_cmd::replay(args),
    }
}
