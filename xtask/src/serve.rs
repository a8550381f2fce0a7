//! `cargo xtask serve`: build the widget and serve web/dist on http://127.0.0.1:8080 — a small
//! static server on `oxhttp` (GET/HEAD, brotli or gzip when the browser accepts it, the same
//! strict Content-Security-Policy the page declares, and for an HTML page a `Link` header that
//! asks for its preloads before the browser has parsed it). Loopback only.

use oxhttp::model::{Body, Request, Response};
use oxhttp::Server;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};

pub const CSP: &str =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

pub fn run(args: &[String]) -> Result<(), String> {
    let mut port = 8080u16;
    let mut build = true;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--no-build" => build = false,
            "--port" => {
                port = it
                    .next()
                    .and_then(|p| p.parse().ok())
                    .ok_or("--port needs a number")?
            }
            other => {
                return Err(format!(
                    "unknown option {other:?}; usage: cargo xtask serve [--port N] [--no-build]"
                ))
            }
        }
    }
    let dist = if build {
        crate::web::build()?
    } else {
        crate::web::dist()
    };
    if build {
        crate::web::report_sizes()?;
    }
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let listening = server(&dist, addr)
        .spawn()
        .map_err(|e| format!("{addr}: {e}"))?;
    println!(
        "serving {} on http://127.0.0.1:{port}/  (Ctrl-C to stop)",
        dist.display()
    );
    println!("  resident: http://127.0.0.1:{port}/   desk: http://127.0.0.1:{port}/?mode=clerk   embedding: http://127.0.0.1:{port}/embed.html   office: http://127.0.0.1:{port}/office.html");
    listening.join().map_err(|e| e.to_string())
}

/// Serve `dir` on a free loopback port in background threads; returns the address.
pub fn spawn(dir: &Path) -> Result<SocketAddr, String> {
    // oxhttp binds when it starts and does not say which port it got: take a port the system
    // hands out, free it, and bind that (again with another if it was taken meanwhile).
    let mut last = String::new();
    for _ in 0..10 {
        let probe = TcpListener::bind(("127.0.0.1", 0)).map_err(|e| e.to_string())?;
        let addr = probe.local_addr().map_err(|e| e.to_string())?;
        drop(probe);
        match server(dir, addr).spawn() {
            Ok(_) => return Ok(addr),
            Err(e) => last = format!("{addr}: {e}"),
        }
    }
    Err(last)
}

/// The server of `dir` on `addr`. oxhttp answers each connection on a thread of its own, as
/// long as the connection lasts, so a browser's parallel keep-alive connections are all served.
fn server(dir: &Path, addr: SocketAddr) -> Server {
    let dir = dir.to_path_buf();
    Server::new(move |request| respond(request, &dir)).bind(addr)
}

fn mime(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        // The national diagnosis index (core/src/diagnosis.rs): UTF-8 text.
        "idx" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "toml" | "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// One request: GET or HEAD of a file under `dir`. oxhttp writes whatever body it is given and
/// states its length, so a HEAD is answered with an empty one (its Content-Length is 0).
fn respond(request: &mut Request<Body>, dir: &Path) -> Response<Body> {
    let (mut status, ctype, extra, mut body) = answer(request, dir);
    // `no-cache` with an ETag: a repeat visit revalidates each file and gets a bodiless 304 while
    // it is unchanged, and a new build is never mixed with an old one.
    let etag = (status == 200).then(|| etag(&body, extra.enc));
    let unchanged = etag.as_ref().is_some_and(|tag| {
        request
            .headers()
            .get_all("if-none-match")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|t| t.trim() == tag)
    });
    if unchanged {
        status = 304;
    }
    if unchanged || request.method().as_str() == "HEAD" {
        body.clear();
    }
    let mut headers = vec![
        ("Content-Type", ctype.to_string()),
        ("Cache-Control", "no-cache".into()),
        ("Content-Security-Policy", CSP.into()),
        ("X-Content-Type-Options", "nosniff".into()),
        ("Referrer-Policy", "no-referrer".into()),
        ("Vary", "Accept-Encoding".into()),
    ];
    if let Some(e) = extra.enc {
        headers.push(("Content-Encoding", e.into()));
    }
    if let Some(l) = extra.link {
        headers.push(("Link", l));
    }
    if let Some(tag) = etag {
        headers.push(("ETag", tag));
    }
    let mut response = Response::builder().status(status);
    for (name, value) in headers {
        // A header value is visible ASCII: a page's <link> href that is not is left out of Link.
        if value
            .bytes()
            .all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
        {
            response = response.header(name, value);
        }
    }
    response
        .body(Body::from(body))
        .unwrap_or_else(|_| Response::new(Body::empty()))
}

