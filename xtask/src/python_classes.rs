//! The one step between UniFFI's Python module and the wheel: it gives the generated classes
//! explicit base classes from `python/barter/_bases.py` and makes its records real dataclasses.
//!
//! UniFFI 0.32's Python output cannot be configured to do either, and the alternative, attaching
//! methods to the classes at import, hides them from type checkers. The step is textual,
//! deterministic and small; it fails loudly on any shape of output it does not know, so a UniFFI
//! upgrade cannot change the classes silently. What it does:
//!
//! - A record (`@dataclass` over UniFFI's keyword `__init__`) gets its fields as class
//!   annotations, so `dataclasses.fields`, `asdict`, `replace` and `__match_args__` work, and
//!   `eq=False`: equality and hashing come from its base, `_bases._Record` (or `_HashableRecord`
//!   for the types barter derives `Hash` for, listed in `_bases.HASHABLE`).
//! - An enum with data gets `_bases._Enum` (or `_HashableEnum`) the same way; its struct and unit
//!   variants become dataclasses like records, and its tuple variants get `__match_args__` and
//!   positional accessors (`_0`, `_1`, ...) so `case DataKind.TRADE(trade):` works.
//! - UniFFI's `__str__` and `__eq__` of records and variants go (they raise `AttributeError` on a
//!   value of another type); the dataclass `repr` and the bases' `__eq__` replace them.
//! - A fieldless enum stays an `enum.Enum`.
//! - A class with barter's serde JSON (`<type>_from_json` and `<type>_to_json` functions) gets
//!   `_bases._Json`: `Type.from_json(text)` and `value.to_json()`.
//! - An object's public methods and constructors check their arguments first (`_bases.checked`).
//! - Enums with data and errors are declared for type checkers under `if typing.TYPE_CHECKING:`
//!   (each variant a subclass of its enum, typed), with UniFFI's runtime code under its `else:`.
//! - A class named like a public class of `_bases.py` gets that class first among its bases: the
//!   hand-written methods of that type (`TradingSummary.print_summary`, ...). Where an object's
//!   generated method has the same name, it is renamed `_native_<name>` for the Python one to call.

use anyhow::{Context, Result, bail, ensure};
use std::collections::{BTreeSet, HashMap};

/// The hand-written bases, compiled in so that a change to them rebuilds the bindgen.
pub const BASES: &str = include_str!("../../python/barter/_bases.py");

/// The generated module's file name.
pub const MODULE: &str = "barter_ffi.py";

