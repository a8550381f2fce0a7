//! The demo's static-file server, used by `cargo xtask serve` and by the browser tests and
//! benchmarks. The serving is tower-http's `ServeDir`
//! (GET/HEAD, the build's brotli or gzip copy chosen by the browser's `Accept-Encoding` with its
//! q-values, `Last-Modified` revalidation, ranges); this crate adds only the headers the page
//! needs: the same strict Content-Security-Policy the page declares, `no-cache` (a repeat visit
//! revalidates and gets a bodiless 304, a new build is never mixed with an old one), and for an
//! HTML page a `Link` header that asks for its preloads before the browser has parsed it. What it
//! sends is what README.md asks a host to configure. Loopback only.

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use tower_http::services::ServeDir;

pub const CSP: &str =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

/// Serve `dir` on a free loopback port in a background thread; returns the address.
pub fn spawn(dir: &Path) -> Result<SocketAddr, String> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let dir = dir.to_path_buf();
    std::thread::spawn(move || {
        if let Err(e) = serve(&dir, listener) {
            eprintln!("serving {}: {e}", dir.display());
        }
    });
    Ok(addr)
}

/// Answer on `listener` until the process ends.
pub fn serve(dir: &Path, listener: TcpListener) -> Result<(), String> {
    listener.set_nonblocking(true).map_err(|e| e.to_string())?;
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    let dir = dir.to_path_buf();
    let app = Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(move |req: Request, next: Next| {
            page_headers(dir.clone(), req, next)
        }));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener).map_err(|e| e.to_string())?;
        axum::serve(listener, app).await.map_err(|e| e.to_string())
    })
}

/// The headers every answer carries, and an HTML page's `Link` preloads; a path with a segment
/// that starts with a dot (`.git`, `.env`) is not served.
async fn page_headers(dir: PathBuf, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if path.split('/').any(|seg| seg.starts_with('.')) {
        return (StatusCode::NOT_FOUND, "未找到 not found").into_response();
    }
    let revalidating = req.headers().get(header::IF_NONE_MATCH).cloned();
    let mut response = next.run(req).await;
    let status = response.status();
    let ok = status.is_success();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CACHE_CONTROL, "no-cache"),
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    // Every text file of the build is UTF-8 (the pages are Chinese): say so.
    let text = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .filter(|t| t.starts_with("text/") && !t.contains("charset"))
        .map(|t| format!("{t}; charset=utf-8"));
    if let Some(value) = text.and_then(|t| HeaderValue::from_str(&t).ok()) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    if !headers.contains_key(header::VARY) {
        headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    }
    let rel = path.trim_start_matches('/');
    let page = if rel.is_empty() || rel.ends_with('/') {
        dir.join(rel).join("index.html")
    } else {
        dir.join(rel)
    };
    let html = page.extension().is_some_and(|e| e == "html");
    if ok && html {
        let link = std::fs::read_to_string(&page)
            .ok()
            .and_then(|html| preload_header(&html));
        // A header value is visible ASCII: a page whose <link> hrefs are not gets no Link.
        if let Some(value) = link.and_then(|l| HeaderValue::from_str(&l).ok()) {
            headers.insert(header::LINK, value);
        }
    }
    // An entity tag for a file sent whole (ServeDir sends `Last-Modified` alone), made as nginx
    // makes it, of the copy sent (brotli, gzip or the file itself): its modification time and
    // length. A revalidation by `If-None-Match` is answered 304 as one by `If-Modified-Since` is.
    let copy = match headers
        .get(header::CONTENT_ENCODING)
        .map(HeaderValue::as_bytes)
    {
        Some(b"br") => ".br",
        Some(b"gzip") => ".gz",
        _ => "",
    };
    let mut file = page.into_os_string();
    file.push(copy);
    let tag = (status == StatusCode::OK)
        .then(|| etag(Path::new(&file), copy))
        .flatten();
    if let Some(tag) = tag.and_then(|t| HeaderValue::from_str(&t).ok()) {
        let fresh = revalidating
            .and_then(|v| v.to_str().map(str::to_string).ok())
            .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
        headers.insert(header::ETAG, tag);
        if fresh {
            headers.remove(header::CONTENT_LENGTH);
            *response.status_mut() = StatusCode::NOT_MODIFIED;
            *response.body_mut() = axum::body::Body::empty();
        }
    }
    response
}

/// `"<modified, unix seconds>-<length><copy>"` (hex numbers) of the file at `path`: the copy's
/// suffix keeps a brotli and a gzip copy of equal size and time apart.
fn etag(path: &Path, copy: &str) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(format!(
        "\"{:x}-{:x}{copy}\"",
        modified.as_secs(),
        meta.len()
    ))
}

