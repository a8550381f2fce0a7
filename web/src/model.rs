//! What the user typed, independent of the DOM: how it becomes a [`Case`], how it travels in
//! the URL fragment (so a QR code can carry an estimate without any server), and how a block
//! pasted from a spreadsheet becomes line items. Pure, so it is unit-tested on the host.

use yibao_core::case::{Bill, Case, Item, LayerYtd, Patient, ReferralFacts, Setting, Ytd};
use yibao_core::policy::{ItemClass, PolicyDoc};
use yibao_core::table::Table;
use yibao_core::{Date, Money};

include!(concat!(env!("OUT_DIR"), "/policies.rs"));

/// The demo county policy: the default everywhere.
pub const DEFAULT_POLICY: &str = "demo-county/resident-2024";

/// A shipped policy by id (read from its build-time JSON form by `yibao_core::read`; validated
/// when the widget was built).
pub fn load_policy(id: &str) -> Option<PolicyDoc> {
    let (_, json) = POLICIES.iter().find(|(i, _)| *i == id)?;
    yibao_core::read::from_json(json).ok()
}

pub fn policy_ids() -> impl Iterator<Item = &'static str> {
    POLICIES.iter().map(|(id, _)| *id)
}

/// A policy passed by the host page as JSON: either a loaded `PolicyDoc` (as the build embeds
/// them) or a bare `Policy`, whose receipt hash is then the SHA-256 of the text given. Read
/// strictly and validated like a shipped policy (`yibao_core::read`); problems come back
/// bilingual, each with its path.
pub fn parse_host_policy(text: &str) -> Result<PolicyDoc, Vec<FieldMsg>> {
    yibao_core::read::policy_doc_from_json(text).map_err(|ps| {
        ps.0.into_iter()
            .map(|p| {
                let at = if p.path.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", p.path)
                };
                FieldMsg::new(
                    "policy",
                    format!("政策文件{at}:{}", p.message_zh),
                    format!("policy{at}: {}", p.message_en),
                )
            })
            .collect()
    })
}

/// Money amounts above this are treated as typing mistakes.
pub const MAX_AMOUNT: i64 = 100_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn t<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
    pub fn parse(s: &str) -> Lang {
        if s.to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }
    pub fn code(self) -> &'static str {
        self.t("zh-CN", "en")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Resident,
    Clerk,
}

impl Mode {
    pub fn parse(s: &str) -> Mode {
        if s.eq_ignore_ascii_case("clerk") {
            Mode::Clerk
        } else {
            Mode::Resident
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Mode::Resident => "resident",
            Mode::Clerk => "clerk",
        }
    }
}

/// One line of an itemised bill as typed (kept as text so a bad entry is shown, not lost).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ItemRow {
    pub name: String,
    /// `jia`, `yi`, `bing`, `special`.
    pub class: String,
    pub amount: String,
    pub limit: String,
}

/// Everything on the form, as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Form {
    pub policy: String,
    /// `YYYY-MM-DD`; empty: today (kept inside the policy's effective period).
    pub date: String,
    pub outpatient: bool,
    pub category: String,
    pub age: String,
    pub pregnant: bool,
    pub disability: bool,
    /// Chosen catalogue code.
    pub disease: String,
    /// Text in the disease search box.
    pub query: String,
    pub level: String,
    pub emergency: bool,
    pub slip: bool,
    pub slip_date: String,
    pub from_level: String,
    pub filing: bool,
    pub total: String,
    pub in_scope: String,
    /// The resident does not know what it will cost.
    pub unsure: bool,
    pub items: Vec<ItemRow>,
    pub ytd_admissions: String,
    pub ytd_hifp: String,
    /// Per layer id: (burden already counted, paid so far).
    pub ytd_layers: Table<String, (String, String)>,
}

