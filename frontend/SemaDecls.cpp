//===- SemaDecls.cpp - Field bindings, extends and --set ------------------===//
//
// Turns declaration bodies into bindings keyed by dotted field path, checked
// against the schema, then merges each declaration over its base so that an
// override replaces exactly the fields it names.
//
//===----------------------------------------------------------------------===//
#include "frontend/Sema.h"

#include "llvm/ADT/StringExtras.h"

using namespace ds;

namespace {
llvm::SMRange span(const std::vector<llvm::SMRange> &ranges) {
  if (ranges.empty())
    return {};
  return {ranges.front().Start, ranges.back().End};
}

/// How a sweep-only item is named in "... is not allowed in a chip".
llvm::StringRef itemDescription(const ast::Item &it) {
  switch (it.kind) {
  case ast::Item::Level:
    return "'level'";
  case ast::Item::Axis:
    return "a sweep axis ('... in ...')";
  case ast::Item::Require:
    return "'require'";
  case ast::Item::Objective:
    return it.maximize ? "'maximize'" : "'minimize'";
  case ast::Item::ReportTop:
    return "'report top'";
  case ast::Item::Pareto:
    return "'pareto'";
  case ast::Item::Compare:
    return "'compare'";
  default:
    return "";
  }
}

/// Field and block names below \p prefix, relative to it, for did-you-mean.
std::vector<std::string> namesBelow(const KindSchema &k,
                                    llvm::StringRef prefix) {
  std::vector<std::string> out;
  for (const FieldSchema &f : k.fields)
    if (f.path.startswith(prefix))
      out.push_back(f.path.drop_front(prefix.size()).str());
  for (const BlockSchema &b : k.blocks)
    if (b.path.startswith(prefix))
      out.push_back(b.path.drop_front(prefix.size()).str());
  return out;
}
} // namespace

void Sema::collectBindings(DeclInfo &d) {
  if (d.kind == DeclKind::Sweep)
    return;
  collectBody(d, d.ast->body, "");
}

void Sema::collectBody(DeclInfo &d, const ast::Body &body,
                       const std::string &prefix) {
  const KindSchema &schema = kindSchema(d.kind);
  for (const ast::Item &it : body) {
    switch (it.kind) {
    case ast::Item::Assign: {
      bindField(d, d.own, it.path, it.pathRanges, prefix, it.value.get(),
                false);
      if (!it.hasBody)
        break;
      std::string key = prefix + llvm::join(it.path, ".");
      if (schema.isBlock(key))
        collectBody(d, it.body, key + ".");
      else if (schema.findField(key))
        diags.report(span(it.pathRanges), DiagKind::FieldIsNotBlock, key,
                     kindKeyword(d.kind), d.name);
      break;
    }
    case ast::Item::Block: {
      std::string key = prefix + it.path[0];
      if (schema.isBlock(key)) {
        collectBody(d, it.body, key + ".");
      } else if (schema.findField(key)) {
        diags.report(it.pathRanges[0], DiagKind::FieldIsNotBlock, key,
                     kindKeyword(d.kind), d.name);
      } else {
        diags.report(it.pathRanges[0], DiagKind::UnknownBlock, key,
                     kindKeyword(d.kind), d.name);
        diags.suggest(it.pathRanges[0],
                      closestName(it.path[0], namesBelow(schema, prefix)));
      }
      break;
    }
    case ast::Item::Level:
      if (d.kind == DeclKind::Network && prefix.empty())
        addLevel(d, it);
      else
        diags.report(it.range, DiagKind::ItemNotAllowed, "'level'",
                     kindKeyword(d.kind));
      break;
    default:
      diags.report(it.range, DiagKind::ItemNotAllowed, itemDescription(it),
                   kindKeyword(d.kind));
      break;
    }
  }
}

void Sema::bindField(DeclInfo &d, llvm::StringMap<Binding> &into,
                     const std::vector<std::string> &path,
                     const std::vector<llvm::SMRange> &ranges,
                     const std::string &prefix, const ast::Expr *value,
                     bool overrideOk) {
  const KindSchema &schema = kindSchema(d.kind);
  std::string rel = llvm::join(path, ".");
  std::string key = prefix + rel;
  llvm::SMRange where = span(ranges);
  if (!schema.findField(key)) {
    if (schema.isBlock(key)) {
      diags.report(where, DiagKind::BlockIsNotField, key, kindKeyword(d.kind),
                   d.name);
      return;
    }
    diags.report(where, DiagKind::UnknownField, key, kindKeyword(d.kind),
                 d.name);
    diags.suggest(where, closestName(rel, namesBelow(schema, prefix)));
    return;
  }
  auto it = into.find(key);
  if (it != into.end() && !overrideOk) {
    diags.report(where, DiagKind::DuplicateField, key, kindKeyword(d.kind),
                 d.name);
    diags.report(it->second.range, DiagKind::NotePreviousSet);
    return;
  }
  Binding b;
  b.expr = value;
  b.range = where;
  b.prefix = prefix;
  into[key] = b;
}

