//! The forms: laid out by the policy's own structure (`model::office::schema`), every value
//! edited in place in the draft's tree, each citation beside the values it covers, each problem
//! of core's checks under the field its path names. Lists of plain rows (levels, categories,
//! sources, 分段 tiers, the disease catalogue) are tables, where Enter in a row adds the next.

use super::state::{Action, Office};
use crate::model::office::catalogue;
use crate::model::office::clauses::Stale;
use crate::model::office::draft;
use crate::model::office::schema::{self, Field, Kind, Need};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use yew::prelude::*;
use yibao_core::Problem;

pub struct Ctx<'a> {
    pub tree: &'a Value,
    pub at: &'a BTreeMap<String, Vec<Problem>>,
    /// Values whose clause still quotes the figure they had.
    pub stale: &'a BTreeMap<String, Vec<Stale>>,
    pub d: &'a Callback<Action>,
    pub sources: Vec<String>,
    pub filter: &'a str,
    /// Where the widget's files are: the national diagnosis list is fetched from there.
    pub asset_base: &'a str,
}

pub fn view(state: &Office, dispatch: &Callback<Action>, asset_base: &str) -> Html {
    let ctx = Ctx {
        tree: &state.draft.tree,
        at: &state.at,
        stale: &state.stale,
        d: dispatch,
        sources: draft::source_ids(&state.draft.tree),
        filter: &state.filter,
        asset_base,
    };
    let empty = Map::new();
    let root = ctx.tree.as_object().unwrap_or(&empty);
    let toc = schema::fields("Policy").iter().map(|f| {
        let present = root.contains_key(f.key);
        let bad = ctx.at.keys().any(|p| p == f.key || p.starts_with(&format!("{}.", f.key)) || p.starts_with(&format!("{}[", f.key)));
        html! {
            <li class={classes!(bad.then_some("yo-toc-bad"), (!present).then_some("yo-toc-absent"))}>
                // In a shadow root a `#fragment` finds nothing: the link scrolls by script.
                <a href={format!("#sec-{}", f.key)} data-sec={f.key}
                    onclick={Callback::from(move |e: MouseEvent| { e.prevent_default(); super::checks::focus(&format!("sec-{}", f.key)); })}>
                    {f.zh}<span class="yo-key">{f.key}</span>
                </a>
            </li>
        }
    });
    let sections = schema::fields("Policy")
        .iter()
        .map(|f| section(&ctx, f, root.get(f.key)));
    let unknown = unknown_keys(&ctx, "", "Policy", root);
    html! {
        <div class="yo-editor">
            <nav class="yo-toc" aria-label="政策目录 sections"><ol>{for toc}</ol></nav>
            {problems(&ctx, "")}
            {unknown}
            {for sections}
        </div>
    }
}

fn section(ctx: &Ctx, f: &Field, v: Option<&Value>) -> Html {
    let body = match v {
        Some(v) => value(ctx, f.key, f, v),
        None => add_button(ctx, f.key, f),
    };
    let remove = (v.is_some() && f.need != Need::Required).then(|| remove_button(ctx, f.key, f.zh));
    html! {
        <section class="yo-sec" id={format!("sec-{}", f.key)} data-path={f.key} tabindex="-1">
            <h2>{f.zh}<span class="yo-key">{f.key}</span>{remove}</h2>
            {body}
        </section>
    }
}

/// The problems shown at `path`, and a warning when its clause still quotes another figure.
pub fn problems(ctx: &Ctx, path: &str) -> Html {
    let warn = ctx.stale.get(path).map(|ws| {
        html! {
            <ul class="yo-warns" data-for={path.to_string()}>
                {for ws.iter().map(|w| html! {
                    <li class="yo-warn" role="status" data-cite={w.cite.clone()}>
                        <span aria-hidden="true">{"⚠ "}</span>{w.zh.clone()}
                        <span class="yo-en" lang="en">{w.en.clone()}</span>
                    </li>
                })}
            </ul>
        }
    });
    html! { <>{problems_only(ctx, path)}{warn}</> }
}

fn problems_only(ctx: &Ctx, path: &str) -> Html {
    match ctx.at.get(path) {
        None => html! {},
        Some(ps) => html! {
            <ul class="yo-errs" data-for={path.to_string()}>
                {for ps.iter().map(|p| html! {
                    <li class="yo-err" data-code={p.code.as_str()} data-path={p.path.clone()}>
                        <code>{p.code.as_str()}</code>{" "}{p.message_zh.clone()}
                        <span class="yo-en" lang="en">{p.message_en.clone()}</span>
                    </li>
                })}
            </ul>
        },
    }
}