/// `module` (UniFFI's Python output) with the classes described in the module documentation.
pub fn shape(module: &str) -> Result<String> {
    let bases = Bases::parse(BASES)?;
    let json = json_types(module);
    let lines: Vec<&str> = module.lines().collect();
    let readers = readers(&lines);
    let mut out = Vec::with_capacity(lines.len() + 2048);
    let mut seen = BTreeSet::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line == "from __future__ import annotations" {
            out.push(line.to_string());
            out.push("from barter import _bases".to_string());
            i += 1;
        } else if line == "@dataclass" {
            let name = class_name(lines.get(i + 1).copied().unwrap_or_default(), "").with_context(
                || format!("line {}: `@dataclass` on something not a class", i + 2),
            )?;
            let end = block_end(&lines, i + 2, 0);
            let kind = if bases.hashable.contains(name) {
                "_HashableRecord"
            } else {
                "_Record"
            };
            out.push("@dataclass(eq=False)".to_string());
            out.push(format!("class {name}({}):", bases.of(name, &json, kind)));
            class_body(&lines[i + 2..end], 4, None, &mut out)
                .with_context(|| format!("record {name}"))?;
            seen.insert(name);
            i = end;
        } else if let Some(name) = class_name(line, "").filter(|name| !name.starts_with('_')) {
            // A top-level class without a decorator or bases: one of barter's enums with data,
            // followed by UniFFI's comment and lines making each variant a subclass.
            let end = block_end(&lines, i + 1, 0);
            let after = (end..lines.len())
                .find(|&at| {
                    let line = lines[at];
                    !(line.trim().is_empty()
                        || line.starts_with('#')
                        || line.starts_with(&format!("{name}.")))
                })
                .unwrap_or(lines.len());
            let kind = if bases.hashable.contains(name) {
                "_HashableEnum"
            } else {
                "_Enum"
            };
            let class_line = format!("class {name}({}):", bases.of(name, &json, kind));
            let mut runtime = vec![class_line.clone()];
            enum_body(&lines[i + 1..end], &mut runtime).with_context(|| format!("enum {name}"))?;
            runtime.extend(lines[end..after].iter().map(|line| line.to_string()));
            let declared = enum_declarations(name, &class_line, &lines[i + 1..end], &readers)
                .with_context(|| format!("declaring enum {name}"))?;
            typed_split(declared, runtime, &mut out);
            seen.insert(name);
            i = after;
        } else if let Some(name) = line
            .strip_prefix("class ")
            .and_then(|rest| rest.strip_suffix("(Exception):"))
            .filter(|name| lines.contains(&format!("_UniffiTemp{name} = {name}").as_str()))
        {
            // An error enum: UniFFI builds its variants in a second class of the same name.
            let last = format!("del _UniffiTemp{name}");
            let end = (i..lines.len())
                .find(|&at| lines[at] == last)
                .context("no `del _UniffiTemp...`")?
                + 1;
            let declared = error_declarations(name, &lines[i..end], &readers)
                .with_context(|| format!("declaring error {name}"))?;
            typed_split(
                declared,
                lines[i..end].iter().map(|line| line.to_string()).collect(),
                &mut out,
            );
            i = end;
        } else if let Some(name) = line
            .strip_prefix("class ")
            .and_then(|rest| rest.strip_suffix("(enum.Enum):"))
        {
            // A fieldless enum: a Python `enum.Enum`, with barter's JSON where barter has it.
            let extra = bases.of(name, &json, "");
            out.push(if extra.is_empty() {
                line.to_string()
            } else {
                format!("class {name}({extra}, enum.Enum):")
            });
            seen.insert(name);
            i += 1;
        } else if let Some((name, protocol)) = object_class(line) {
            // An object: its protocol stays its last base.
            let extra = bases.of(name, &json, "");
            out.push(if extra.is_empty() {
                line.to_string()
            } else {
                format!("class {name}({extra}, {protocol}):")
            });
            let end = block_end(&lines, i + 1, 0);
            let replaced = bases.methods.get(name).cloned().unwrap_or_default();
            object_body(&lines[i + 1..end], &replaced, &mut out);
            seen.insert(name);
            i = end;
        } else {
            out.push(line.to_string());
            i += 1;
        }
    }
    let unknown: Vec<_> = bases
        .own
        .iter()
        .chain(&bases.hashable)
        .filter(|name| !seen.contains(name.as_str()))
        .collect();
    ensure!(
        unknown.is_empty(),
        "_bases.py names classes the generated module lacks: {unknown:?}"
    );
    ensure!(
        out.iter()
            .filter(|line| line.as_str() == "from barter import _bases")
            .count()
            == 1,
        "the generated module has no single `from __future__ import annotations` to import _bases after"
    );
    let mut text = out.join("\n");
    if module.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

/// What `_bases.py` declares: its public classes (one per generated class they extend) and the
/// names in its `HASHABLE` set.
struct Bases {
    own: BTreeSet<String>,
    hashable: BTreeSet<String>,
    /// The methods each public class defines in its body, by class.
    methods: HashMap<String, BTreeSet<String>>,
}

impl Bases {
    fn parse(source: &str) -> Result<Self> {
        let own = source
            .lines()
            .filter_map(|line| line.strip_prefix("class "))
            .map(|rest| rest.split(['(', ':']).next().unwrap_or_default())
            .filter(|name| !name.starts_with('_'))
            .map(str::to_string)
            .collect();
        let start = source
            .find("HASHABLE = frozenset(")
            .context("_bases.py has no HASHABLE = frozenset(...)")?;
        let end = start
            + source[start..]
                .find("\n)")
                .context("HASHABLE is not closed by a line `)`")?;
        let hashable = source[start..end]
            .split('"')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect();
        let mut methods: HashMap<String, BTreeSet<String>> = HashMap::new();
        let mut class = None;
        for line in source.lines() {
            if !line.starts_with([' ', '#']) && !line.is_empty() {
                // A class starts, or anything else at the top ends the one before.
                class = line.strip_prefix("class ").map(|rest| {
                    rest.split(['(', ':'])
                        .next()
                        .unwrap_or_default()
                        .to_string()
                });
            } else if let (Some(class), Some(rest)) = (&class, line.strip_prefix("    def ")) {
                let method = rest.split('(').next().unwrap_or_default().to_string();
                methods.entry(class.clone()).or_default().insert(method);
            }
        }
        Ok(Self {
            own,
            hashable,
            methods,
        })
    }