impl Form {
    pub fn new(doc: &PolicyDoc) -> Form {
        let p = &doc.policy;
        // The county hospital (rank 2) is where most residents ask about; else the first level.
        let level = p
            .levels
            .iter()
            .find(|l| l.rank == 2)
            .or(p.levels.first())
            .map(|l| l.id.clone())
            .unwrap_or_default();
        Form {
            policy: p.meta.id.clone(),
            date: String::new(),
            outpatient: false,
            category: p
                .categories
                .first()
                .map(|c| c.id.clone())
                .unwrap_or_default(),
            age: String::new(),
            pregnant: false,
            disability: false,
            disease: String::new(),
            query: String::new(),
            level,
            emergency: false,
            slip: false,
            slip_date: String::new(),
            from_level: String::new(),
            filing: false,
            total: String::new(),
            in_scope: String::new(),
            unsure: false,
            items: vec![],
            ytd_admissions: String::new(),
            ytd_hifp: String::new(),
            ytd_layers: Table::new(),
        }
    }
}

/// A message about one field, in both languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldMsg {
    /// Form field (`total`, `disease`, `items.2.amount` …) or engine path.
    pub field: String,
    pub zh: String,
    pub en: String,
}

impl FieldMsg {
    pub fn new(field: &str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        FieldMsg {
            field: field.into(),
            zh: zh.into(),
            en: en.into(),
        }
    }
}

/// Parse a money amount typed by a person: `52000`, `52,000`, `5.2万`, full-width digits.
pub fn parse_money(
    field: &str,
    label_zh: &str,
    label_en: &str,
    s: &str,
) -> Result<Money, FieldMsg> {
    let mut t: String = s
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' | '。' => '.',
            '，' => ',',
            '－' | '—' | '−' => '-',
            _ => c,
        })
        .collect();
    t = t.trim_end_matches('元').trim().to_string();
    let wan = t.ends_with('万');
    if wan {
        t.pop();
    }
    let bad = || {
        FieldMsg::new(
            field,
            format!("{label_zh}:请输入数字金额(例如 52000)"),
            format!("{label_en}: enter an amount in yuan (e.g. 52000)"),
        )
    };
    let mut m = Money::parse(t.trim()).map_err(|_| bad())?;
    if wan {
        m = Money(m.0 * Money::parse("10000").unwrap_or_default().0);
    }
    if m.0.is_sign_negative() && !m.0.is_zero() {
        return Err(FieldMsg::new(
            field,
            format!("{label_zh}不能为负数"),
            format!("{label_en} cannot be negative"),
        ));
    }
    if m > Money::parse(&MAX_AMOUNT.to_string()).unwrap_or_default() {
        return Err(FieldMsg::new(
            field,
            format!("{label_zh}过大,请检查是否多输了零"),
            format!("{label_en} is too large; check for extra zeros"),
        ));
    }
    Ok(m)
}

fn opt_money(field: &str, zh: &str, en: &str, s: &str, errs: &mut Vec<FieldMsg>) -> Option<Money> {
    if s.trim().is_empty() {
        return None;
    }
    match parse_money(field, zh, en, s) {
        Ok(m) => Some(m),
        Err(e) => {
            errs.push(e);
            None
        }
    }
}

fn opt_u32(
    field: &str,
    zh: &str,
    en: &str,
    s: &str,
    max: u32,
    errs: &mut Vec<FieldMsg>,
) -> Option<u32> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    match t.parse::<i64>() {
        Ok(v) if v < 0 => {
            errs.push(FieldMsg::new(
                field,
                format!("{zh}不能为负数"),
                format!("{en} cannot be negative"),
            ));
            None
        }
        Ok(v) if v > max as i64 => {
            errs.push(FieldMsg::new(
                field,
                format!("{zh}应在 0–{max} 之间"),
                format!("{en} must be between 0 and {max}"),
            ));
            None
        }
        Ok(v) => Some(v as u32),
        Err(_) => {
            errs.push(FieldMsg::new(
                field,
                format!("{zh}:请输入整数"),
                format!("{en}: enter a whole number"),
            ));
            None
        }
    }
}