/// Id of the control of the value at `path`.
pub fn field_id(path: &str) -> String {
    format!("f-{path}")
}

fn value(ctx: &Ctx, path: &str, f: &Field, v: &Value) -> Html {
    match (f.kind, v) {
        (Kind::Struct(s), Value::Object(m)) => strukt(ctx, path, s, m),
        (Kind::Array(s), Value::Array(items)) => array(ctx, path, s, items),
        (Kind::MapOf(k), Value::Object(m)) => map_of(ctx, path, *k, m),
        (Kind::MapStruct(s), Value::Object(m)) => map_struct(ctx, path, s, m),
        (Kind::Cite, _) => cite(ctx, path, f.need),
        (k, _) if k.scalar() => scalar(ctx, path, f, true),
        // A value of the wrong shape (a list where a table belongs …): shown as it is, with its
        // problem, and removable.
        _ => unknown(ctx, path, v),
    }
}

fn add_button(ctx: &Ctx, path: &str, f: &Field) -> Html {
    let d = ctx.d.clone();
    let p = path.to_string();
    let source = ctx.sources.first().cloned().unwrap_or_default();
    let kind = f.kind;
    html! {
        <>
            <button type="button" class="yo-add" data-add={path.to_string()}
                onclick={Callback::from(move |_| d.emit(Action::Set(p.clone(), schema::skeleton(kind, &source))))}>
                {format!("+ 添加{}", f.zh)}<span class="yo-en" lang="en">{format!("add {}", f.key)}</span>
            </button>
            {problems(ctx, path)}
        </>
    }
}

fn remove_button(ctx: &Ctx, path: &str, what: &str) -> Html {
    let d = ctx.d.clone();
    let p = path.to_string();
    html! {
        <button type="button" class="yo-remove" data-remove={path.to_string()} aria-label={format!("删除{what} remove")}
            onclick={Callback::from(move |_| d.emit(Action::Remove(p.clone())))}>{"删除"}</button>
    }
}

fn strukt(ctx: &Ctx, path: &str, s: &str, m: &Map<String, Value>) -> Html {
    let fields = schema::fields(s);
    // The group's own citation first, then the others (`transfer_cite` …).
    let mut cite_fields: Vec<&Field> = fields.iter().filter(|f| f.kind == Kind::Cite).collect();
    cite_fields.sort_by_key(|f| f.key != "cite");
    let scalars = fields.iter().filter(|f| f.kind.scalar());
    let nested = fields
        .iter()
        .filter(|f| !f.kind.scalar() && f.kind != Kind::Cite);
    let mut absent = vec![];
    let mut inner = vec![];
    for f in nested {
        let p = schema::join(path, f.key);
        match m.get(f.key) {
            Some(v) => {
                let remove = (f.need != Need::Required).then(|| remove_button(ctx, &p, f.zh));
                inner.push(html! {
                    <fieldset class="yo-group" data-path={p.clone()}>
                        <legend>{f.zh}<span class="yo-key">{f.key}</span>{remove}</legend>
                        {value(ctx, &p, f, v)}
                    </fieldset>
                });
            }
            None if f.need == Need::Required => inner.push(html! {
                <fieldset class="yo-group" data-path={p.clone()}>
                    <legend>{f.zh}<span class="yo-key">{f.key}</span></legend>
                    {add_button(ctx, &p, f)}
                </fieldset>
            }),
            None => absent.push(add_button(ctx, &p, f)),
        }
    }
    html! {
        <div class="yo-struct">
            {problems(ctx, path)}
            {for cite_fields.into_iter().map(|f| cite_as(ctx, &schema::join(path, f.key), f.need, f.zh))}
            <div class="yo-fields">{for scalars.map(|f| scalar(ctx, &schema::join(path, f.key), f, true))}</div>
            {unknown_keys(ctx, path, s, m)}
            {for inner}
            if !absent.is_empty() { <div class="yo-absent">{for absent}</div> }
        </div>
    }
}