/// The page's own `<link rel=stylesheet|modulepreload|preload>` tags as one HTTP `Link` header
/// value. The browser acts on the header when the response arrives, ≈ 100 ms (4× CPU) before
/// its parser reaches the tags (BENCHMARKS.md); the tags stay in the page for hosts that cannot
/// set headers, and the page is the one list of what to preload.
pub fn preload_header(html: &str) -> Option<String> {
    let mut hints = vec![];
    for tag in html.split("<link ").skip(1) {
        let tag = tag.split('>').next().unwrap_or("");
        let attr = |name: &str| {
            let at = tag.find(&format!("{name}=\""))? + name.len() + 2;
            tag[at..].split('"').next()
        };
        let (Some(rel), Some(href)) = (attr("rel"), attr("href")) else {
            continue;
        };
        let mut hint = format!("<{href}>");
        match rel {
            "modulepreload" => hint.push_str("; rel=modulepreload"),
            "stylesheet" => hint.push_str("; rel=preload; as=style"),
            "preload" => {
                hint.push_str("; rel=preload");
                for a in ["as", "type"] {
                    if let Some(v) = attr(a) {
                        hint.push_str(&format!("; {a}={v}"));
                    }
                }
                // A bare `crossorigin` (anonymous): the fetch that uses the file must match it.
                if tag.split_whitespace().any(|w| w == "crossorigin") {
                    hint.push_str("; crossorigin");
                }
            }
            _ => continue,
        }
        hints.push(hint);
    }
    (!hints.is_empty()).then(|| hints.join(", "))
}

#[cfg(test)]
mod tests {
    use super::{preload_header, spawn, CSP};