pub fn item_class(s: &str) -> Option<ItemClass> {
    let t = s.trim().to_ascii_lowercase();
    Some(match t.as_str() {
        "jia" | "甲" | "甲类" | "a" => ItemClass::Jia,
        "yi" | "乙" | "乙类" | "b" => ItemClass::Yi,
        "bing" | "丙" | "丙类" | "自费" | "全自费" | "目录外" | "c" => ItemClass::Bing,
        "special" | "特" | "特殊" | "特殊项目" | "高值耗材" | "s" => ItemClass::Special,
        _ => return None,
    })
}

pub fn class_code(c: ItemClass) -> &'static str {
    match c {
        ItemClass::Jia => "jia",
        ItemClass::Yi => "yi",
        ItemClass::Bing => "bing",
        ItemClass::Special => "special",
    }
}

/// The disease code the form means, or a message when the text matches nothing.
pub fn resolve_disease(doc: &PolicyDoc, form: &Form) -> Result<Option<String>, FieldMsg> {
    if !form.disease.is_empty() {
        return Ok(Some(form.disease.clone()));
    }
    let q = form.query.trim();
    if q.is_empty() {
        return Ok(None);
    }
    let p = &doc.policy;
    if yibao_core::estimate::looks_like_icd10(q)
        && (p.catalogue.is_none() || p.disease(q).is_some())
    {
        return Ok(Some(q.to_ascii_uppercase()));
    }
    if let Some(cat) = &p.catalogue {
        if let Some(d) = cat
            .diseases
            .iter()
            .find(|d| d.name_zh == q || d.name_en.eq_ignore_ascii_case(q))
        {
            return Ok(Some(d.code.clone()));
        }
    }
    Err(FieldMsg::new(
        "disease",
        format!("病种目录中没有“{q}”:请从下拉列表中选择,或清空此项按一般住院估算"),
        format!("\"{q}\" is not in the disease catalogue: pick one from the list, or clear it to estimate a general stay"),
    ))
}

/// The evaluation date: the form's, or today kept inside the policy's effective period.
/// The flag says today was moved (the page then says which date it used).
pub fn eval_date(doc: &PolicyDoc, form: &Form, today: Date) -> Result<(Date, bool), FieldMsg> {
    if !form.date.trim().is_empty() {
        return Date::parse(&form.date).map(|d| (d, false)).map_err(|_| {
            FieldMsg::new("date", "日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD")
        });
    }
    let m = &doc.policy.meta;
    if today < m.effective_from {
        Ok((m.effective_from, true))
    } else if today > m.effective_to {
        Ok((m.effective_to, true))
    } else {
        Ok((today, false))
    }
}

