//! The share link and its QR code (drawn here: nothing leaves the device).

use crate::model::Lang;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct QrCodeProps {
    pub text: AttrValue,
}

/// QR code of the share link, as SVG.
pub fn qr_code(p: &QrCodeProps) -> Html {
    use qrcodegen::{QrCode, QrCodeEcc};
    let Ok(qr) = QrCode::encode_text(&p.text, QrCodeEcc::Low) else {
        return html! {};
    };
    let size = qr.size();
    let border = 2;
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if qr.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    let dim = size + 2 * border;
    html! {
        <svg class="yb-qr" viewBox={format!("0 0 {dim} {dim}")} role="img" aria-label="QR">
            <rect class="yb-qr-bg" x="0" y="0" width={dim.to_string()} height={dim.to_string()} />
            <path class="yb-qr-fg" d={path} />
        </svg>
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct ShareProps {
    pub lang: Lang,
    /// The estimate's link (`Ui::share_url`).
    pub url: AttrValue,
}

/// The link, its QR code and a copy button.
pub fn share(p: &ShareProps) -> Html {
    let lang = p.lang;
    let copy = {
        let url = p.url.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(w) = web_sys::window() {
                let _ = w.navigator().clipboard().write_text(&url);
            }
        })
    };
    html! {
        <div class="yb-share">
            { qr_code(&QrCodeProps { text: p.url.clone() }) }
            <div>
                <p>{ lang.t("用手机扫码,打开同一份估算(数据只在链接里,不经过服务器)。", "Scan to open the same estimate on a phone (the data is only in the link, no server involved).") }</p>
                <p><a class="yb-link" href={p.url.clone()} id="yb-share-link">{ lang.t("估算链接", "Estimate link") }</a>
                   { " " }<button type="button" class="yb-chip" onclick={copy}>{ lang.t("复制链接", "Copy link") }</button></p>
            </div>
        </div>
    }
}