    /// The bases of generated class `name`: its own (if `_bases.py` has one), `_Json` (if barter
    /// reads and writes it as JSON), then `kind` (if any).
    fn of(&self, name: &str, json: &BTreeSet<String>, kind: &str) -> String {
        let mut bases = Vec::new();
        if self.own.contains(name) {
            bases.push(format!("_bases.{name}"));
        }
        if json.contains(name) {
            bases.push("_bases._Json".to_string());
        }
        if !kind.is_empty() {
            bases.push(format!("_bases.{kind}"));
        }
        bases.join(", ")
    }
}

/// The types with a `<type>_from_json` and a `<type>_to_json` function, by class name.
fn json_types(module: &str) -> BTreeSet<String> {
    let functions = |suffix: &str| -> BTreeSet<&str> {
        module
            .lines()
            .filter_map(|line| {
                line.strip_prefix("def ")?
                    .split_once('(')?
                    .0
                    .strip_suffix(suffix)
            })
            .collect()
    };
    let to = functions("_to_json");
    functions("_from_json")
        .into_iter()
        .filter(|stem| to.contains(stem))
        .map(camel)
        .collect()
}

/// `trading_summary` → `TradingSummary`, as UniFFI names the type of a snake-case function stem.
fn camel(snake: &str) -> String {
    snake
        .split('_')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// `Name` of a line `{indent}class Name:` (no bases).
fn class_name<'a>(line: &'a str, indent: &str) -> Option<&'a str> {
    let name = line
        .strip_prefix(indent)?
        .strip_prefix("class ")?
        .strip_suffix(':')?;
    name.chars()
        .all(|c| c.is_alphanumeric() || c == '_')
        .then_some(name)
}

/// `(Name, NameProtocol)` of an object's line `class Name(NameProtocol):`.
fn object_class(line: &str) -> Option<(&str, &str)> {
    let (name, rest) = line.strip_prefix("class ")?.split_once('(')?;
    let protocol = rest.strip_suffix("):")?;
    (protocol.strip_suffix("Protocol") == Some(name)).then_some((name, protocol))
}

/// The index of the first line from `start` that is not blank and indented at most `indent`,
/// outside docstrings (UniFFI closes them at column 0).
fn block_end(lines: &[&str], start: usize, indent: usize) -> usize {
    let mut in_docstring = false;
    (start..lines.len())
        .find(|&i| {
            let line = lines[i];
            let ends = !in_docstring
                && !line.trim().is_empty()
                && line.len() - line.trim_start().len() <= indent;
            if line.matches("\"\"\"").count() % 2 == 1 {
                in_docstring = !in_docstring;
            }
            ends
        })
        .unwrap_or(lines.len())
}

/// A record's or variant's body (indented `indent`). Before its `__init__`: the `__init__`'s
/// parameters as class annotations, or for a tuple variant of `arity` values its
/// `__match_args__` and accessors. UniFFI's `__str__` and `__eq__` go.
fn class_body(
    body: &[&str],
    indent: usize,
    arity: Option<usize>,
    out: &mut Vec<String>,
) -> Result<()> {
    let pad = " ".repeat(indent);
    let init = format!("{pad}def __init__(self, ");
    let mut i = 0;
    while i < body.len() {
        let line = body[i];
        if let Some(params) = line.strip_prefix(init.as_str()) {
            match arity {
                Some(arity) => {
                    let names: Vec<String> = (0..arity).map(|n| format!("\"_{n}\"")).collect();
                    out.push(format!("{pad}__match_args__ = ({},)", names.join(", ")));
                    for n in 0..arity {
                        out.push(format!("{pad}@property"));
                        out.push(format!("{pad}def _{n}(self):"));
                        out.push(format!("{pad}    return self._values[{n}]"));
                    }
                }
                None => out.extend(
                    annotations(params, &pad)
                        .with_context(|| format!("unexpected __init__: {line}"))?,
                ),
            }
            out.push(line.to_string());
            i += 1;
        } else if line == format!("{pad}def __str__(self):")
            || line == format!("{pad}def __eq__(self, other):")
        {
            i = block_end(body, i + 1, indent);
        } else {
            out.push(line.to_string());
            i += 1;
        }
    }
    Ok(())
}