fn unknown_keys(ctx: &Ctx, path: &str, s: &str, m: &Map<String, Value>) -> Html {
    let known = schema::fields(s);
    html! {
        {for m.iter().filter(|(k, _)| !known.iter().any(|f| f.key == k.as_str())).map(|(k, v)| unknown(ctx, &schema::join(path, k), v))}
    }
}

fn unknown(ctx: &Ctx, path: &str, v: &Value) -> Html {
    html! {
        <div class="yo-unknown" data-path={path.to_string()}>
            <span><code>{path.to_string()}</code>{" = "}<code>{v.to_string()}</code></span>
            {remove_button(ctx, path, path)}
            {problems(ctx, path)}
        </div>
    }
}

/// The text a value shows in its input.
fn shown(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => other.to_string(),
    }
}

/// What typing `text` into a field of `kind` puts in the tree (`None`: take the value out).
fn typed(kind: Kind, need: Need, text: &str) -> Option<Value> {
    let t = text.trim();
    if t.is_empty() && need != Need::Required {
        return None;
    }
    Some(match kind {
        Kind::Int => t
            .parse::<u64>()
            .map(Value::from)
            .unwrap_or_else(|_| Value::from(t)),
        Kind::List | Kind::EnumList(_) => Value::Array(
            t.split([',', ',', '、'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(Value::from)
                .collect(),
        ),
        _ => Value::from(text),
    })
}

fn placeholder(kind: Kind) -> &'static str {
    match kind {
        Kind::Money => "元",
        Kind::Rate => "如 75%",
        Kind::Points => "百分点",
        Kind::Date => "YYYY-MM-DD",
        Kind::List | Kind::EnumList(_) => "用逗号分隔",
        _ => "",
    }
}

/// The row's Enter: a new item after the last.
pub type OnEnter = Option<Callback<KeyboardEvent>>;

fn scalar(ctx: &Ctx, path: &str, f: &Field, labelled: bool) -> Html {
    scalar_with(ctx, path, f, labelled, None)
}

fn scalar_with(ctx: &Ctx, path: &str, f: &Field, labelled: bool, enter: OnEnter) -> Html {
    let v = draft::get(ctx.tree, path);
    let id = field_id(path);
    let bad = ctx.at.contains_key(path);
    let warned = ctx.stale.contains_key(path);
    let (kind, need) = (f.kind, f.need);
    let label = format!("{} {}", f.zh, f.key);
    let d = ctx.d.clone();
    let p = path.to_string();
    let control = match kind {
        Kind::Bool => {
            let on = v.and_then(Value::as_bool).unwrap_or(false);
            html! {
                <input type="checkbox" id={id.clone()} data-path={p.clone()} checked={on} aria-label={label.clone()}
                    onchange={Callback::from(move |e: Event| {
                        let on = e.target_unchecked_into::<web_sys::HtmlInputElement>().checked();
                        d.emit(if on || need == Need::Required { Action::Set(p.clone(), Value::Bool(on)) } else { Action::Remove(p.clone()) })
                    })} />
            }
        }
        Kind::Enum(values) => {
            let cur = shown(v);
            let mut opts: Vec<String> = values.iter().map(|s| s.to_string()).collect();
            if !cur.is_empty() && !opts.contains(&cur) {
                opts.push(cur.clone());
            }
            html! {
                <select id={id.clone()} data-path={p.clone()} aria-label={label.clone()} aria-invalid={bad.then_some("true")}
                    onchange={Callback::from(move |e: Event| {
                        let s = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
                        d.emit(match typed(kind, need, &s) { Some(v) => Action::Set(p.clone(), v), None => Action::Remove(p.clone()) })
                    })}>
                    if need != Need::Required { <option value="" selected={cur.is_empty()}>{"—"}</option> }
                    {for opts.iter().map(|o| html! { <option value={o.clone()} selected={*o == cur}>{o.clone()}</option> })}
                </select>
            }
        }
        _ => html! {
            <input type="text" id={id.clone()} data-path={p.clone()} value={shown(v)} aria-label={label.clone()}
                class={format!("yo-in yo-in-{}", kind_class(kind))} placeholder={placeholder(kind)}
                aria-invalid={bad.then_some("true")} autocomplete="off" spellcheck="false"
                onkeydown={enter}
                oninput={Callback::from(move |e: InputEvent| {
                    let s = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
                    d.emit(match typed(kind, need, &s) { Some(v) => Action::Set(p.clone(), v), None => Action::Remove(p.clone()) })
                })} />
        },
    };
    if !labelled {
        return html! { <>{control}{problems(ctx, path)}</> };
    }
    let req = (need == Need::Required)
        .then(|| html! { <span class="yo-req" title="必填 required">{"*"}</span> });
    html! {
        <div class={classes!("yo-field", bad.then_some("yo-field-bad"), warned.then_some("yo-field-warn"), format!("yo-f-{}", kind_class(kind)))}>
            <label for={id}>{f.zh}{req}<span class="yo-key">{f.key}</span></label>
            {control}
            {problems(ctx, path)}
        </div>
    }
}

fn kind_class(k: Kind) -> &'static str {
    match k {
        Kind::Money => "money",
        Kind::Rate => "rate",
        Kind::Points => "points",
        Kind::Int => "int",
        Kind::Date => "date",
        Kind::List | Kind::EnumList(_) => "list",
        Kind::Bool => "bool",
        Kind::Enum(_) => "enum",
        _ => "text",
    }
}

