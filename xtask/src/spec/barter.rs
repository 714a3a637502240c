//! Public types of a crate, read from its sources with `syn`: every `pub` struct, enum, trait and
//! type alias reachable through `pub mod`s, and every `#[proc_macro_derive]` of a proc-macro crate.
//!
//! Items under `#[cfg(test)]` are skipped; `pub use` re-exports are listed as aliases of the
//! item they name (the item is counted once, at its definition).

use anyhow::{Context, Result};
use camino::{Utf8Path, Utf8PathBuf};
use serde::Serialize;
use syn::{Attribute, Item, Visibility};

/// One public type of a crate.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct PublicType {
    /// Full path, eg/ `barter::statistic::summary::TradingSummary`.
    pub path: String,
    pub kind: Kind,
    /// Generic parameters, eg/ `["Interval"]`.
    pub generics: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Struct,
    Enum,
    Trait,
    TypeAlias,
    DeriveMacro,
}

/// Every public type of the crate whose `lib.rs` is `lib`, named `crate_name` (with `_`).
pub fn public_types(crate_name: &str, lib: &Utf8Path) -> Result<Vec<PublicType>> {
    let mut types = Vec::new();
    let dir = lib.parent().context("lib.rs has a folder")?.to_owned();
    walk_file(lib, &dir, crate_name, &mut types)?;
    types.sort();
    types.dedup();
    Ok(types)
}

fn walk_file(file: &Utf8Path, dir: &Utf8Path, module: &str, types: &mut Vec<PublicType>) -> Result<()> {
    let source = std::fs::read_to_string(file).with_context(|| format!("reading {file}"))?;
    let syntax = syn::parse_file(&source).with_context(|| format!("parsing {file}"))?;
    walk_items(&syntax.items, dir, module, types)
}

fn walk_items(items: &[Item], dir: &Utf8Path, module: &str, types: &mut Vec<PublicType>) -> Result<()> {
    for item in items {
        let mut add = |ident: &syn::Ident, kind: Kind, generics: &syn::Generics| {
            types.push(PublicType {
                path: format!("{module}::{ident}"),
                kind,
                generics: generics.params.iter().map(generic_name).collect(),
            })
        };
        match item {
            Item::Struct(item) if is_public(&item.vis, &item.attrs) => add(&item.ident, Kind::Struct, &item.generics),
            Item::Enum(item) if is_public(&item.vis, &item.attrs) => add(&item.ident, Kind::Enum, &item.generics),
            Item::Trait(item) if is_public(&item.vis, &item.attrs) => add(&item.ident, Kind::Trait, &item.generics),
            Item::Type(item) if is_public(&item.vis, &item.attrs) => add(&item.ident, Kind::TypeAlias, &item.generics),
            Item::Fn(item) => {
                if let Some(name) = derive_macro_name(&item.attrs) {
                    types.push(PublicType { path: format!("{module}::{name}"), kind: Kind::DeriveMacro, generics: vec![] });
                }
            }
            Item::Mod(item) if is_public(&item.vis, &item.attrs) => {
                let child = format!("{module}::{}", item.ident);
                match &item.content {
                    Some((_, items)) => walk_items(items, &dir.join(item.ident.to_string()), &child, types)?,
                    None => {
                        let (file, child_dir) = module_file(dir, &item.ident.to_string(), &item.attrs)?;
                        walk_file(&file, &child_dir, &child, types)?;
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// `pub` (not `pub(crate)`) and not compiled only for tests.
fn is_public(vis: &Visibility, attrs: &[Attribute]) -> bool {
    matches!(vis, Visibility::Public(_)) && !is_cfg_test(attrs)
}

fn is_cfg_test(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg") && attr.parse_args::<syn::Ident>().is_ok_and(|ident| ident == "test")
    })
}

fn derive_macro_name(attrs: &[Attribute]) -> Option<String> {
    attrs
        .iter()
        .find(|attr| attr.path().is_ident("proc_macro_derive"))
        .and_then(|attr| {
            let mut name = None;
            let _ = attr.parse_nested_meta(|meta| {
                if name.is_none() {
                    name = meta.path.get_ident().map(ToString::to_string);
                }
                Ok(())
            });
            name
        })
}

fn generic_name(param: &syn::GenericParam) -> String {
    match param {
        syn::GenericParam::Type(param) => param.ident.to_string(),
        syn::GenericParam::Lifetime(param) => format!("'{}", param.lifetime.ident),
        syn::GenericParam::Const(param) => format!("const {}", param.ident),
    }
}

/// The file of `mod name;` declared in a module whose children live in `dir`, and the folder of
/// its own children (`name.rs` → `name/`; `name/mod.rs` → `name/`; `#[path]` honoured).
fn module_file(dir: &Utf8Path, name: &str, attrs: &[Attribute]) -> Result<(Utf8PathBuf, Utf8PathBuf)> {
    if let Some(path) = attrs.iter().find(|attr| attr.path().is_ident("path")) {
        let syn::Meta::NameValue(meta) = &path.meta else { anyhow::bail!("odd #[path] in {dir}") };
        let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(file), .. }) = &meta.value else { anyhow::bail!("odd #[path] in {dir}") };
        let file = dir.join(file.value());
        let child_dir = file.with_extension("");
        return Ok((file, child_dir));
    }
    let flat = dir.join(format!("{name}.rs"));
    if flat.exists() {
        return Ok((flat, dir.join(name)));
    }
    Ok((dir.join(name).join("mod.rs"), dir.join(name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixture_crate_public_types() {
        let lib = Utf8Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixture/src/lib.rs");
        let paths: Vec<_> = public_types("fixture", &lib).unwrap().into_iter().map(|t| (t.path, t.kind, t.generics)).collect();
        assert_eq!(
            paths,
            vec![
                ("fixture::Flat".to_owned(), Kind::Enum, vec![]),
                ("fixture::nested::Generic".to_owned(), Kind::Struct, vec!["Key".to_owned()]),
                ("fixture::nested::deeper::Alias".to_owned(), Kind::TypeAlias, vec![]),
                ("fixture::nested::deeper::Behaviour".to_owned(), Kind::Trait, vec![]),
                ("fixture::inline::Inline".to_owned(), Kind::Struct, vec![]),
            ]
            .into_iter()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
        );
    }
}
