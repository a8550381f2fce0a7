//! `yibao refer`, `compare`, `diseases`, `transfer-down`: the 分级诊疗 side of the CLI.

use crate::files::{load_policy, Fail};
use crate::render::{json, pad};
use crate::Lang;
use std::process::ExitCode;
use std::sync::OnceLock;
use yibao_core::case::{Bill, Case, Patient, ReferralFacts};
use yibao_core::diagnosis::{self, National};
use yibao_core::referral::compare::{compare as run_compare, CompareRequest};
use yibao_core::referral::transfer::{suggest, TransferRequest};
use yibao_core::referral::{self, assess, penalty_en, penalty_zh};
use yibao_core::{Code, Date, Money, Policy, Problem};

/// Output options shared by the referral commands.
#[derive(clap::Args)]
pub struct Output {
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    #[arg(long, value_enum, default_value = "zh")]
    pub lang: Lang,
}

#[derive(clap::Args)]
pub struct ReferArgs {
    #[arg(long, default_value = yibao_shipped::DEMO)]
    pub policy: String,
    /// Facility level id (township, county, city, province, out_of_province …).
    #[arg(long)]
    pub level: String,
    /// Disease: ICD-10 code, Chinese name or pinyin initials.
    #[arg(long)]
    pub disease: Option<String>,
    #[command(flatten)]
    pub who: Who,
    /// Holds a 转诊单 (referral slip).
    #[arg(long)]
    pub slip: bool,
    /// Date the 转诊单 was issued (YYYY-MM-DD).
    #[arg(long)]
    pub slip_date: Option<String>,
    /// Holds an 异地就医备案 (out-of-area filing).
    #[arg(long)]
    pub filing: bool,
    #[command(flatten)]
    pub out: Output,
}

#[derive(clap::Args)]
pub struct CompareArgs {
    #[arg(long, default_value = yibao_shipped::DEMO)]
    pub policy: String,
    /// Disease: ICD-10 code, Chinese name or pinyin initials.
    #[arg(long)]
    pub disease: String,
    /// Expected total cost in yuan.
    #[arg(long, allow_hyphen_values = true)]
    pub cost: String,
    #[command(flatten)]
    pub who: Who,
    #[command(flatten)]
    pub out: Output,
}

#[derive(clap::Args)]
pub struct DiseasesArgs {
    /// What to look for (several words are read as one text: `急性 心梗`).
    #[arg(required = true, num_args = 1..)]
    pub query: Vec<String>,
    #[arg(long, default_value = yibao_shipped::DEMO)]
    pub policy: String,
    /// At most this many results.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    #[arg(long)]
    pub json: bool,
}

/// The national diagnosis list, embedded (data/diagnoses.idx) and read on first use.
pub fn national() -> &'static National {
    static NATIONAL: OnceLock<National> = OnceLock::new();
    NATIONAL.get_or_init(|| {
        National::parse(include_str!("../../data/diagnoses.idx"))
            .expect("the embedded index is checked by cargo test -p xtask")
    })
}

#[derive(clap::Args)]
pub struct TransferArgs {
    #[arg(long, default_value = yibao_shipped::DEMO)]
    pub policy: String,
    #[arg(long)]
    pub level: String,
    /// Daily costs, oldest first, comma-separated (e.g. 1800,1500,1200,1180,1210).
    #[arg(long, allow_hyphen_values = true)]
    pub daily: String,
    #[arg(long)]
    pub disease: Option<String>,
    #[arg(long)]
    pub remaining_days: Option<u32>,
    #[command(flatten)]
    pub who: Who,
    #[command(flatten)]
    pub out: Output,
}

/// Who the patient is (shared by the referral commands).
#[derive(clap::Args)]
pub struct Who {
    /// Patient category id (general, dibao, in_service, retired …); default: the policy's first
    /// category (`general` in a resident policy, `in_service` in an employee one).
    #[arg(long)]
    pub category: Option<String>,
    #[arg(long)]
    pub age: Option<u32>,
    #[arg(long)]
    pub pregnant: bool,
    #[arg(long)]
    pub severe_disability: bool,
    /// 急危重症 (emergency).
    #[arg(long)]
    pub emergency: bool,
    /// Date of care (YYYY-MM-DD); today when absent.
    #[arg(long)]
    pub date: Option<String>,
}