/// A citation: its document (one of `[[sources]]`), its clause, and whether it is 示意.
fn cite(ctx: &Ctx, path: &str, need: Need) -> Html {
    cite_as(ctx, path, need, "出处")
}

/// A citation under its own label (a group may have two: `cite` and `transfer_cite`).
fn cite_as(ctx: &Ctx, path: &str, need: Need, zh: &'static str) -> Html {
    let Some(Value::Object(c)) = draft::get(ctx.tree, path) else {
        let f = Field {
            key: "cite",
            kind: Kind::Cite,
            need,
            zh,
        };
        return html! { <div class="yo-cite yo-cite-absent">{add_button(ctx, path, &f)}</div> };
    };
    let source = c
        .get("source")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let mut opts = ctx.sources.clone();
    if !opts.contains(&source) {
        opts.push(source.clone());
    }
    let (sp, cp, ip) = (
        schema::join(path, "source"),
        schema::join(path, "clause"),
        schema::join(path, "illustrative"),
    );
    let d = ctx.d.clone();
    let sp2 = sp.clone();
    let clause = *schema::cite_field("clause").expect("a citation has a clause");
    let ill = *schema::cite_field("illustrative").expect("a citation can be illustrative");
    let remove = (need != Need::Required).then(|| remove_button(ctx, path, "出处"));
    html! {
        <div class="yo-cite" data-path={path.to_string()}>
            <span class="yo-cite-label">{zh}<span class="yo-key">{path.rsplit('.').next().unwrap_or("cite").to_string()}</span></span>
            <select id={field_id(&sp)} data-path={sp.clone()} aria-label="出处文件 cite source"
                aria-invalid={ctx.at.contains_key(&sp).then_some("true")}
                onchange={Callback::from(move |e: Event| {
                    let s = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
                    d.emit(Action::Set(sp2.clone(), Value::from(s)))
                })}>
                {for opts.iter().map(|o| html! { <option value={o.clone()} selected={*o == source}>{o.clone()}</option> })}
            </select>
            <span class="yo-clause">{scalar(ctx, &cp, &clause, false)}</span>
            <label class="yo-ill">{scalar(ctx, &ip, &ill, false)}{"示意"}<span class="yo-en" lang="en">{"illustrative"}</span></label>
            {remove}
            {problems(ctx, path)}
            {problems(ctx, &sp)}
        </div>
    }
}

/// Lists whose items are rows of plain values are tables.
fn tabular(s: &str) -> bool {
    schema::fields(s).iter().all(|f| f.kind.scalar())
}