/// `{pad}name: Type` for each parameter of an `__init__`'s `params` (after `self, `).
fn annotations(params: &str, pad: &str) -> Result<Vec<String>> {
    let params = params.strip_suffix("):").context("no `):`")?;
    let mut lines = Vec::new();
    for param in split_top_level(params) {
        let param = param.trim();
        if param.is_empty() || param == "*" {
            continue;
        }
        let declared = param
            .split_once(" = ")
            .map_or(param, |(declared, _default)| declared);
        let (name, hint) = declared
            .split_once(':')
            .with_context(|| format!("unannotated field: {param}"))?;
        lines.push(format!("{pad}{name}: {hint}"));
    }
    Ok(lines)
}

/// An enum's body: each variant (a nested class) reshaped, the rest kept.
fn enum_body(body: &[&str], out: &mut Vec<String>) -> Result<()> {
    let (mut i, mut variants) = (0, 0);
    while i < body.len() {
        if body[i] != "    @dataclass" {
            out.push(body[i].to_string());
            i += 1;
            continue;
        }
        let name = body
            .get(i + 1)
            .and_then(|line| class_name(line, "    "))
            .context("`@dataclass` on a non-class")?;
        let end = block_end(body, i + 2, 4);
        let variant = &body[i + 2..end];
        let arity = if variant
            .iter()
            .any(|line| line.trim() == "def __init__(self, *values):")
        {
            Some(tuple_arity(variant).with_context(|| format!("tuple variant {name}"))?)
        } else {
            // Struct and unit variants are dataclasses, as records are.
            out.push("    @dataclass(eq=False)".to_string());
            None
        };
        out.push(format!("    class {name}:"));
        class_body(variant, 8, arity, out).with_context(|| format!("variant {name}"))?;
        variants += 1;
        i = end;
    }
    ensure!(
        variants > 0,
        "a top-level class with no bases that is not an enum with data"
    );
    Ok(())
}

/// An object's body: its public methods and typed constructors get `@_bases.checked`, which
/// checks their arguments as `barter._check.strict` does the functions' (UniFFI's lowering takes a
/// wrong type as `AttributeError`, a `str` as a list, or a value it cannot write as a Rust panic).
/// A method its `_bases.py` class defines too (`replaced`) becomes `_native_<name>`, which the
/// hand-written one calls: Python's method is the one that runs, and the one checkers see.
fn object_body(body: &[&str], replaced: &BTreeSet<String>, out: &mut Vec<String>) {
    for line in body {
        let Some(signature) = line.strip_prefix("    def ") else {
            out.push(line.to_string());
            continue;
        };
        let public = !signature.starts_with('_');
        let constructor = signature.starts_with("__init__(self, ")
            && !signature.starts_with("__init__(self, *args");
        if public || constructor {
            out.push("    @_bases.checked".to_string());
        }
        let name = signature.split('(').next().unwrap_or_default();
        out.push(if replaced.contains(name) {
            format!("    def _native_{signature}")
        } else {
            line.to_string()
        });
    }
}

// --- What type checkers see of enums with data and errors ----------------------------------------
//
// UniFFI makes each variant a subclass of its enum at run time (`type(...)` after the class, or a
// second class for errors), which type checkers cannot follow: to them a variant was not an
// instance of its enum, its constructor was untyped, and an error's variants did not exist. So
// the runtime code goes under `else:` of `if typing.TYPE_CHECKING:`, whose branch declares the
// same classes as checkers understand them: each variant a subclass, named on its enum by a type
// alias, with its fields typed from the converter that reads it.

