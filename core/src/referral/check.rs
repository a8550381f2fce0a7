//! The checks of a pathway request before it is assessed — the same for every front end (the
//! CLI's `yibao refer`, the package's `checkPathway`): the levels are the policy's, and the
//! disease, as typed (an ICD-10 code, a 国临版 code, a Chinese name, pinyin), resolves to a
//! code through the county catalogue and, when given, the national list.

use crate::case::Case;
use crate::diagnosis::{self, National};
use crate::error::{Code, Problem, Problems};
use crate::estimate::looks_like_icd10;
use crate::policy::Policy;

/// The diagnosis code a typed disease stands for: an ICD-10 code as it is (a 国临版 code the
/// national list maps: its 医保版 code), else the best match of a name or pinyin in the county
/// catalogue and the national list; `unknown_disease` at `path` when nothing matches.
pub fn disease(
    p: &Policy,
    national: Option<&National>,
    typed: &str,
    path: &str,
) -> Result<String, Problem> {
    if looks_like_icd10(typed) {
        let mapped = national.and_then(|n| n.resolve_code(typed));
        return Ok(mapped.map_or_else(|| typed.to_string(), |c| c.0.to_string()));
    }
    match diagnosis::resolve(p, national, typed) {
        Some(hit) => Ok(hit.code),
        None => Err(Problem::new(
            Code::UnknownDisease,
            path,
            format!("病种目录和全国医保疾病诊断目录中都找不到 \"{typed}\""),
            format!("no diagnosis matches \"{typed}\" in the catalogue or the national list"),
        )),
    }
}

/// Check a pathway request and resolve its disease in place: every problem at once (a level the
/// policy does not have, at `level` or `referral.from_level`; a patient category it does not
/// have, at `patient.category`; a disease nothing matches, at `disease`).
pub fn check(p: &Policy, national: Option<&National>, case: &mut Case) -> Result<(), Problems> {
    let mut ps = vec![];
    let levels = [
        ("level", Some(&case.level)),
        ("referral.from_level", case.referral.from_level.as_ref()),
    ];
    ps.extend(
        levels
            .into_iter()
            .filter_map(|(path, id)| p.level_or_problem(id?, path).err())
            .flat_map(|e| e.0),
    );
    if let Err(e) = p.category_or_problem(&case.patient.category, "patient.category") {
        ps.extend(e.0);
    }
    if let Some(typed) = &case.disease {
        match disease(p, national, typed, "disease") {
            Ok(code) => case.disease = Some(code),
            Err(e) => ps.push(e),
        }
    }
    if ps.is_empty() {
        Ok(())
    } else {
        Err(Problems(ps))
    }
}