fn array(ctx: &Ctx, path: &str, s: &str, items: &[Value]) -> Html {
    let source = ctx.sources.first().cloned().unwrap_or_default();
    let new_item = schema::skeleton(Kind::Struct(leak(s)), &source);
    let add = {
        let d = ctx.d.clone();
        let p = path.to_string();
        let v = new_item.clone();
        html! {
            <button type="button" class="yo-add" data-add={path.to_string()}
                onclick={Callback::from(move |_| d.emit(Action::Push(p.clone(), v.clone())))}>
                {"+ 添加一项"}<span class="yo-en" lang="en">{"add"}</span>
            </button>
        }
    };
    if !tabular(s) {
        let list = items.iter().enumerate().map(|(i, item)| {
            let p = schema::index(path, i);
            let name = item
                .get("name_zh")
                .or_else(|| item.get("id"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let body = match item {
                Value::Object(m) => strukt(ctx, &p, s, m),
                other => unknown(ctx, &p, other),
            };
            html! {
                <fieldset class="yo-group yo-item" data-path={p.clone()}>
                    <legend>{format!("#{} {name}", i + 1)}{remove_button(ctx, &p, &name)}</legend>
                    {body}
                </fieldset>
            }
        });
        return html! { <>{problems(ctx, path)}{for list}{add}</> };
    }
    let fields = schema::fields(s);
    let search = s == "Disease";
    // The rows core's diagnosis search finds (the same search as every other front end's), with
    // the national list's everyday words once it has been fetched.
    let shown = search
        .then(|| {
            let national = crate::model::national::national();
            catalogue::matching_rows(ctx.tree, national.as_deref(), ctx.filter)
        })
        .flatten();
    let rows = items
        .iter()
        .enumerate()
        .filter(|(i, _)| shown.as_ref().is_none_or(|s| s.contains(i)));
    let n = items.len();
    let rows = rows.map(|(i, _)| {
        let p = schema::index(path, i);
        let enter = {
            let d = ctx.d.clone();
            let list = path.to_string();
            let v = new_item.clone();
            let last = i + 1 == n;
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Enter" && last {
                    e.prevent_default();
                    d.emit(Action::Push(list.clone(), v.clone()));
                }
            })
        };
        let row_problems = ctx.at.get(&p).map(|_| html! { <tr class="yo-row-errs"><td colspan={(fields.len() + 1).to_string()}>{problems(ctx, &p)}</td></tr> });
        html! {
            <>
                <tr data-path={p.clone()}>
                    {for fields.iter().map(|f| html! {
                        <td>{scalar_with(ctx, &schema::join(&p, f.key), f, false, Some(enter.clone()))}</td>
                    })}
                    <td>{remove_button(ctx, &p, &format!("第{}行", i + 1))}</td>
                </tr>
                {row_problems}
            </>
        }
    });
    let filter = search.then(|| {
        let d = ctx.d.clone();
        let base = ctx.asset_base.to_string();
        html! {
            <div class="yo-search">
                <label for="yo-catalogue-search">{"查找病种"}<span class="yo-en" lang="en">{"search: code, 中文名, pinyin, everyday words (心梗)"}</span></label>
                <input id="yo-catalogue-search" type="search" value={ctx.filter.to_string()} autocomplete="off"
                    oninput={Callback::from(move |e: InputEvent| {
                        // The national list (everyday words, 国临版 codes) on the first keystroke,
                        // as in the resident's disease box; the rows re-filter when it arrives.
                        let settled = d.reform(|_: crate::ui::Action| Action::NationalIndex);
                        crate::ui::national::load(&base, settled);
                        d.emit(Action::Filter(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()))
                    })} />
            </div>
        }
    });
    html! {
        <>
            {problems(ctx, path)}
            {filter}
            <div class="yo-table-wrap">
                <table class="yo-grid" data-path={path.to_string()}>
                    <thead><tr>
                        {for fields.iter().map(|f| html! { <th scope="col">{f.zh}<span class="yo-key">{f.key}</span></th> })}
                        <th><span class="yo-sr">{"操作"}</span></th>
                    </tr></thead>
                    <tbody>{for rows}</tbody>
                </table>
            </div>
            <p class="yo-hint">{"在最后一行按回车添加一行 · Enter in the last row adds a row"}</p>
            {add}
        </>
    }
}

/// Candidate keys of a table keyed by id: the policy's levels (or the item classes of 先行自付).
fn key_options(ctx: &Ctx, path: &str) -> Vec<String> {
    if path.ends_with("preselfpay") {
        return ["jia", "yi", "bing", "special"].map(String::from).to_vec();
    }
    let mut v = draft::ids(ctx.tree, "levels");
    if path.ends_with("fund_amount") {
        v.push("*".into());
    }
    v
}