/// Turn the form into an engine case. `total_override` replaces the cost (the resident's
/// "not sure" table). Every problem is returned at once, each tied to its field.
pub fn build_case(
    doc: &PolicyDoc,
    form: &Form,
    date: Date,
    total_override: Option<Money>,
) -> Result<Case, Vec<FieldMsg>> {
    let mut errs = vec![];
    let age = opt_u32("age", "年龄", "Age", &form.age, 130, &mut errs);
    let disease = resolve_disease(doc, form)
        .map_err(|e| errs.push(e))
        .ok()
        .flatten();
    let mut bill = Bill::default();
    if let Some(t) = total_override {
        bill.total = Some(t);
    } else if !form.items.is_empty() {
        for (i, it) in form.items.iter().enumerate() {
            let f = |k: &str| format!("items.{i}.{k}");
            let n = i + 1;
            let class = item_class(&it.class);
            if class.is_none() {
                errs.push(FieldMsg::new(
                    &f("class"),
                    format!("第 {n} 行:类别应为 甲/乙/丙/特殊"),
                    format!("line {n}: class must be jia/yi/bing/special"),
                ));
            }
            let amount = match parse_money(
                &f("amount"),
                &format!("第 {n} 行金额"),
                &format!("line {n} amount"),
                &it.amount,
            ) {
                Ok(m) => Some(m),
                Err(e) => {
                    errs.push(e);
                    None
                }
            };
            let limit = opt_money(
                &f("limit"),
                &format!("第 {n} 行限价"),
                &format!("line {n} price cap"),
                &it.limit,
                &mut errs,
            );
            if let (Some(class), Some(amount)) = (class, amount) {
                bill.items.push(Item {
                    name: if it.name.trim().is_empty() {
                        format!("#{n}")
                    } else {
                        it.name.trim().to_string()
                    },
                    class,
                    amount,
                    limit,
                });
            }
        }
    } else {
        let total = opt_money("total", "医疗费总额", "Total cost", &form.total, &mut errs);
        let in_scope = opt_money(
            "in_scope",
            "政策范围内费用",
            "In-scope cost",
            &form.in_scope,
            &mut errs,
        );
        match total {
            None if !errs.iter().any(|e| e.field == "total") => errs.push(FieldMsg::new(
                "total",
                "请填写预计医疗费总额",
                "enter the expected total cost",
            )),
            Some(t) if t.is_zero() => errs.push(FieldMsg::new(
                "total",
                "医疗费总额应大于 0",
                "the total cost must be above 0",
            )),
            _ => {}
        }
        if let (Some(t), Some(s)) = (total, in_scope) {
            if s > t {
                errs.push(FieldMsg::new(
                    "in_scope",
                    "政策范围内费用不能超过医疗费总额",
                    "the in-scope cost cannot exceed the total",
                ));
            }
        }
        bill.total = total;
        bill.in_scope = in_scope;
    }
    let mut ytd = Ytd {
        admissions: opt_u32(
            "ytd_admissions",
            "本年已住院次数",
            "Admissions this year",
            &form.ytd_admissions,
            366,
            &mut errs,
        )
        .unwrap_or(0),
        hifp_pay: opt_money(
            "ytd_hifp",
            "本年基本医保已支付",
            "Basic fund paid this year",
            &form.ytd_hifp,
            &mut errs,
        )
        .unwrap_or_default(),
        ..Ytd::default()
    };
    for (id, (base, paid)) in &form.ytd_layers {
        let base = opt_money(
            &format!("ytd_layers.{id}.base"),
            "本年已累计个人负担",
            "Burden counted this year",
            base,
            &mut errs,
        );
        let paid = opt_money(
            &format!("ytd_layers.{id}.paid"),
            "本年已支付",
            "Paid this year",
            paid,
            &mut errs,
        );
        if base.is_some() || paid.is_some() {
            ytd.layers.insert(
                id.clone(),
                LayerYtd {
                    base: base.unwrap_or_default(),
                    paid: paid.unwrap_or_default(),
                },
            );
        }
    }
    let slip_date = if form.slip_date.trim().is_empty() {
        None
    } else {
        Date::parse(&form.slip_date)
            .map_err(|_| {
                errs.push(FieldMsg::new(
                    "slip_date",
                    "转诊单日期格式应为 YYYY-MM-DD",
                    "slip date must be YYYY-MM-DD",
                ))
            })
            .ok()
    };
    if !errs.is_empty() {
        return Err(errs);
    }
    let _ = doc;
    Ok(Case {
        date: Some(date),
        setting: if form.outpatient {
            Setting::Outpatient
        } else {
            Setting::Inpatient
        },
        level: form.level.clone(),
        patient: Patient {
            category: form.category.clone(),
            age,
            pregnant: form.pregnant,
            severe_disability: form.disability,
        },
        disease,
        emergency: form.emergency,
        referral: ReferralFacts {
            from_level: (!form.from_level.is_empty()).then(|| form.from_level.clone()),
            slip: form.slip,
            slip_date,
            filing: form.filing,
        },
        bill,
        ytd,
        ..Case::default()
    })
}