/// The Python types of each variant's values, in order: `(enum, variant) → types`, from the
/// converters' `return Enum.VARIANT(<converter>.read(buf), ...)`.
fn readers(lines: &[&str]) -> HashMap<(String, String), Vec<String>> {
    let mut readers = HashMap::new();
    for (at, line) in lines.iter().enumerate() {
        let Some(call) = line
            .trim()
            .strip_prefix("return ")
            .and_then(|rest| rest.strip_suffix('('))
        else {
            continue;
        };
        let Some((enum_name, variant)) = call.split_once('.') else {
            continue;
        };
        let types = lines[at + 1..]
            .iter()
            .map(|line| line.trim())
            .take_while(|line| *line != ")")
            .filter_map(|line| {
                line.split_once("_UniffiFfiConverter")?
                    .1
                    .strip_suffix(".read(buf),")
            })
            .map(converter_type)
            .collect();
        readers
            .entry((enum_name.to_string(), variant.to_string()))
            .or_insert(types);
    }
    readers
}

/// The Python type a generated converter (`_UniffiFfiConverter<name>`) reads.
fn converter_type(name: &str) -> String {
    if let Some(rest) = name.strip_prefix("Sequence") {
        return format!("typing.List[{}]", converter_type(rest));
    }
    if let Some(rest) = name.strip_prefix("Optional") {
        return format!("typing.Optional[{}]", converter_type(rest));
    }
    if let Some(rest) = name.strip_prefix("Type") {
        return rest.to_string();
    }
    match name {
        "String" => "str",
        "Boolean" => "bool",
        "Bytes" => "bytes",
        "Float32" | "Float64" => "float",
        _ if name.trim_start_matches('U').starts_with("Int") => "int",
        _ => "typing.Any",
    }
    .to_string()
}

/// `declared` under `if typing.TYPE_CHECKING:`, `runtime` under its `else:`.
fn typed_split(declared: Vec<String>, runtime: Vec<String>, out: &mut Vec<String>) {
    let indent = |line: String| {
        if line.trim().is_empty() {
            String::new()
        } else {
            format!("    {line}")
        }
    };
    out.push("if typing.TYPE_CHECKING:".to_string());
    out.extend(declared.into_iter().map(indent));
    out.push("else:".to_string());
    out.extend(runtime.into_iter().map(indent));
}

/// The docstring at the start of `body` (its lines), if it has one.
fn docstring<'a>(body: &[&'a str]) -> Vec<&'a str> {
    let Some(first) = body.iter().position(|line| !line.trim().is_empty()) else {
        return Vec::new();
    };
    if !body[first].trim_start().starts_with("\"\"\"") {
        return Vec::new();
    }
    if body[first].matches("\"\"\"").count() == 2 {
        return vec![body[first]];
    }
    let last = (first + 1..body.len())
        .find(|&at| body[at].contains("\"\"\""))
        .unwrap_or(first);
    body[first..=last].to_vec()
}

/// `line` with up to `n` leading spaces removed.
fn dedent(line: &str, n: usize) -> String {
    let spaces = line.len() - line.trim_start_matches(' ').len();
    line[spaces.min(n)..].to_string()
}

fn enum_declarations(
    name: &str,
    class_line: &str,
    body: &[&str],
    readers: &HashMap<(String, String), Vec<String>>,
) -> Result<Vec<String>> {
    let mut enum_lines = vec![class_line.to_string()];
    enum_lines.extend(docstring(body).into_iter().map(str::to_string));
    let mut variants = Vec::new();
    let mut i = 0;
    while i < body.len() {
        let Some(variant) = (body[i] == "    @dataclass")
            .then(|| body.get(i + 1).and_then(|line| class_name(line, "    ")))
            .flatten()
        else {
            if let Some(method) = body[i]
                .strip_prefix("    def is_")
                .and_then(|rest| rest.strip_suffix("(self) -> bool:"))
            {
                enum_lines.push(format!("    def is_{method}(self) -> bool: ..."));
            }
            i += 1;
            continue;
        };
        let end = block_end(body, i + 2, 4);
        let block = &body[i + 2..end];
        let alias = format!("_{name}_{variant}");
        enum_lines.push(format!("    {variant}: typing.TypeAlias = \"{alias}\""));
        let doc = docstring(block).into_iter().map(|line| dedent(line, 4));
        if block
            .iter()
            .any(|line| line.trim() == "def __init__(self, *values):")
        {
            let types = readers
                .get(&(name.to_string(), variant.to_string()))
                .with_context(|| format!("no reader of {variant}"))?;
            variants.push(format!("class {alias}({name}):"));
            variants.extend(doc);
            let names: Vec<String> = (0..types.len()).map(|n| format!("\"_{n}\"")).collect();
            variants.push(format!("    __match_args__ = ({},)", names.join(", ")));
            for (n, hint) in types.iter().enumerate() {
                variants.push("    @property".to_string());
                variants.push(format!("    def _{n}(self) -> {hint}: ..."));
            }
            let params: Vec<String> = types
                .iter()
                .enumerate()
                .map(|(n, hint)| format!("_{n}: {hint}"))
                .collect();
            variants.push(format!(
                "    def __init__(self, {}, /) -> None: ...",
                params.join(", ")
            ));
            variants.push("    def __getitem__(self, index: int) -> typing.Any: ...".to_string());
        } else {
            let init = block
                .iter()
                .find_map(|line| line.strip_prefix("        def __init__(self, "))
                .with_context(|| format!("no __init__ in {variant}"))?;
            variants.push("@dataclass(eq=False)".to_string());
            variants.push(format!("class {alias}({name}):"));
            variants.extend(doc);
            variants.extend(annotations(init, "    ")?);
            let params = init.strip_suffix("):").context("no `):`")?.trim();
            variants.push(if params.is_empty() {
                "    def __init__(self) -> None: ...".to_string()
            } else {
                format!("    def __init__(self, {params}) -> None: ...")
            });
        }
        i = end;
    }
    enum_lines.extend(variants);
    Ok(enum_lines)
}