fn map_of(ctx: &Ctx, path: &str, k: Kind, m: &Map<String, Value>) -> Html {
    let f = Field {
        key: "",
        kind: k,
        need: Need::Required,
        zh: "",
    };
    let names = level_names(ctx);
    // Rows in the policy's order of levels (ids it does not know last, as written).
    let order = draft::ids(ctx.tree, "levels");
    let mut keys: Vec<&String> = m.keys().collect();
    keys.sort_by_key(|k| order.iter().position(|o| o == *k).unwrap_or(usize::MAX));
    let rows = keys.into_iter().map(|key| {
        let p = schema::join(path, key);
        let name = names.get(key).cloned().unwrap_or_default();
        html! {
            <tr data-path={p.clone()}>
                <th scope="row"><code>{key.clone()}</code>{" "}{name}</th>
                <td>{scalar(ctx, &p, &f, false)}</td>
                <td>{remove_button(ctx, &p, key)}</td>
            </tr>
        }
    });
    let opts: Vec<String> = key_options(ctx, path)
        .into_iter()
        .filter(|o| !m.contains_key(o))
        .collect();
    html! {
        <>
            {problems(ctx, path)}
            <table class="yo-grid yo-map" data-path={path.to_string()}>
                <tbody>{for rows}</tbody>
            </table>
            <MapAdd path={path.to_string()} options={opts} value={schema::skeleton(k, "")} dispatch={ctx.d.clone()} />
        </>
    }
}

fn level_names(ctx: &Ctx) -> BTreeMap<String, String> {
    ctx.tree
        .get("levels")
        .and_then(Value::as_array)
        .map(|ls| {
            ls.iter()
                .filter_map(|l| {
                    Some((
                        l.get("id")?.as_str()?.to_string(),
                        l.get("name_zh")?.as_str()?.to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn map_struct(ctx: &Ctx, path: &str, s: &str, m: &Map<String, Value>) -> Html {
    let names = level_names(ctx);
    let entries = m.iter().map(|(key, v)| {
        let p = schema::join(path, key);
        let body = match v {
            Value::Object(o) => strukt(ctx, &p, s, o),
            other => unknown(ctx, &p, other),
        };
        html! {
            <fieldset class="yo-group yo-item" data-path={p.clone()}>
                <legend><code>{key.clone()}</code>{" "}{names.get(key).cloned().unwrap_or_default()}{remove_button(ctx, &p, key)}</legend>
                {body}
            </fieldset>
        }
    });
    let opts: Vec<String> = key_options(ctx, path)
        .into_iter()
        .filter(|o| !m.contains_key(o))
        .collect();
    let source = ctx.sources.first().cloned().unwrap_or_default();
    html! {
        <>
            {problems(ctx, path)}
            {for entries}
            <MapAdd path={path.to_string()} options={opts} value={schema::skeleton(Kind::Struct(leak(s)), &source)} dispatch={ctx.d.clone()} />
        </>
    }
}

/// Struct names come from the schema's own `&'static` table.
fn leak(s: &str) -> &'static str {
    schema::structs()
        .iter()
        .find(|(n, _)| *n == s)
        .map(|(n, _)| *n)
        .unwrap_or("")
}

#[derive(Properties, PartialEq, Clone)]
pub struct MapAddProps {
    pub path: String,
    pub options: Vec<String>,
    pub value: Value,
    pub dispatch: Callback<Action>,
}

/// A new row of a table keyed by id: the id (a level's, from the list) and Enter or the button.
#[function_component(MapAdd)]
fn map_add(p: &MapAddProps) -> Html {
    let key = use_state(String::new);
    let add = {
        let (key, p) = (key.clone(), p.clone());
        move || {
            let k = key.trim().to_string();
            if !k.is_empty() {
                p.dispatch
                    .emit(Action::Set(schema::join(&p.path, &k), p.value.clone()));
                key.set(String::new());
            }
        }
    };
    let list = format!("keys-{}", p.path);
    let add2 = add.clone();
    html! {
        <div class="yo-map-add">
            <input type="text" list={list.clone()} value={(*key).clone()} placeholder={if p.path.ends_with("preselfpay") { "类别 jia / yi / bing / special" } else { "级别编号 level id" }}
                aria-label={format!("新增一行的编号 new key of {}", p.path)} data-add-key={p.path.clone()}
                oninput={{ let key = key.clone(); Callback::from(move |e: InputEvent| key.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value())) }}
                onkeydown={Callback::from(move |e: KeyboardEvent| if e.key() == "Enter" { e.prevent_default(); add2() })} />
            <datalist id={list}>{for p.options.iter().map(|o| html! { <option value={o.clone()} /> })}</datalist>
            <button type="button" class="yo-add" onclick={Callback::from(move |_| add())}>{"+ 添加"}<span class="yo-en" lang="en">{"add"}</span></button>
        </div>
    }
}