/// Parse rows pasted from a spreadsheet: `name<TAB>class<TAB>amount[<TAB>price cap]`, or
/// `name<TAB>amount` (甲类). A header row is skipped. Returns the rows, or the first bad line.
pub fn parse_pasted(text: &str) -> Result<Vec<ItemRow>, FieldMsg> {
    let mut rows = vec![];
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = if line.contains('\t') {
            line.split('\t').map(str::trim).collect()
        } else {
            line.split([',', ',']).map(str::trim).collect()
        };
        let row = match cells.as_slice() {
            [name, amount] => ItemRow {
                name: name.to_string(),
                class: "jia".into(),
                amount: amount.to_string(),
                limit: String::new(),
            },
            [name, class, amount, rest @ ..] => ItemRow {
                name: name.to_string(),
                class: item_class(class)
                    .map(class_code)
                    .unwrap_or(class)
                    .to_string(),
                amount: amount.to_string(),
                limit: rest.first().map(|s| s.to_string()).unwrap_or_default(),
            },
            _ => {
                return Err(FieldMsg::new(
                    "paste",
                    format!("第 {n} 行:应为“名称 类别 金额 [限价]”,用制表符分隔"),
                    format!("line {n}: expected name, class, amount [, price cap], tab-separated"),
                ))
            }
        };
        // A first line whose amount is not a number is a header.
        if rows.is_empty()
            && i == first_nonempty(text)
            && parse_money("", "", "", &row.amount).is_err()
        {
            continue;
        }
        rows.push(row);
    }
    if rows.is_empty() {
        return Err(FieldMsg::new(
            "paste",
            "没有读到费用明细",
            "no line items found",
        ));
    }
    Ok(rows)
}

fn first_nonempty(text: &str) -> usize {
    text.lines().position(|l| !l.trim().is_empty()).unwrap_or(0)
}

// ---- URL fragment ---------------------------------------------------------------------

fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn dec(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(if b[i] == b'+' { b' ' } else { b[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The form (and mode, language) as a URL fragment, short keys, empty fields left out.
pub fn to_fragment(form: &Form, mode: Mode, lang: Lang) -> String {
    let mut kv: Vec<(String, String)> =
        vec![("v".into(), "1".into()), ("m".into(), mode.code().into())];
    if lang == Lang::En {
        kv.push(("lang".into(), "en".into()));
    }
    let mut s = |k: &str, v: &str| {
        if !v.is_empty() {
            kv.push((k.into(), v.into()));
        }
    };
    let b = |x: bool| if x { "1" } else { "" };
    s("p", &form.policy);
    s("dt", &form.date);
    s("op", b(form.outpatient));
    s("c", &form.category);
    s("a", &form.age);
    s("pg", b(form.pregnant));
    s("sd", b(form.disability));
    s("d", &form.disease);
    if form.disease.is_empty() {
        s("q", &form.query);
    }
    s("l", &form.level);
    s("em", b(form.emergency));
    s("sl", b(form.slip));
    s("sldt", &form.slip_date);
    s("fr", &form.from_level);
    s("fi", b(form.filing));
    s("t", &form.total);
    s("is", &form.in_scope);
    s("u", b(form.unsure));
    s("ya", &form.ytd_admissions);
    s("yh", &form.ytd_hifp);
    for (id, (base, paid)) in &form.ytd_layers {
        s(&format!("yb.{id}"), base);
        s(&format!("yp.{id}"), paid);
    }
    for it in &form.items {
        // Fields joined by `~`, each percent-encoded (so `~` inside a name survives).
        let row = [&it.name, &it.class, &it.amount, &it.limit]
            .iter()
            .map(|x| enc(x).replace('~', "%7E"))
            .collect::<Vec<_>>()
            .join("~");
        kv.push(("i".into(), row));
    }
    kv.iter()
        .map(|(k, v)| {
            if k == "i" {
                format!("i={}", enc(v))
            } else {
                format!("{}={}", enc(k), enc(v))
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Restore (form, mode, lang) from a fragment made by [`to_fragment`]; `None` when it is not ours.
pub fn from_fragment(frag: &str) -> Option<(Form, Mode, Lang)> {
    let frag = frag.trim_start_matches('#');
    let pairs: Vec<(String, String)> = frag
        .split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (dec(k), v.to_string()))
        .collect();
    if !pairs.iter().any(|(k, v)| k == "v" && v == "1") {
        return None;
    }
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(kk, _)| kk == k)
            .map(|(_, v)| dec(v))
            .unwrap_or_default()
    };
    let policy = get("p");
    let doc = load_policy(if policy.is_empty() {
        DEFAULT_POLICY
    } else {
        &policy
    })?;
    let mut f = Form::new(&doc);
    let flag = |k: &str| get(k) == "1";
    f.date = get("dt");
    f.outpatient = flag("op");
    let c = get("c");
    if !c.is_empty() {
        f.category = c;
    }
    f.age = get("a");
    f.pregnant = flag("pg");
    f.disability = flag("sd");
    f.disease = get("d");
    f.query = get("q");
    if !f.disease.is_empty() {
        f.query = doc
            .policy
            .disease(&f.disease)
            .map(|d| d.name_zh.clone())
            .unwrap_or_else(|| f.disease.clone());
    }
    let l = get("l");
    if !l.is_empty() {
        f.level = l;
    }
    f.emergency = flag("em");
    f.slip = flag("sl");
    f.slip_date = get("sldt");
    f.from_level = get("fr");
    f.filing = flag("fi");
    f.total = get("t");
    f.in_scope = get("is");
    f.unsure = flag("u");
    f.ytd_admissions = get("ya");
    f.ytd_hifp = get("yh");
    for (k, v) in &pairs {
        if let Some(id) = k.strip_prefix("yb.") {
            f.ytd_layers.get_or_default(id.to_string()).0 = dec(v);
        } else if let Some(id) = k.strip_prefix("yp.") {
            f.ytd_layers.get_or_default(id.to_string()).1 = dec(v);
        } else if k == "i" {
            let row = dec(v);
            let cells: Vec<String> = row.split('~').map(dec).collect();
            let cell = |i: usize| cells.get(i).cloned().unwrap_or_default();
            f.items.push(ItemRow {
                name: cell(0),
                class: cell(1),
                amount: cell(2),
                limit: cell(3),
            });
        }
    }
    Some((f, Mode::parse(&get("m")), Lang::parse(&get("lang"))))
}

/// "52,000" / "5,625.20": thousands separated, two decimals unless whole yuan and `whole`.
pub fn yuan(m: Money, whole: bool) -> String {
    let s = if whole {
        format!("{:.0}", m.0.round_dp(0))
    } else {
        m.yuan()
    };
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s.clone(), None),
    };
    let neg = int.starts_with('-');
    let digits = int.trim_start_matches('-');
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    let mut r = if neg { format!("-{out}") } else { out };
    if let Some(f) = frac {
        r.push('.');
        r.push_str(&f);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yubei() -> (PolicyDoc, Form) {
        let doc = load_policy("chongqing-yubei/resident-2023").unwrap();
        let mut f = Form::new(&doc);
        f.level = "level2".into();
        f.category = "dibao_edge".into();
        f.total = "52,000".into();
        f.in_scope = "50000".into();
        (doc, f)
    }

    #[test]
    fn every_shipped_policy_loads_from_its_json() {
        assert!(policy_ids().count() >= 2);
        assert_eq!(policy_ids().next(), Some(DEFAULT_POLICY));
        for (id, json) in POLICIES {
            let doc = load_policy(id).unwrap();
            // The serde-free reader gives exactly what serde_json gives.
            let reference: PolicyDoc = serde_json::from_str(json).unwrap();
            assert_eq!(
                serde_json::to_string(&doc).unwrap(),
                serde_json::to_string(&reference).unwrap()
            );
            assert_eq!(doc.policy.meta.id, *id);
            assert_eq!(doc.sha256.len(), 64);
        }
    }

    #[test]
    fn host_policies_exported_or_bare() {
        let (_, json) = POLICIES[0];
        let doc = parse_host_policy(json).unwrap();
        let bare = serde_json::to_string(&doc.policy).unwrap();
        let back = parse_host_policy(&bare).unwrap();
        assert_eq!(back.policy.meta.id, doc.policy.meta.id);
        assert_eq!(back.sha256, yibao_core::read::sha256_hex(bare.as_bytes()));
        let bad = parse_host_policy(&bare.replacen("\"meta\"", "\"mета\"", 1)).unwrap_err();
        assert!(bad.iter().any(|m| m.en.contains("[mета]")), "{bad:?}");
        assert!(bad.iter().all(|m| m.field == "policy"));
        let bad = parse_host_policy("{ not json").unwrap_err();
        assert!(bad[0].en.starts_with("policy: invalid JSON"), "{bad:?}");
    }

    #[test]
    fn yubei_published_example_from_the_form() {
        let (doc, f) = yubei();
        let today = Date::parse("2026-11-23").unwrap();
        let (date, moved) = eval_date(&doc, &f, today).unwrap();
        assert!(moved);
        assert_eq!(date, Date::parse("2023-12-31").unwrap());
        let case = build_case(&doc, &f, date, None).unwrap();
        let e = yibao_core::estimate(&doc, &case, date).unwrap();
        assert_eq!(
            e.settlement.fund_pay_sumamt,
            Money::parse("46374.8").unwrap()
        );
        assert_eq!(e.settlement.psn_part_amt, Money::parse("5625.2").unwrap());
        assert_eq!(yuan(e.settlement.psn_part_amt, false), "5,625.20");
        assert_eq!(yuan(e.settlement.psn_part_amt, true), "5,625");
    }

    #[test]
    fn bad_amounts_are_messages_tied_to_their_field() {
        let (doc, mut f) = yubei();
        f.total = "-5".into();
        f.age = "abc".into();
        let date = Date::parse("2023-06-01").unwrap();
        let errs = build_case(&doc, &f, date, None).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["age", "total"]);
        assert!(errs[1].zh.contains("负数") && errs[1].en.contains("negative"));
        f.age.clear();
        f.total = "1e999".into();
        assert!(build_case(&doc, &f, date, None).is_err());
        f.total = "5.2万".into();
        f.in_scope.clear();
        let c = build_case(&doc, &f, date, None).unwrap();
        assert_eq!(c.bill.total, Some(Money::parse("52000").unwrap()));
    }

    #[test]
    fn unknown_disease_is_a_message() {
        let doc = load_policy(DEFAULT_POLICY).unwrap();
        let mut f = Form::new(&doc);
        f.total = "8000".into();
        f.query = "不存在的病".into();
        let d = Date::parse("2025-01-01").unwrap();
        let errs = build_case(&doc, &f, d, None).unwrap_err();
        assert_eq!(errs[0].field, "disease");
        f.query = "肺炎".into();
        assert_eq!(
            build_case(&doc, &f, d, None).unwrap().disease.as_deref(),
            Some("J18")
        );
        f.query = "j18.9".into();
        assert_eq!(
            build_case(&doc, &f, d, None).unwrap().disease.as_deref(),
            Some("J18.9")
        );
    }

    #[test]
    fn fragment_round_trips() {
        let (_, mut f) = yubei();
        f.query = "肺炎 & 其他".into();
        f.items = vec![ItemRow {
            name: "头孢~曲松 & x=1".into(),
            class: "yi".into(),
            amount: "120.5".into(),
            limit: "".into(),
        }];
        f.ytd_layers
            .insert("critical_illness".into(), ("1000".into(), "".into()));
        let frag = to_fragment(&f, Mode::Clerk, Lang::En);
        assert!(frag.is_ascii());
        let (g, m, l) = from_fragment(&format!("#{frag}")).unwrap();
        assert_eq!((m, l), (Mode::Clerk, Lang::En));
        assert_eq!(g, f);
        assert!(from_fragment("#top").is_none());
    }

    #[test]
    fn pasted_rows_from_a_spreadsheet() {
        let text = "项目\t类别\t金额\t限价\n头孢曲松\t乙类\t1,200\t\n心脏支架\t特殊\t30000\t25000\n挂号\t5\n";
        let rows = parse_pasted(text).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].class, "yi");
        assert_eq!(rows[1].limit, "25000");
        assert_eq!(rows[2].class, "jia");
        assert!(parse_pasted("\n\n").is_err());
        assert!(parse_pasted("a\tb\tc\nx").is_err());
    }
}
