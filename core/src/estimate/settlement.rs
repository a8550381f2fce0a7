//! The reported amounts under the national settlement interface's `setlinfo` keys (interfaces
//! 2206/2207 and 2303/2304 of 国家医疗保障信息平台), declared once: the [`Settlement`] struct,
//! its field list [`FIELDS`] (key, Chinese label as the interface means it, English label) and
//! [`Settlement::get`] are all made by one macro from the one list below.
//!
//! Every key is either `setlinfo`'s own, with the interface's meaning and type (amounts 18,2;
//! `pool_prop_selfpay` a ratio, 5,4), or the project's own, prefixed [`OWN_PREFIX`] (`yb_`): an
//! amount the interface has no key for. `tests/fixtures/setlinfo.tsv` holds the interface's
//! list; tests/tests/setlinfo.rs keeps the two equal.

use crate::money::{Money, Ratio};
use crate::policy::PaysInto;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The prefix of every settlement key that is not `setlinfo`'s.
pub const OWN_PREFIX: &str = "yb_";

/// One settlement field: its key, and its meaning in Chinese (the interface's wording for the
/// national keys) and in English.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    /// The decimals the slip writes: 2 for an amount (数值型 18,2), 4 for a ratio (5,4).
    pub places: u32,
}

impl Field {
    /// Whether the key is `setlinfo`'s (not one of the project's own `yb_` keys).
    pub fn national(&self) -> bool {
        !self.key.starts_with(OWN_PREFIX)
    }
    /// The field of a key.
    pub fn of(key: &str) -> Option<&'static Field> {
        FIELDS.iter().find(|f| f.key == key)
    }
}

/// One figure of a settlement: an amount (two decimals on the slip) or a ratio (four).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Figure {
    Amount(Money),
    Ratio(Ratio),
}

impl Figure {
    pub fn value(self) -> Decimal {
        match self {
            Figure::Amount(m) => m.0,
            Figure::Ratio(r) => r.0,
        }
    }
    /// The decimals the slip writes: 2 for an amount (to the fen), 4 for a ratio.
    pub fn places(self) -> u32 {
        match self {
            Figure::Amount(_) => 2,
            Figure::Ratio(_) => 4,
        }
    }
    /// As the slip writes it: "34790.00", "0.7000".
    pub fn slip(self) -> String {
        match self {
            Figure::Amount(m) => m.yuan(),
            Figure::Ratio(r) => r.to_string(),
        }
    }
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Figure::Amount(m) => m.fmt(f),
            Figure::Ratio(r) => r.fmt(f),
        }
    }
}

/// A field's value as a [`Figure`] (`None`: absent), and its decimals on the slip.
trait AsFigure {
    const PLACES: u32 = 2;
    fn figure(&self) -> Option<Figure>;
}
impl AsFigure for Money {
    fn figure(&self) -> Option<Figure> {
        Some(Figure::Amount(*self))
    }
}
impl AsFigure for Ratio {
    const PLACES: u32 = 4;
    fn figure(&self) -> Option<Figure> {
        Some(Figure::Ratio(*self))
    }
}
impl AsFigure for Option<Money> {
    fn figure(&self) -> Option<Figure> {
        self.map(Figure::Amount)
    }
}