impl Who {
    /// The patient, with a category the policy defines (checked, with `--category` as its path).
    fn patient(&self, p: &yibao_core::policy::Policy) -> Result<Patient, Fail> {
        let category = match &self.category {
            Some(c) => c.clone(),
            None => p
                .categories
                .first()
                .map(|c| c.id.clone())
                .unwrap_or_default(),
        };
        p.category_or_problem(&category, "--category")
            .map_err(Fail)?;
        Ok(Patient {
            category,
            age: self.age,
            pregnant: self.pregnant,
            severe_disability: self.severe_disability,
            ..Patient::default()
        })
    }
    fn date(&self) -> Result<Option<Date>, Fail> {
        self.date
            .as_deref()
            .map(|d| parse_date(d, "--date"))
            .transpose()
    }
}

fn parse_date(s: &str, flag: &str) -> Result<Date, Fail> {
    Date::parse(s).map_err(|e| {
        Fail(
            Problem::new(
                Code::InvalidDate,
                flag,
                format!("日期格式应为 YYYY-MM-DD:{s}"),
                e,
            )
            .into(),
        )
    })
}

fn parse_money(s: &str, flag: &str) -> Result<Money, Fail> {
    match Money::parse(s) {
        Ok(m) if m.0.is_sign_negative() && !m.0.is_zero() => Err(Fail(
            Problem::new(
                Code::NegativeAmount,
                flag,
                format!("金额不能为负数:{s}"),
                format!("amount must not be negative: {s}"),
            )
            .into(),
        )),
        Ok(m) if m > Money::MAX_INPUT => Err(Fail(
            Problem::new(
                Code::AmountTooLarge,
                flag,
                format!("金额过大(超过一万亿元):{s}"),
                format!("amount too large (over one trillion): {s}"),
            )
            .into(),
        )),
        Ok(m) => Ok(m),
        Err(_) => Err(Fail(
            Problem::new(
                Code::InvalidNumber,
                flag,
                format!("不是有效的金额:{s}"),
                format!("not an amount: {s}"),
            )
            .into(),
        )),
    }
}

/// An ICD-10 code as given, or the best catalogue match for a name or pinyin initials (core's
/// `referral::check::disease`, as the package's `checkPathway` resolves it), at `--disease`.
fn resolve_disease(p: &Policy, q: &str) -> Result<String, Fail> {
    referral::check::disease(p, Some(national()), q, "--disease").map_err(|e| Fail(e.into()))
}

pub fn refer(args: ReferArgs, today: Date) -> Result<ExitCode, Fail> {
    let ReferArgs {
        policy,
        level,
        disease,
        who,
        slip,
        slip_date,
        filing,
        out,
    } = args;
    let (as_json, lang) = (out.json, out.lang);
    let doc = load_policy(&policy)?;
    let p = &doc.policy;
    let mut case = Case {
        date: who.date()?,
        level,
        patient: who.patient(p)?,
        disease,
        emergency: who.emergency,
        referral: ReferralFacts {
            from_level: None,
            slip,
            slip_date: slip_date
                .map(|d| parse_date(&d, "--slip-date"))
                .transpose()?,
            filing,
            filing_kind: None,
        },
        bill: Bill::default(),
        ..Case::default()
    };
    // The package's `checkPathway` checks the same way; here the paths are the flags.
    referral::check::check(p, Some(national()), &mut case).map_err(|mut ps| {
        for e in &mut ps.0 {
            e.path = format!("--{}", e.path);
        }
        Fail(ps)
    })?;
    let v = assess(p, &case, case.date.unwrap_or(today));
    if as_json {
        println!("{}", json(&v));
        return Ok(ExitCode::SUCCESS);
    }
    let zh = lang == Lang::Zh;
    println!(
        "{}",
        if zh {
            v.eligibility.zh()
        } else {
            v.eligibility.en()
        }
    );
    if v.findings.is_empty() {
        println!(
            "  {}",
            if zh {
                "符合首诊与转诊规定"
            } else {
                "meets the first-contact and referral rules"
            }
        );
    }
    for f in &v.findings {
        println!(
            "  • {}\n    依据 / source: {}",
            if zh { &f.zh } else { &f.en },
            f.cite.short()
        );
        if let Some(pen) = &f.penalty {
            println!(
                "    {}: {}",
                if zh { "影响" } else { "effect" },
                if zh { penalty_zh(pen) } else { penalty_en(pen) }
            );
        }
    }
    for (a_zh, a_en) in v.advice_zh.iter().zip(&v.advice_en) {
        println!("  → {}", if zh { a_zh } else { a_en });
    }
    Ok(ExitCode::SUCCESS)
}