    fn root() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }
    use std::io::{Read, Write};

    /// One raw HTTP/1.1 request to `addr`; the response's head (lower-case header names) and body.
    fn get(addr: std::net::SocketAddr, method: &str, path: &str, extra: &str) -> (String, Vec<u8>) {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: x\r\n{extra}Connection: close\r\n\r\n"
        )
        .unwrap();
        let mut all = vec![];
        s.read_to_end(&mut all).unwrap();
        let at = all.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8_lossy(&all[..at]).to_string();
        let lower = head
            .lines()
            .map(|l| match l.split_once(':') {
                Some((k, v)) => format!("{}:{v}", k.to_ascii_lowercase()),
                None => l.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n");
        (lower, all[at + 4..].to_vec())
    }

    #[test]
    fn serves_files_precompressed_copies_csp_and_link_headers() {
        let dir = std::env::temp_dir().join(format!("yibao-serve-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        let page =
            r#"<link rel="stylesheet" href="page.css"><link rel="modulepreload" href="a.js">"#;
        std::fs::write(dir.join("index.html"), page).unwrap();
        std::fs::write(dir.join("a.js"), "export {}").unwrap();
        std::fs::write(dir.join("a.js.gz"), "GZ").unwrap();
        std::fs::write(dir.join("a.js.br"), "BR").unwrap();
        std::fs::write(dir.join("m.wasm"), vec![0u8; 100_000]).unwrap();
        std::fs::write(dir.join(".hidden"), "secret").unwrap();
        std::fs::write(dir.join("sub/index.html"), "<p>sub</p>").unwrap();
        let addr = spawn(&dir).unwrap();

        let (head, body) = get(addr, "GET", "/", "");
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert_eq!(body, page.as_bytes());
        assert!(
            head.contains("content-type: text/html; charset=utf-8"),
            "{head}"
        );
        assert!(
            head.contains(&format!("content-security-policy: {CSP}")),
            "{head}"
        );
        assert!(head.contains("x-content-type-options: nosniff"), "{head}");
        assert!(
            head.contains("link: <page.css>; rel=preload; as=style, <a.js>; rel=modulepreload"),
            "{head}"
        );

        // The browser's preference by q-value; brotli first among equals; else the file itself.
        let (head, body) = get(
            addr,
            "GET",
            "/a.js",
            "Accept-Encoding: gzip, deflate, br\r\n",
        );
        assert!(head.contains("content-encoding: br"), "{head}");
        assert!(
            head.to_ascii_lowercase().contains("vary: accept-encoding"),
            "{head}"
        );
        assert_eq!(body, b"BR");
        let (head, body) = get(
            addr,
            "GET",
            "/a.js",
            "Accept-Encoding: gzip, deflate, br;q=0.9\r\n",
        );
        assert!(head.contains("content-encoding: gzip"), "{head}");
        assert_eq!(body, b"GZ");
        let (head, body) = get(
            addr,
            "GET",
            "/a.js?v=1",
            "Accept-Encoding: br;q=0, gzip\r\n",
        );
        assert!(head.contains("content-encoding: gzip"), "{head}");
        assert_eq!(body, b"GZ");
        // A repeat visit revalidates: unchanged since its Last-Modified, a bodiless 304.
        let since = head
            .lines()
            .find_map(|l| l.strip_prefix("last-modified: "))
            .unwrap()
            .to_string();
        assert!(head.contains("cache-control: no-cache"), "{head}");
        let (head304, body) = get(
            addr,
            "GET",
            "/a.js",
            &format!("Accept-Encoding: gzip\r\nIf-Modified-Since: {since}\r\n"),
        );
        assert!(head304.starts_with("HTTP/1.1 304"), "{head304}");
        assert!(body.is_empty());
        // … and by its entity tag, one per copy sent.
        let tag = |head: &str| {
            head.lines()
                .find_map(|l| l.strip_prefix("etag: "))
                .map(str::to_string)
                .unwrap_or_else(|| panic!("no etag: {head}"))
        };
        let gz_tag = tag(&head);
        let (head, _) = get(addr, "GET", "/a.js", "Accept-Encoding: br\r\n");
        assert_ne!(tag(&head), gz_tag, "the brotli copy has a tag of its own");
        let (head304, body) = get(
            addr,
            "GET",
            "/a.js",
            &format!("Accept-Encoding: gzip\r\nIf-None-Match: {gz_tag}\r\n"),
        );
        assert!(head304.starts_with("HTTP/1.1 304"), "{head304}");
        assert!(head304.contains(&format!("etag: {gz_tag}")), "{head304}");
        assert!(body.is_empty());
        let (head, body) = get(addr, "GET", "/a.js", "If-None-Match: \"0-0\"\r\n");
        assert!(
            head.starts_with("HTTP/1.1 200"),
            "a stale tag gets the file: {head}"
        );
        assert_eq!(body, b"export {}");
        let (head, body) = get(addr, "GET", "/a.js", "");
        assert!(!head.contains("content-encoding"), "{head}");
        assert!(
            head.contains("content-type: text/javascript; charset=utf-8"),
            "{head}"
        );
        assert_eq!(body, b"export {}");

        // A large file has its length, not chunks; HEAD has the head only.
        let (head, body) = get(addr, "GET", "/m.wasm", "");
        assert!(head.contains("content-length: 100000"), "{head}");
        assert!(head.contains("content-type: application/wasm"), "{head}");
        assert_eq!(body.len(), 100_000);
        let (head, body) = get(addr, "HEAD", "/m.wasm", "");
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(head.contains("content-type: application/wasm"), "{head}");
        assert!(body.is_empty());

        let (head, body) = get(addr, "GET", "/sub/", "");
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert_eq!(body, b"<p>sub</p>");
        for path in [
            "/.hidden",
            "/../etc/passwd",
            "/missing.js",
            "/sub/..%2f.hidden",
        ] {
            let (head, _) = get(addr, "GET", path, "");
            assert!(head.starts_with("HTTP/1.1 404"), "{path}: {head}");
        }
        let (head, _) = get(addr, "POST", "/", "Content-Length: 0\r\n");
        assert!(head.starts_with("HTTP/1.1 405"), "{head}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_pages_link_tags_become_one_link_header() {
        let html = r#"<link rel="icon" href="data:,">
<link rel="stylesheet" href="page.css">
<link rel="modulepreload" href="yibao.js">
<link rel="preload" href="m_bg.wasm" as="fetch" type="application/wasm" crossorigin>
<link rel="preload" href="yibao.css" as="style">"#;
        assert_eq!(
            preload_header(html).as_deref(),
            Some(
                "<page.css>; rel=preload; as=style, <yibao.js>; rel=modulepreload, \
                 <m_bg.wasm>; rel=preload; as=fetch; type=application/wasm; crossorigin, \
                 <yibao.css>; rel=preload; as=style"
            )
        );
        assert_eq!(preload_header("<p>no links</p>"), None);
    }

    #[test]
    fn the_demo_page_preloads_its_module() {
        let html = std::fs::read_to_string(root().join("web/index.html")).unwrap();
        let link = preload_header(&html).unwrap();
        assert!(
            link.contains("<yibao_resident_bg.wasm>; rel=preload; as=fetch"),
            "{link}"
        );
        // The README gives hosts the same header to configure.
        let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
        assert!(
            readme.contains(&format!("`Link: {link}`")),
            "README lacks `Link: {link}`"
        );
    }
}
