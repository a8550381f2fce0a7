//! Line items pasted from a spreadsheet.

use super::{class_code, item_class, parse_money, FieldMsg, ItemRow};

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

#[cfg(test)]
mod tests {
    use super::*;

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
