//! A crate's module graph, read from its sources, and layer rules checked on it.
//!
//! Each `.rs` file under a `src` directory is one module (`kinds/bridge/br_if.rs` is
//! `kinds::bridge::br_if`, `kinds/bridge/mod.rs` is `kinds::bridge`, `lib.rs` / `main.rs` the
//! root ""). A module refers to another when its code names a path into it: `crate::a::b`,
//! `super::x`, `self::x`, or a child module by its bare name, including inside `use` groups
//! (`use crate::{a, b::{c, d}}`). The target of a path is the longest known module prefix of
//! it; `mod x;` declarations are not references. Comments and string literals are skipped.
//!
//! Written to be pointed at any crate: `check(src_dir, layers)` with the layers of that crate.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fs;
use std::io;
use std::path::Path;

/// One layer of a crate: the modules whose path starts with `prefix` ("" matches every
/// module; the first matching layer wins, so list the specific ones first).
pub struct Layer {
    pub name: &'static str,
    pub prefix: &'static str,
    /// No module outside the layer may refer to one inside it (the layer is reached only
    /// through what it registers, e.g. the kinds of kernel-model).
    pub private: bool,
}

/// Modules and, for each, the modules it refers to (with the file that does).
pub struct ModuleGraph {
    pub files: BTreeMap<String, String>,
    pub edges: BTreeMap<String, BTreeSet<String>>,
}