macro_rules! settlement {
    ($( $(#[$attr:meta])* $key:ident : $ty:ty => $zh:literal, $en:literal; )*) => {
        /// The reported amounts, under the national settlement interface's `setlinfo` keys, in
        /// the interface's order; then the project's own (`yb_`).
        #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
        #[cfg_attr(
            feature = "ts",
            derive(tsify::Tsify),
            tsify(hashmap_as_object, missing_as_null)
        )]
        pub struct Settlement {
            $( $(#[$attr])* pub $key: $ty, )*
        }

        /// Every settlement field, in slip order, with its labels (for tables, the reconciling
        /// of a slip and tests).
        pub const FIELDS: &[Field] = &[
            $( Field {
                key: stringify!($key),
                zh: $zh,
                en: $en,
                places: <$ty as AsFigure>::PLACES,
            }, )*
        ];

        impl Settlement {
            /// The figure under `key`; `None` for a key that is not a settlement field (see
            /// [`Field::of`]) or a figure this estimate does not have (`balc`).
            pub fn get(&self, key: &str) -> Option<Figure> {
                match key {
                    $( stringify!($key) => self.$key.figure(), )*
                    _ => None,
                }
            }
        }
    };
}

settlement! {
    medfee_sumamt: Money => "医疗费总额", "total bill";
    fulamt_ownpay_amt: Money => "全自费金额", "fully self-paid (outside the catalogue)";
    overlmt_selfpay: Money => "超限价自费费用", "above the price cap";
    preselfpay_amt: Money => "先行自付金额", "paid first by the patient (先行自付)";
    inscp_scp_amt: Money => "符合政策范围金额", "within policy scope";
    act_pay_dedc: Money => "实际支付起付线", "deductible paid";
    hifp_pay: Money => "基本医疗保险统筹基金支出", "basic medical insurance pooled fund";
    /// 基本医疗保险统筹基金支付比例: the basic fund's ratio as applied, a ratio (5,4), not an
    /// amount: `hifp_pay ÷ (inscp_scp_amt − act_pay_dedc − hosp_part_amt)` on the reported
    /// amounts, at most 1, to four decimals (四舍五入); 0 when nothing above the deductible
    /// entered the fund. (Equivalently `hifp_pay ÷ (hifp_pay + yb_pool_selfpay_amt)`.)
    pool_prop_selfpay: Ratio => "基本医疗保险统筹基金支付比例", "basic fund's payment ratio";
    cvlserv_pay: Money => "公务员医疗补助资金支出", "civil servants' medical subsidy";
    hifes_pay: Money => "企业补充医疗保险基金支出", "enterprise supplementary medical insurance";
    hifmi_pay: Money => "居民大病保险资金支出", "residents' critical-illness insurance";
    hifob_pay: Money => "职工大额医疗费用补助基金支出", "employees' large-expense subsidy";
    hifdm_pay: Money => "伤残人员医疗保障基金支出", "disabled persons' medical security fund";
    maf_pay: Money => "医疗救助基金支出", "medical assistance";
    oth_pay: Money => "其他支出", "other payments";
    fund_pay_sumamt: Money => "基金支付总额", "funds' total";
    psn_part_amt: Money => "个人负担总金额", "patient's share";
    /// 个人账户支出: the personal account's part of `psn_part_amt`.
    acct_pay: Money => "个人账户支出", "personal account";
    /// 个人现金支出: what is left of `psn_part_amt` for the patient to pay in cash.
    psn_cash_pay: Money => "个人现金支出", "paid in cash";
    hosp_part_amt: Money => "医院负担金额", "borne by the hospital";
    /// 个人账户共济支付金额: a family member's account (家庭共济).
    acct_mulaid_pay: Money => "个人账户共济支付金额", "family member's account (家庭共济)";
    /// 本次结算后账户余额: the personal account's balance after this settlement, only when the
    /// case states the balance (`account.balance`); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    balc: Option<Money> => "本次结算后账户余额", "account balance after this settlement";
    /// The project's own: 统筹内个人自付, the in-scope part neither the deductible, the basic
    /// fund nor the hospital covers (`inscp_scp_amt − act_pay_dedc − hifp_pay −
    /// hosp_part_amt`, never below 0); `setlinfo` has no key for this amount.
    yb_pool_selfpay_amt: Money => "统筹内个人自付(本项目)", "patient's share within the pooled part (yibao's)";
    /// The project's own: 惠民保 and other commercial supplements, claimed after settlement,
    /// not part of the slip's funds; the patient's final cost is `psn_part_amt` −
    /// `yb_commercial_pay`.
    yb_commercial_pay: Money => "惠民保等商业补充(本项目)", "commercial supplements such as 惠民保 (yibao's)";
}

impl Settlement {
    /// What a layer's payer was reported under (`hifmi_pay` …): a match, not a lookup by name,
    /// as the year-to-date update runs on every estimate.
    pub fn paid_into(&self, into: PaysInto) -> Money {
        match into {
            PaysInto::CvlservPay => self.cvlserv_pay,
            PaysInto::HifesPay => self.hifes_pay,
            PaysInto::HifmiPay => self.hifmi_pay,
            PaysInto::HifobPay => self.hifob_pay,
            PaysInto::HifdmPay => self.hifdm_pay,
            PaysInto::MafPay => self.maf_pay,
            PaysInto::OthPay => self.oth_pay,
            PaysInto::CommercialPay => self.yb_commercial_pay,
        }
    }

    /// The field a payer is reported under, to write.
    pub(crate) fn paid_into_mut(&mut self, into: PaysInto) -> &mut Money {
        match into {
            PaysInto::CvlservPay => &mut self.cvlserv_pay,
            PaysInto::HifesPay => &mut self.hifes_pay,
            PaysInto::HifmiPay => &mut self.hifmi_pay,
            PaysInto::HifobPay => &mut self.hifob_pay,
            PaysInto::HifdmPay => &mut self.hifdm_pay,
            PaysInto::MafPay => &mut self.maf_pay,
            PaysInto::OthPay => &mut self.oth_pay,
            PaysInto::CommercialPay => &mut self.yb_commercial_pay,
        }
    }

    /// The basic fund's figures that follow from the reported amounts (both the general and the
    /// compiled path call this): `yb_pool_selfpay_amt` and the ratio `pool_prop_selfpay`.
    pub(crate) fn pool(&mut self) {
        self.yb_pool_selfpay_amt = self
            .inscp_scp_amt
            .sat_sub(self.act_pay_dedc + self.hifp_pay + self.hosp_part_amt);
        self.pool_prop_selfpay = Ratio::of(self.hifp_pay, self.hifp_pay + self.yb_pool_selfpay_amt);
    }
}