fn error_declarations(
    name: &str,
    block: &[&str],
    readers: &HashMap<(String, String), Vec<String>>,
) -> Result<Vec<String>> {
    let mut error = vec![format!("class {name}(Exception):")];
    error.extend(docstring(&block[1..]).into_iter().map(str::to_string));
    let mut variants = Vec::new();
    let base = format!("(_UniffiTemp{name}):");
    for (at, line) in block.iter().enumerate() {
        let Some(variant) = line
            .strip_prefix("    class ")
            .and_then(|rest| rest.strip_suffix(base.as_str()))
        else {
            continue;
        };
        let alias = format!("_{name}_{variant}");
        error.push(format!("    {variant}: typing.TypeAlias = \"{alias}\""));
        let body = &block[at + 1..block_end(block, at + 1, 4)];
        let fields: Vec<&str> = body
            .iter()
            .find_map(|line| line.strip_prefix("        def __init__(self"))
            .and_then(|params| params.strip_suffix("):"))
            .context("no __init__")?
            .split(',')
            .map(str::trim)
            .filter(|field| !field.is_empty())
            .collect();
        let types = readers
            .get(&(name.to_string(), variant.to_string()))
            .with_context(|| format!("no reader of {variant}"))?;
        ensure!(
            types.len() == fields.len(),
            "{variant}: {} fields, {} read",
            fields.len(),
            types.len()
        );
        variants.push(format!("class {alias}({name}):"));
        variants.extend(docstring(body).into_iter().map(|line| dedent(line, 4)));
        let typed: Vec<String> = fields
            .iter()
            .zip(types)
            .map(|(field, hint)| format!("{field}: {hint}"))
            .collect();
        variants.extend(typed.iter().map(|field| format!("    {field}")));
        variants.push(format!(
            "    def __init__(self, {}) -> None: ...",
            typed.join(", ")
        ));
    }
    error.extend(variants);
    Ok(error)
}

/// `N` of a tuple variant's `if len(values) != N:`.
fn tuple_arity(variant: &[&str]) -> Result<usize> {
    variant
        .iter()
        .find_map(|line| {
            line.trim()
                .strip_prefix("if len(values) != ")?
                .strip_suffix(':')?
                .parse()
                .ok()
        })
        .context("no `if len(values) != N:`")
}

/// `params` split at the commas outside brackets (`typing.Dict[K, V]` stays whole).
fn split_top_level(params: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0);
    for (at, c) in params.char_indices() {
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&params[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(&params[start..]);
    parts
}

/// Shape `dir/barter_ffi.py` in place.
pub fn shape_file(dir: &camino::Utf8Path) -> Result<()> {
    let path = dir.join(MODULE);
    let module = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
    if module.contains("\nfrom barter import _bases\n") {
        bail!("{path} is already shaped");
    }
    std::fs::write(
        &path,
        shape(&module).with_context(|| format!("shaping {path}"))?,
    )?;
    Ok(())
}