void Sema::addLevel(DeclInfo &net, const ast::Item &item) {
  for (const auto &l : net.ownLevels) {
    if (l->name == item.name) {
      diags.report(item.pathRanges[0], DiagKind::DuplicateLevel, item.name,
                   net.name);
      diags.report(l->nameRange, DiagKind::NotePreviousDecl, item.name);
      return;
    }
  }
  auto level = std::make_unique<DeclInfo>();
  level->kind = DeclKind::Level;
  level->name = item.name;
  level->nameRange = item.pathRanges[0];
  level->parent = &net;
  level->inMainFile = net.inMainFile;
  if (item.value) {
    Binding topo;
    topo.expr = item.value.get();
    topo.range = item.pathRanges[0];
    level->own["topology"] = topo;
  }
  if (item.hasBody)
    collectBody(*level, item.body, "");
  net.ownLevels.push_back(std::move(level));
}

void Sema::applySettings() {
  std::vector<std::string> names;
  for (DeclInfo *d : declOrder)
    names.push_back(d->name);
  for (const auto &s : settings) {
    DeclInfo *d = findDecl(s->path[0]);
    if (!d) {
      diags.report(s->pathRanges[0], DiagKind::SetUnknownDecl, s->path[0]);
      diags.suggest(s->pathRanges[0], closestName(s->path[0], names));
      continue;
    }
    if (d->kind == DeclKind::Sweep) {
      diags.report(s->pathRanges[0], DiagKind::SetSweep, s->path[0]);
      continue;
    }
    if (s->path.size() == 1) {
      diags.report(span(s->pathRanges), DiagKind::SetNeedsField, s->path[0]);
      continue;
    }
    std::vector<std::string> rest(s->path.begin() + 1, s->path.end());
    std::vector<llvm::SMRange> restRanges(s->pathRanges.begin() + 1,
                                          s->pathRanges.end());
    DeclInfo *target = d;
    if (d->kind == DeclKind::Network && rest.size() > 1) {
      for (auto &l : d->ownLevels) {
        if (l->name == rest[0]) {
          target = l.get();
          rest.erase(rest.begin());
          restRanges.erase(restRanges.begin());
          break;
        }
      }
    }
    bindField(*target, target->set, rest, restRanges, "", s->value.get(),
              true);
  }
}

void Sema::merge(DeclInfo &d) {
  if (d.mergedDone || d.merging)
    return;
  d.merging = true;
  if (d.base) {
    merge(*d.base);
    for (const auto &kv : d.base->merged)
      d.merged[kv.getKey()] = kv.getValue();
  }
  for (const auto &kv : d.own)
    d.merged[kv.getKey()] = kv.getValue();
  for (const auto &kv : d.set)
    d.merged[kv.getKey()] = kv.getValue();

  if (d.kind == DeclKind::Network) {
    auto mergeLevel = [](DeclInfo &l) {
      for (const auto &kv : l.own)
        l.merged[kv.getKey()] = kv.getValue();
      for (const auto &kv : l.set)
        l.merged[kv.getKey()] = kv.getValue();
    };
    std::vector<bool> used(d.ownLevels.size(), false);
    if (d.base) {
      // Inherited levels keep the base's order; an own level of the same
      // name overrides the fields it sets.
      for (DeclInfo *bl : d.base->levels) {
        auto copy = std::make_unique<DeclInfo>();
        copy->kind = DeclKind::Level;
        copy->name = bl->name;
        copy->nameRange = bl->nameRange;
        copy->parent = &d;
        copy->inMainFile = d.inMainFile;
        copy->merged = bl->merged;
        for (size_t i = 0; i < d.ownLevels.size(); ++i) {
          if (d.ownLevels[i]->name != bl->name)
            continue;
          used[i] = true;
          copy->nameRange = d.ownLevels[i]->nameRange;
          copy->own = d.ownLevels[i]->own;
          copy->set = d.ownLevels[i]->set;
          mergeLevel(*copy);
        }
        d.levels.push_back(copy.get());
        d.inheritedLevels.push_back(std::move(copy));
      }
    }
    for (size_t i = 0; i < d.ownLevels.size(); ++i) {
      if (used[i])
        continue;
      mergeLevel(*d.ownLevels[i]);
      d.levels.push_back(d.ownLevels[i].get());
    }
  }
  d.mergedDone = true;
}