fn module_of(rel: &Path) -> String {
    let mut segs: Vec<String> = rel
        .iter()
        .map(|s| s.to_string_lossy().into_owned())
        .collect();
    if let Some(last) = segs.pop() {
        let stem = last.trim_end_matches(".rs").to_string();
        if !(stem == "mod" || (segs.is_empty() && (stem == "lib" || stem == "main"))) {
            segs.push(stem);
        }
    }
    segs.join("::")
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            rust_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// The source without comments, string and character literals (each replaced by a space).
fn strip(src: &str) -> String {
    let b: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && !ident_char_before(&b, i)
        {
            // raw string r"..." / r#"..."#
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            while j < b.len() {
                if b[j] == '"' && (0..hashes).all(|h| b.get(j + 1 + h) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            i = j;
            out.push(' ');
        } else if c == '"' {
            i += 1;
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push(' ');
        } else if c == '\'' {
            // A character literal ('x', '\n', '\''), else a lifetime.
            if next == Some('\\') {
                let mut j = i + 2;
                while j < b.len() && b[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
                out.push(' ');
            } else if b.get(i + 2) == Some(&'\'') {
                i += 3;
                out.push(' ');
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn ident_char_before(b: &[char], i: usize) -> bool {
    i > 0 && (b[i - 1].is_alphanumeric() || b[i - 1] == '_')
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

/// Every path the code names, as segment lists (use groups expanded).
fn paths(code: &str) -> Vec<Vec<String>> {
    let b: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if is_ident_start(b[i]) && !ident_char_before(&b, i) && !(i > 0 && b[i - 1] == ':') {
            let (end, found) = parse_tree(&b, i, Vec::new());
            for p in found {
                if p.len() > 1 {
                    out.push(p);
                }
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

fn skip_ws(b: &[char], mut i: usize) -> usize {
    while i < b.len() && b[i].is_whitespace() {
        i += 1;
    }
    i
}

fn ident(b: &[char], mut i: usize) -> (usize, String) {
    let start = i;
    while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_') {
        i += 1;
    }
    (i, b[start..i].iter().collect())
}

/// Parses `seg(::seg)*(::{tree, ...})?` at `i` with `prefix` already read: the end and every
/// full path it names.
fn parse_tree(b: &[char], i: usize, prefix: Vec<String>) -> (usize, Vec<Vec<String>>) {
    let mut segs = prefix;
    let mut i = i;
    let mut out = Vec::new();
    loop {
        i = skip_ws(b, i);
        if i < b.len() && b[i] == '{' {
            i += 1;
            loop {
                i = skip_ws(b, i);
                if i >= b.len() {
                    return (i, out);
                }
                if b[i] == '}' {
                    return (i + 1, out);
                }
                if b[i] == ',' {
                    i += 1;
                    continue;
                }
                if is_ident_start(b[i]) {
                    let (end, found) = parse_tree(b, i, segs.clone());
                    out.extend(found);
                    i = end;
                } else {
                    i += 1;
                }
            }
        }
        if i >= b.len() || !is_ident_start(b[i]) {
            out.push(segs);
            return (i, out);
        }
        let (end, seg) = ident(b, i);
        segs.push(seg);
        i = end;
        let j = skip_ws(b, i);
        if b.get(j) == Some(&':') && b.get(j + 1) == Some(&':') {
            i = j + 2;
            continue;
        }
        out.push(segs);
        return (i, out);
    }
}

fn parent(m: &str) -> String {
    match m.rfind("::") {
        Some(p) => m[..p].to_string(),
        None => String::new(),
    }
}

fn join(base: &str, seg: &str) -> String {
    if base.is_empty() {
        seg.to_string()
    } else {
        format!("{base}::{seg}")
    }
}

/// The module a path from module `cur` names, if it names one of this crate's.
fn resolve(cur: &str, path: &[String], modules: &BTreeSet<String>) -> Option<String> {
    let mut base;
    let mut rest = path;
    match path[0].as_str() {
        "crate" => {
            base = String::new();
            rest = &path[1..];
        }
        "self" => {
            base = cur.to_string();
            rest = &path[1..];
        }
        "super" => {
            base = cur.to_string();
            while rest.first().is_some_and(|s| s == "super") {
                base = parent(&base);
                rest = &rest[1..];
            }
        }
        first if modules.contains(&join(cur, first)) => base = cur.to_string(),
        _ => return None,
    }
    let mut target = base.clone();
    for seg in rest {
        let next = join(&target, seg);
        if modules.contains(&next) {
            target = next;
        } else {
            break;
        }
    }
    Some(target)
}

impl ModuleGraph {
    pub fn read(src: &Path) -> io::Result<ModuleGraph> {
        let mut files = Vec::new();
        rust_files(src, &mut files)?;
        files.sort();
        let mut by_module = BTreeMap::new();
        for f in &files {
            let rel = f.strip_prefix(src).unwrap_or(f);
            by_module.insert(module_of(rel), f.clone());
        }
        let modules: BTreeSet<String> = by_module.keys().cloned().collect();
        let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut names = BTreeMap::new();
        for (m, f) in &by_module {
            let code = strip(&fs::read_to_string(f)?);
            let set = edges.entry(m.clone()).or_default();
            for p in paths(&code) {
                if let Some(t) = resolve(m, &p, &modules) {
                    if t != *m {
                        set.insert(t);
                    }
                }
            }
            names.insert(m.clone(), f.display().to_string());
        }
        Ok(ModuleGraph {
            files: names,
            edges,
        })
    }

    fn layer<'a>(&self, m: &str, layers: &'a [Layer]) -> Option<&'a Layer> {
        layers.iter().find(|l| {
            l.prefix.is_empty() || m == l.prefix || m.starts_with(&format!("{}::", l.prefix))
        })
    }

    /// Strongly connected components with more than one module (Tarjan).
    pub fn cycles(&self) -> Vec<Vec<String>> {
        struct St<'g> {
            g: &'g ModuleGraph,
            index: BTreeMap<&'g str, usize>,
            low: BTreeMap<&'g str, usize>,
            stack: Vec<&'g str>,
            on: BTreeSet<&'g str>,
            next: usize,
            out: Vec<Vec<String>>,
        }
        fn visit<'g>(s: &mut St<'g>, v: &'g str) {
            s.index.insert(v, s.next);
            s.low.insert(v, s.next);
            s.next += 1;
            s.stack.push(v);
            s.on.insert(v);
            if let Some(ws) = s.g.edges.get(v) {
                for w in ws {
                    let w = w.as_str();
                    if !s.index.contains_key(w) {
                        visit(s, w);
                        let lw = s.low[w];
                        let lv = s.low[v];
                        s.low.insert(v, lv.min(lw));
                    } else if s.on.contains(w) {
                        let iw = s.index[w];
                        let lv = s.low[v];
                        s.low.insert(v, lv.min(iw));
                    }
                }
            }
            if s.low[v] == s.index[v] {
                let mut comp = Vec::new();
                while let Some(w) = s.stack.pop() {
                    s.on.remove(w);
                    comp.push(w.to_string());
                    if w == v {
                        break;
                    }
                }
                if comp.len() > 1 {
                    comp.sort();
                    s.out.push(comp);
                }
            }
        }
        let mut s = St {
            g: self,
            index: BTreeMap::new(),
            low: BTreeMap::new(),
            stack: Vec::new(),
            on: BTreeSet::new(),
            next: 0,
            out: Vec::new(),
        };
        for v in self.edges.keys() {
            if !s.index.contains_key(v.as_str()) {
                visit(&mut s, v.as_str());
            }
        }
        s.out
    }

    /// The shortest path of references from `from` to `to`, inside `within`.
    fn path(&self, from: &str, to: &str, within: &BTreeSet<String>) -> Vec<String> {
        let mut prev: BTreeMap<String, String> = BTreeMap::new();
        let mut queue = VecDeque::from([from.to_string()]);
        while let Some(v) = queue.pop_front() {
            if v == to {
                let mut p = vec![v.clone()];
                let mut cur = v;
                while let Some(x) = prev.get(&cur) {
                    p.push(x.clone());
                    cur = x.clone();
                }
                p.reverse();
                return p;
            }
            for w in self.edges.get(&v).into_iter().flatten() {
                if within.contains(w) && !prev.contains_key(w) && w != from {
                    prev.insert(w.clone(), v.clone());
                    queue.push_back(w.clone());
                }
            }
        }
        Vec::new()
    }

    /// Every broken rule, described: references into a private layer from outside it, and
    /// cycles whose modules span more than one layer (with one such cycle spelled out).
    pub fn violations(&self, layers: &[Layer]) -> Vec<String> {
        let mut out = Vec::new();
        let name = |m: &str| if m.is_empty() { "crate root" } else { m }.to_string();
        for (m, targets) in &self.edges {
            let from = self.layer(m, layers).map(|l| l.name);
            for t in targets {
                if let Some(l) = self.layer(t, layers) {
                    if l.private && from != Some(l.name) {
                        out.push(format!(
                            "{} ({}) refers to {} of private layer {}",
                            name(m),
                            self.files.get(m).map_or("?", |f| f.as_str()),
                            name(t),
                            l.name
                        ));
                    }
                }
            }
        }
        for comp in self.cycles() {
            let layer_of = |m: &String| self.layer(m, layers).map(|l| l.name);
            let a = &comp[0];
            let Some(b) = comp.iter().find(|m| layer_of(m) != layer_of(a)) else {
                continue;
            };
            let within: BTreeSet<String> = comp.iter().cloned().collect();
            let mut cycle = self.path(a, b, &within);
            let back = self.path(b, a, &within);
            cycle.extend(back.into_iter().skip(1));
            let shown: Vec<String> = cycle.iter().map(|m| name(m)).collect();
            out.push(format!(
                "import cycle across layers ({} modules in the circle): {}",
                comp.len(),
                shown.join(" -> ")
            ));
        }
        out
    }
}

/// Reads the crate under `src` and checks `layers` on it.
pub fn check(src: &Path, layers: &[Layer]) -> io::Result<Vec<String>> {
    Ok(ModuleGraph::read(src)?.violations(layers))
}