pub fn compare(args: CompareArgs, today: Date) -> Result<ExitCode, Fail> {
    let CompareArgs {
        policy,
        disease,
        cost,
        who,
        out,
    } = args;
    let (as_json, lang) = (out.json, out.lang);
    let doc = load_policy(&policy)?;
    let p = &doc.policy;
    let code = resolve_disease(p, &disease)?;
    let req = CompareRequest {
        patient: who.patient(p)?,
        disease: Some(code.clone()),
        expected_cost: parse_money(&cost, "--cost")?,
        date: who.date()?,
        emergency: who.emergency,
        ytd: Default::default(),
    };
    let c = run_compare(&doc, &req, today).map_err(Fail)?;
    if as_json {
        println!("{}", json(&c));
        return Ok(ExitCode::SUCCESS);
    }
    let zh = lang == Lang::Zh;
    let name = p
        .disease(&code)
        .map(|d| {
            if zh {
                d.name_zh.clone()
            } else {
                d.name_en.clone()
            }
        })
        .unwrap_or(code.clone());
    println!(
        "{} {name} ({code}) · {} {} {}",
        if zh { "病种" } else { "Condition" },
        if zh { "预计费用" } else { "expected cost" },
        req.expected_cost.yuan(),
        if zh { "元" } else { "yuan" }
    );
    println!("{}\n", if zh { &p.meta.name_zh } else { &p.meta.name_en });
    println!(
        "   {}{}{}{}",
        pad(if zh { "就医机构" } else { "facility" }, 28),
        pad(if zh { "手续" } else { "paperwork" }, 36),
        pad(if zh { "报销资格" } else { "eligibility" }, 20),
        if zh {
            "个人负担 低 / 典型 / 高(元)"
        } else {
            "patient pays low / typical / high"
        }
    );
    for o in &c.options {
        let mark = if o.recommended {
            "★"
        } else if o.beyond_typical {
            "!"
        } else if !o.designated {
            "·"
        } else {
            " "
        };
        println!(
            "{mark}  {}{}{}{:>9} / {:>9} / {:>9}",
            pad(if zh { &o.level_zh } else { &o.level_en }, 28),
            pad(if zh { &o.paperwork_zh } else { &o.paperwork_en }, 36),
            pad(
                if zh {
                    o.eligibility.zh()
                } else {
                    o.eligibility.en()
                },
                20
            ),
            o.patient_low.yuan(),
            o.patient_typical.yuan(),
            o.patient_high.yuan()
        );
    }
    println!("\n{}", if zh { &c.reason_zh } else { &c.reason_en });
    println!("{}", if zh { &c.basis_zh } else { &c.basis_en });
    // A level the bill is beyond: its card's sentence and the clause giving its typical stay.
    let mut flagged = vec![];
    for o in c.options.iter().filter(|o| o.beyond_typical) {
        if flagged.contains(&&o.level) {
            continue;
        }
        flagged.push(&o.level);
        println!(
            "! {}: {}",
            if zh { &o.level_zh } else { &o.level_en },
            if zh { &o.bill_zh } else { &o.bill_en }
        );
        if let Some(t) = &o.typical_stay {
            println!(
                "  {} {}",
                if zh { "依据" } else { "source" },
                t.cite.short()
            );
        }
    }
    println!(
        "{}",
        if zh {
            "★ 推荐  ! 费用超出该级别一般收治的范围  · 不在该病种的诊治目录级别"
        } else {
            "★ recommended  ! bill beyond what the level typically treats  · level not on the disease's list"
        }
    );
    let mut cited = vec![];
    for o in &c.options {
        for f in &o.estimate.typical.referral.findings {
            let s = f.cite.short();
            if !cited.contains(&s) {
                println!(
                    "{} {}: {}",
                    if zh { "依据" } else { "source" },
                    if zh { &o.level_zh } else { &o.level_en },
                    s
                );
                cited.push(s);
            }
        }
    }
    if let Some(o) = c.recommended.map(|i| &c.options[i]) {
        for s in &o.estimate.typical.steps {
            let short = s.cite.short();
            if !cited.contains(&short) {
                println!("{}: {short}", if zh { "依据" } else { "source" });
                cited.push(short);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn diseases(args: DiseasesArgs) -> Result<ExitCode, Fail> {
    let DiseasesArgs {
        query,
        policy,
        limit,
        json: as_json,
    } = args;
    let query = query.join(" ");
    let doc = load_policy(&policy)?;
    let hits = diagnosis::search(&doc.policy, Some(national()), &query, limit);
    if as_json {
        println!("{}", json(&hits));
        return Ok(ExitCode::SUCCESS);
    }
    if hits.is_empty() {
        println!("没有找到匹配的疾病 / no matching diagnosis: {query}");
        return Ok(ExitCode::from(1));
    }
    for h in hits {
        let mut notes = vec![];
        if let Some(d) = &h.disease {
            notes.push(format!("[{}]", d.levels.join(",")));
            if let Some(f) = &d.first_level {
                notes.push(format!("首诊:{f}"));
            }
            if d.emergency {
                notes.push("急危重症".into());
            }
        }
        if let Some((zh, _)) = h.listed.note() {
            notes.push(zh.into());
        }
        if let Some(g) = &h.primary_group {
            notes.push(g.note_zh());
        }
        let via = h
            .via
            .as_deref()
            .map(|v| format!("«{v}» "))
            .unwrap_or_default();
        let source = if h.national { "全国" } else { "本县" };
        let name = [h.name_zh.as_str(), h.name_en.as_str()].join(" ");
        println!(
            "{:<12} {via}{} · {source} · {}",
            h.code,
            name.trim_end(),
            notes.join(" ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn transfer_down(args: TransferArgs, today: Date) -> Result<ExitCode, Fail> {
    let TransferArgs {
        policy,
        level,
        daily,
        disease,
        remaining_days,
        who,
        out,
    } = args;
    let (as_json, lang) = (out.json, out.lang);
    let doc = load_policy(&policy)?;
    let daily_costs = daily
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| parse_money(s.trim(), "--daily"))
        .collect::<Result<Vec<_>, _>>()?;
    let disease = disease
        .map(|d| resolve_disease(&doc.policy, &d))
        .transpose()?;
    let req = TransferRequest {
        level,
        patient: who.patient(&doc.policy)?,
        disease,
        date: who.date()?,
        daily_costs,
        remaining_days,
        lower_daily_cost: None,
    };
    let s = suggest(&doc, &req, today).map_err(Fail)?;
    if as_json {
        println!("{}", json(&s));
        return Ok(ExitCode::SUCCESS);
    }
    let zh = lang == Lang::Zh;
    println!("{}", if zh { &s.zh } else { &s.en });
    if let Some(sv) = &s.saving {
        println!(
            "  {} {}  ·  {} {}  ·  {} {}",
            if zh {
                "继续在本院住院个人负担"
            } else {
                "stay here: patient pays"
            },
            sv.stay_patient_pays.yuan(),
            if zh {
                "下转后合计个人负担"
            } else {
                "after transfer: patient pays"
            },
            sv.transfer_patient_pays.yuan(),
            if zh { "节省" } else { "saving" },
            sv.saving.yuan()
        );
    }
    if let Some(c) = &s.cite {
        println!("  依据 / source: {}", c.short());
    }
    Ok(ExitCode::SUCCESS)
}
