//! What a clerk or resident tells the engine about one visit, and the year so far.

use crate::date::Date;
use crate::money::Money;
use crate::policy::ItemClass;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Setting {
    #[default]
    Inpatient,
    Outpatient,
}

impl Setting {
    /// The name files and reports use (the serde name).
    pub fn as_str(self) -> &'static str {
        match self {
            Setting::Inpatient => "inpatient",
            Setting::Outpatient => "outpatient",
        }
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct Case {
    /// The date the rules are evaluated at (admission date). Callers fill in today when absent.
    #[serde(default)]
    pub date: Option<Date>,
    #[serde(default)]
    pub setting: Setting,
    /// Facility level id from the policy (`township`, `county` …).
    pub level: String,
    #[serde(default)]
    pub patient: Patient,
    /// ICD-10 diagnosis code.
    #[serde(default)]
    pub disease: Option<String>,
    /// A fixed-amount route (单病种, 分娩 …) or outpatient route chosen by id.
    #[serde(default)]
    pub route: Option<String>,
    /// Units for per-unit routes (eyes for 白内障).
    #[serde(default)]
    pub units: Option<u32>,
    /// 意外伤害 without a liable third party.
    #[serde(default)]
    pub accident: bool,
    /// 急危重症.
    #[serde(default)]
    pub emergency: bool,
    #[serde(default)]
    pub referral: ReferralFacts,
    pub bill: Bill,
    #[serde(default)]
    pub ytd: Ytd,
    /// Amounts already settled elsewhere (e.g. the basic fund's slip), used instead of computing them.
    #[serde(default)]
    pub known: Known,
    /// 长处方 length in weeks (outpatient).
    #[serde(default)]
    pub prescription_weeks: Option<u32>,
    /// Personal account balances (employee scheme), when the patient pays from them.
    #[serde(default)]
    pub account: Option<AccountFacts>,
    /// Opt-in layers (惠民保 …) the patient holds, by layer id.
    #[serde(default)]
    pub supplements: Vec<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct AccountFacts {
    /// The patient's own 个人账户 balance.
    pub balance: Money,
    /// A family member's balance available through 家庭共济.
    #[serde(default)]
    pub family_balance: Money,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct Patient {
    #[serde(default = "general")]
    pub category: String,
    #[serde(default)]
    pub age: Option<u32>,
    #[serde(default)]
    pub pregnant: bool,
    #[serde(default)]
    pub severe_disability: bool,
    /// Full years of continuous enrolment up to this year (连续参保年限).
    #[serde(default)]
    pub continuous_years: Option<u32>,
    /// Years in a row with no reimbursement from the fund (零报销年数).
    #[serde(default)]
    pub claim_free_years: Option<u32>,
}

fn general() -> String {
    "general".into()
}

impl Default for Patient {
    fn default() -> Self {
        Patient {
            category: general(),
            age: None,
            pregnant: false,
            severe_disability: false,
            continuous_years: None,
            claim_free_years: None,
        }
    }
}

/// Paperwork and transfer history of this episode.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct ReferralFacts {
    /// Level the patient was transferred from in this episode (上转 or 下转).
    #[serde(default)]
    pub from_level: Option<String>,
    /// Holds a 转诊单.
    #[serde(default)]
    pub slip: bool,
    /// Date the 转诊单 was issued (for its validity period).
    #[serde(default)]
    pub slip_date: Option<Date>,
    /// Holds an 异地就医备案.
    #[serde(default)]
    pub filing: bool,
    /// Which kind of 备案, for policies whose out-of-area terms depend on it.
    #[serde(default)]
    pub filing_kind: Option<crate::policy::FilingKind>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct Bill {
    /// Total of the bill when items are not known.
    #[serde(default)]
    pub total: Option<Money>,
    /// In-scope (政策范围内) part of `total`, when known.
    #[serde(default)]
    pub in_scope: Option<Money>,
    #[serde(default)]
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct Item {
    pub name: String,
    pub class: ItemClass,
    pub amount: Money,
    /// Highest amount the catalogue allows for this item (最高限价); the excess is 超限价自付.
    #[serde(default)]
    pub limit: Option<Money>,
}

/// Year-to-date totals before this visit; the estimate returns them updated.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct Ytd {
    #[serde(default)]
    pub admissions: u32,
    /// Basic fund paid this year (against the annual cap).
    #[serde(default)]
    pub hifp_pay: Money,
    /// Basic fund paid this year for 意外伤害 (against its sub-cap).
    #[serde(default)]
    pub accident_fund: Money,
    /// Inpatient 起付线 paid this year (for one deductible a year).
    #[serde(default)]
    pub deductible_paid: Money,
    /// Per layer id: the burden counted toward its threshold and what it paid.
    #[serde(default)]
    pub layers: BTreeMap<String, LayerYtd>,
    /// Per outpatient route id.
    #[serde(default)]
    pub outpatient: BTreeMap<String, RouteYtd>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct LayerYtd {
    #[serde(default)]
    pub base: Money,
    #[serde(default)]
    pub paid: Money,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct RouteYtd {
    #[serde(default)]
    pub paid: Money,
    #[serde(default)]
    pub deductible_used: Money,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct Known {
    /// The basic fund's payment from a settlement slip.
    #[serde(default)]
    pub hifp_pay: Option<Money>,
    /// 大病保险's payment, used instead of computing the layers paid into it.
    #[serde(default)]
    pub hifmi_pay: Option<Money>,
    /// 职工大额补助's payment.
    #[serde(default)]
    pub hifob_pay: Option<Money>,
    /// 医疗救助's payment.
    #[serde(default)]
    pub maf_pay: Option<Money>,
    /// 其他支付.
    #[serde(default)]
    pub oth_pay: Option<Money>,
}

impl Known {
    /// The known payment of the layers reported under `into`, if the slip gave it.
    pub fn of(&self, into: crate::policy::PaysInto) -> Option<Money> {
        use crate::policy::PaysInto::*;
        match into {
            HifmiPay => self.hifmi_pay,
            HifobPay => self.hifob_pay,
            MafPay => self.maf_pay,
            OthPay => self.oth_pay,
            CommercialPay | CvlservPay | HifesPay | HifdmPay => None,
        }
    }
}