/// A strong validator of a response body as sent (each encoding is its own representation).
fn etag(body: &[u8], enc: Option<&str>) -> String {
    use std::hash::{DefaultHasher, Hasher};
    let mut h = DefaultHasher::new();
    h.write(body);
    format!(
        "\"{:x}-{:016x}{}\"",
        body.len(),
        h.finish(),
        enc.map_or(String::new(), |e| format!("-{e}"))
    )
}

/// Status, content type, optional headers and body of the answer to `request`.
fn answer(request: &Request<Body>, dir: &Path) -> (u16, &'static str, Headers, Vec<u8>) {
    let not_found = || {
        (
            404,
            "text/plain; charset=utf-8",
            Headers::default(),
            "未找到 not found".as_bytes().to_vec(),
        )
    };
    if !matches!(request.method().as_str(), "GET" | "HEAD") {
        let body = b"method not allowed".to_vec();
        return (405, "text/plain", Headers::default(), body);
    }
    // The encodings the browser accepts (`br`, `gzip`), as tokens without their q-values.
    let accepts: Vec<String> = request
        .headers()
        .get_all("accept-encoding")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| {
            t.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .collect();
    let rel = request.uri().path().trim_start_matches('/');
    if rel
        .split('/')
        .any(|seg| seg == ".." || seg.starts_with('.'))
        || rel.contains('\\')
    {
        return not_found();
    }
    let mut file = dir.join(if rel.is_empty() { "index.html" } else { rel });
    if file.is_dir() {
        file = file.join("index.html");
    }
    // Precompressed copies made by the build: brotli where the browser takes it, else gzip.
    let copy = ["br", "gzip"].into_iter().find_map(|enc| {
        let ext = if enc == "gzip" { "gz" } else { enc };
        let p = PathBuf::from(format!("{}.{ext}", file.display()));
        (accepts.iter().any(|a| a == enc) && p.is_file()).then_some((p, enc))
    });
    let (body, enc) = match copy {
        Some((p, enc)) => (std::fs::read(p), Some(enc)),
        None => (std::fs::read(&file), None),
    };
    let link = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => std::fs::read_to_string(&file)
            .ok()
            .and_then(|html| preload_header(&html)),
        _ => None,
    };
    match body {
        Ok(b) => (200, mime(&file), Headers { enc, link }, b),
        Err(_) => not_found(),
    }
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

/// Optional response headers.
#[derive(Default)]
struct Headers {
    /// `Content-Encoding` of a precompressed copy.
    enc: Option<&'static str>,
    /// `Link` preloads of an HTML page.
    link: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::{preload_header, spawn, CSP};
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

        // Brotli where the browser takes it, else gzip, else the file itself.
        let (head, body) = get(
            addr,
            "GET",
            "/a.js",
            "Accept-Encoding: gzip, deflate, br;q=0.9\r\n",
        );
        assert!(head.contains("content-encoding: br"), "{head}");
        assert!(head.contains("vary: Accept-Encoding"), "{head}");
        assert_eq!(body, b"BR");
        let (head, body) = get(addr, "GET", "/a.js?v=1", "Accept-Encoding: gzip\r\n");
        assert!(head.contains("content-encoding: gzip"), "{head}");
        assert_eq!(body, b"GZ");
        // A repeat visit revalidates: the same ETag gets a bodiless 304, a changed file a 200.
        let tag = head
            .lines()
            .find_map(|l| l.strip_prefix("etag: "))
            .unwrap()
            .to_string();
        let (head304, body) = get(
            addr,
            "GET",
            "/a.js",
            &format!("Accept-Encoding: gzip\r\nIf-None-Match: {tag}\r\n"),
        );
        assert!(head304.starts_with("HTTP/1.1 304"), "{head304}");
        assert!(body.is_empty());
        std::fs::write(dir.join("a.js.gz"), "GZ2").unwrap();
        let (head, body) = get(
            addr,
            "GET",
            "/a.js",
            &format!("Accept-Encoding: gzip\r\nIf-None-Match: {tag}\r\n"),
        );
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert_eq!(body, b"GZ2");
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
        let html = std::fs::read_to_string(crate::root().join("web/index.html")).unwrap();
        let link = preload_header(&html).unwrap();
        assert!(
            link.contains("<yibao_resident_bg.wasm>; rel=preload; as=fetch"),
            "{link}"
        );
        // The README gives hosts the same header to configure.
        let readme = std::fs::read_to_string(crate::root().join("README.md")).unwrap();
        assert!(
            readme.contains(&format!("`Link: {link}`")),
            "README lacks `Link: {link}`"
        );
    }
}
