//! `cargo xtask serve`: build the widget and serve web/dist on http://127.0.0.1:8080 — a small
//! std-only static server (GET/HEAD, brotli or gzip when the browser accepts it, the same strict
//! Content-Security-Policy the page declares, and for an HTML page a `Link` header that asks
//! for its preloads before the browser has parsed it). Loopback only.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
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
    let listener =
        TcpListener::bind(("127.0.0.1", port)).map_err(|e| format!("127.0.0.1:{port}: {e}"))?;
    println!(
        "serving {} on http://127.0.0.1:{port}/  (Ctrl-C to stop)",
        dist.display()
    );
    println!("  resident: http://127.0.0.1:{port}/   desk: http://127.0.0.1:{port}/?mode=clerk   embedding: http://127.0.0.1:{port}/embed.html");
    serve(listener, dist);
    Ok(())
}

/// Serve `dir` on a free loopback port in a background thread; returns the address.
pub fn spawn(dir: &Path) -> Result<SocketAddr, String> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let dir = dir.to_path_buf();
    std::thread::spawn(move || serve(listener, dir));
    Ok(addr)
}

fn serve(listener: TcpListener, dir: PathBuf) {
    for stream in listener.incoming().flatten() {
        let dir = dir.clone();
        std::thread::spawn(move || {
            let _ = handle(stream, &dir);
        });
    }
}

fn mime(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "toml" | "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn handle(mut stream: TcpStream, dir: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    // The encodings the browser accepts (`br`, `gzip`), as tokens without their q-values.
    let mut accepts: Vec<String> = vec![];
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
        let lower = h.to_ascii_lowercase();
        if let Some(list) = lower.strip_prefix("accept-encoding:") {
            accepts.extend(
                list.split(',')
                    .map(|t| t.split(';').next().unwrap_or("").trim().to_string()),
            );
        }
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let head = method == "HEAD";
    if method != "GET" && !head {
        return respond(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain",
            Headers::default(),
            b"method not allowed",
            false,
        );
    }
    let rel = path.trim_start_matches('/');
    if rel
        .split('/')
        .any(|seg| seg == ".." || seg.starts_with('.'))
        || rel.contains('\\')
    {
        return respond(
            &mut stream,
            "404 Not Found",
            "text/plain",
            Headers::default(),
            b"not found",
            head,
        );
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
        Ok(b) => respond(
            &mut stream,
            "200 OK",
            mime(&file),
            Headers { enc, link },
            &b,
            head,
        ),
        Err(_) => respond(
            &mut stream,
            "404 Not Found",
            "text/plain; charset=utf-8",
            Headers::default(),
            "未找到 not found".as_bytes(),
            head,
        ),
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
struct Headers<'a> {
    /// `Content-Encoding` of a precompressed copy.
    enc: Option<&'a str>,
    /// `Link` preloads of an HTML page.
    link: Option<String>,
}

fn respond(
    s: &mut TcpStream,
    status: &str,
    ctype: &str,
    extra: Headers,
    body: &[u8],
    head: bool,
) -> std::io::Result<()> {
    let mut h = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\n\
         Content-Security-Policy: {CSP}\r\nX-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n\
         Vary: Accept-Encoding\r\nConnection: close\r\n",
        body.len()
    );
    if let Some(e) = extra.enc {
        h.push_str(&format!("Content-Encoding: {e}\r\n"));
    }
    if let Some(l) = extra.link {
        h.push_str(&format!("Link: {l}\r\n"));
    }
    h.push_str("\r\n");
    s.write_all(h.as_bytes())?;
    if !head {
        s.write_all(body)?;
    }
    s.flush()
}

#[cfg(test)]
mod tests {
    use super::preload_header;

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
