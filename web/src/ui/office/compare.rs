//! What changes for people: the draft against another policy on the grid of typical patients
//! (a heat map of the change and the table of what each pays before and after), and every
//! parameter that differs with both citations.

use super::state::{Action, Office};
use crate::model::office::compare::{diff, grid, shade, COSTS};
use crate::model::office::draft::Draft;
use crate::model::office::schema;
use crate::model::POLICIES;
use yew::prelude::*;
use yibao_core::Money;

fn money(m: Option<Money>) -> String {
    m.map_or_else(|| "—".to_string(), |m| m.grouped_whole())
}

fn delta(b: Option<Money>, a: Option<Money>) -> String {
    match (b, a) {
        (Some(b), Some(a)) if a > b => format!("+{}", (a - b).grouped_whole()),
        (Some(b), Some(a)) if a < b => format!("−{}", (b - a).grouped_whole()),
        (Some(_), Some(_)) => "0".into(),
        _ => "—".into(),
    }
}

pub fn view(state: &Office, dispatch: &Callback<Action>) -> Html {
    let other_id = state
        .draft
        .compare_with
        .clone()
        .unwrap_or_else(|| crate::model::DEFAULT_POLICY.to_string());
    let d = dispatch.clone();
    let picker = html! {
        <div class="yo-field yo-compare-pick">
            <label for="yo-compare-with">{"与此政策对比(如去年的政策)"}<span class="yo-en" lang="en">{"compare with (last year's policy …)"}</span></label>
            <select id="yo-compare-with" onchange={Callback::from(move |e: Event| d.emit(Action::CompareWith(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value())))}>
                {for POLICIES.iter().map(|p| html! { <option value={p.id} selected={p.id == other_id}>{format!("{} · {} ({})", p.region_zh, p.name_zh, p.id)}</option> })}
            </select>
        </div>
    };
    let Ok(after) = &state.checked else {
        return html! { <div>{picker}<p class="yo-bad">{"草稿有问题,先修正再对比"}<span class="yo-en" lang="en">{"fix the draft's problems first"}</span></p></div> };
    };
    let Some(before_draft) = Draft::shipped(&other_id) else {
        return html! { <div>{picker}</div> };
    };
    let Ok(before) = before_draft.check() else {
        return html! { <div>{picker}</div> };
    };
    let rows = grid(&before, after);
    let changed = rows
        .iter()
        .flat_map(|r| r.cells.iter())
        .filter(|(b, a)| b != a)
        .count();
    let head = html! {
        <tr>
            <th scope="col">{"级别"}<span class="yo-en" lang="en">{"level"}</span></th>
            <th scope="col">{"人员类别"}<span class="yo-en" lang="en">{"category"}</span></th>
            {for COSTS.iter().map(|c| html! { <th scope="col" class="yo-num">{format!("{} 元", Money::parse(&c.to_string()).unwrap_or(Money::ZERO).grouped_whole())}</th> })}
        </tr>
    };
    let heat = rows.iter().map(|r| html! {
        <tr data-level={r.level.clone()} data-category={r.category.clone()}>
            <th scope="row">{r.level_zh.clone()}</th>
            <th scope="row">{r.category_zh.clone()}</th>
            {for r.cells.iter().zip(COSTS).map(|((b, a), c)| html! {
                <td class={classes!("yo-heat", format!("yo-{}", shade(*b, *a)))} data-cost={c.to_string()}
                    title={format!("{} → {}", money(*b), money(*a))}>{delta(*b, *a)}</td>
            })}
        </tr>
    });
    let table = rows.iter().map(|r| html! {
        <tr data-level={r.level.clone()} data-category={r.category.clone()}>
            <th scope="row">{r.level_zh.clone()}</th>
            <th scope="row">{r.category_zh.clone()}</th>
            {for r.cells.iter().zip(COSTS).map(|((b, a), c)| html! {
                <td class={classes!("yo-num", (b != a).then_some("yo-changed"))} data-cost={c.to_string()}
                    data-before={b.map(|m| m.to_string()).unwrap_or_default()} data-after={a.map(|m| m.to_string()).unwrap_or_default()}>
                    {money(*b)}{" → "}<strong>{money(*a)}</strong>
                </td>
            })}
        </tr>
    });
    let params = diff(&before_draft.tree, &state.draft.tree);
    let param_rows = params.iter().map(|c| html! {
        <tr data-path={c.path.clone()}>
            <th scope="row">{schema::label_at(&c.path)}<span class="yo-key">{c.path.clone()}</span></th>
            <td class="yo-num">{c.before.clone().unwrap_or_else(|| "—".into())}</td>
            <td class="yo-num"><strong>{c.after.clone().unwrap_or_else(|| "—".into())}</strong></td>
            <td class="yo-cite-text">{c.cite_before.clone()}</td>
            <td class="yo-cite-text">{c.cite_after.clone()}</td>
        </tr>
    });
    html! {
        <div class="yo-compare">
            {picker}
            <p id="yo-compare-summary" data-changed={changed.to_string()}>
                {format!("住院个人负担(元):{} 格中 {} 格有变化。", rows.len() * COSTS.len(), changed)}
                <span class="yo-en" lang="en">{format!("inpatient patient payment (yuan): {changed} of {} cells change; before → after, each bill total only (typical mix of the level), the first day of each policy's period.", rows.len() * COSTS.len())}</span>
            </p>
            <section class="yo-panel">
                <h2>{"变化热图(草稿减对比政策)"}<span class="yo-en" lang="en">{"heat map: what the patient pays under the draft minus under the other"}</span></h2>
                <p class="yo-legend">
                    <span class="yo-heat yo-down3">{"少付 ≥2,000"}</span><span class="yo-heat yo-down2">{"≥500"}</span><span class="yo-heat yo-down1">{"少付"}</span>
                    <span class="yo-heat yo-same">{"不变"}</span><span class="yo-heat yo-up1">{"多付"}</span><span class="yo-heat yo-up2">{"≥500"}</span><span class="yo-heat yo-up3">{"多付 ≥2,000"}</span>
                    <span class="yo-heat yo-na">{"— 不适用"}</span>
                </p>
                <div class="yo-table-wrap"><table class="yo-grid yo-heatmap" id="yo-heatmap"><thead>{head.clone()}</thead><tbody>{for heat}</tbody></table></div>
            </section>
            <section class="yo-panel">
                <h2>{"个人负担:对比政策 → 草稿"}<span class="yo-en" lang="en">{"patient pays: other → draft"}</span></h2>
                <div class="yo-table-wrap"><table class="yo-grid yo-pays" id="yo-pays"><thead>{head}</thead><tbody>{for table}</tbody></table></div>
            </section>
            <section class="yo-panel">
                <h2>{format!("参数变化 {} 项", params.len())}<span class="yo-en" lang="en">{"parameters that differ, with both citations"}</span></h2>
                <div class="yo-table-wrap"><table class="yo-grid yo-diff" id="yo-diff">
                    <thead><tr><th scope="col">{"参数 parameter"}</th><th scope="col">{"对比政策 other"}</th><th scope="col">{"草稿 draft"}</th><th scope="col">{"对比政策出处 cited (other)"}</th><th scope="col">{"草稿出处 cited (draft)"}</th></tr></thead>
                    <tbody>{for param_rows}</tbody>
                </table></div>
            </section>
        </div>
    }
}
