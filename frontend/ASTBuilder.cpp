//===- ASTBuilder.cpp - ANTLR parse tree to AST ---------------------------===//
//
// Walks the contexts of a successful parse (no error nodes) and builds our
// AST. Token indices are byte offsets because Parser.cpp feeds ANTLR one
// code point per input byte.
//
//===----------------------------------------------------------------------===//
#include "frontend/ASTBuilder.h"

#include <cctype>
#include <cmath>
#include <cstdlib>

using namespace ds;
using P = dsgen::DeepStackParser;

llvm::SMRange ASTBuilder::range(antlr4::Token *tok) const {
  const char *start = base + tok->getStartIndex();
  size_t len = tok->getStopIndex() >= tok->getStartIndex()
                   ? tok->getStopIndex() - tok->getStartIndex() + 1
                   : 0;
  return {llvm::SMLoc::getFromPointer(start),
          llvm::SMLoc::getFromPointer(start + len)};
}

llvm::SMRange ASTBuilder::range(antlr4::ParserRuleContext *ctx) const {
  llvm::SMRange first = range(ctx->getStart());
  llvm::SMRange last = range(ctx->getStop() ? ctx->getStop() : ctx->getStart());
  return {first.Start, last.End};
}

std::string ASTBuilder::text(antlr4::Token *tok) const {
  llvm::SMRange r = range(tok);
  return std::string(r.Start.getPointer(), r.End.getPointer());
}

void ASTBuilder::buildFile(P::FileContext *ctx, ast::File &file) {
  for (P::TopItemContext *top : ctx->topItem()) {
    if (P::ImportDeclContext *imp = top->importDecl()) {
      ast::Import i;
      std::string s = text(imp->STRING()->getSymbol());
      i.path = s.substr(1, s.size() - 2);
      i.range = range(imp->STRING()->getSymbol());
      file.imports.push_back(std::move(i));
    } else if (P::DeclarationContext *d = top->declaration()) {
      file.decls.push_back(buildDecl(d));
    }
  }
}

ast::Decl ASTBuilder::buildDecl(P::DeclarationContext *ctx) {
  ast::Decl d;
  d.kind = text(ctx->kind);
  d.kindRange = range(ctx->kind);
  d.name = text(ctx->name);
  d.nameRange = range(ctx->name);
  if (ctx->base) {
    d.base = text(ctx->base);
    d.baseRange = range(ctx->base);
  }
  if (ctx->target) {
    d.target = text(ctx->target);
    d.targetRange = range(ctx->target);
  }
  d.range = range(ctx);
  buildBlock(ctx->block(), d.body);
  return d;
}

void ASTBuilder::buildBlock(P::BlockContext *ctx, ast::Body &body) {
  for (P::ItemContext *item : ctx->item())
    body.push_back(buildItem(item));
}

void ASTBuilder::buildPath(P::PathContext *ctx, std::vector<std::string> &path,
                           std::vector<llvm::SMRange> &ranges) {
  for (antlr4::tree::TerminalNode *id : ctx->IDENT()) {
    path.push_back(text(id->getSymbol()));
    ranges.push_back(range(id->getSymbol()));
  }
}

ast::Item ASTBuilder::buildItem(P::ItemContext *ctx) {
  ast::Item it;
  it.range = range(ctx);
  if (auto *c = dynamic_cast<P::LevelItemContext *>(ctx)) {
    it.kind = ast::Item::Level;
    it.name = text(c->name);
    it.pathRanges.push_back(range(c->name));
    if (c->expr())
      it.value = buildExpr(c->expr());
    if (c->block()) {
      it.hasBody = true;
      buildBlock(c->block(), it.body);
    }
  } else if (auto *c = dynamic_cast<P::AssignItemContext *>(ctx)) {
    it.kind = ast::Item::Assign;
    buildPath(c->path(), it.path, it.pathRanges);
    it.value = buildExpr(c->expr());
    if (c->block()) {
      it.hasBody = true;
      buildBlock(c->block(), it.body);
    }
  } else if (auto *c = dynamic_cast<P::BlockItemContext *>(ctx)) {
    it.kind = ast::Item::Block;
    it.path.push_back(text(c->IDENT()->getSymbol()));
    it.pathRanges.push_back(range(c->IDENT()->getSymbol()));
    it.hasBody = true;
    buildBlock(c->block(), it.body);
  } else if (auto *c = dynamic_cast<P::AxisItemContext *>(ctx)) {
    it.kind = ast::Item::Axis;
    buildPath(c->path(), it.path, it.pathRanges);
    it.value = buildExpr(c->expr());
  } else if (auto *c = dynamic_cast<P::RequireItemContext *>(ctx)) {
    it.kind = ast::Item::Require;
    it.value = buildExpr(c->expr());
  } else if (auto *c = dynamic_cast<P::ObjectiveItemContext *>(ctx)) {
    it.kind = ast::Item::Objective;
    it.maximize = c->op->getText() == "maximize";
    it.value = buildExpr(c->expr());
  } else if (auto *c = dynamic_cast<P::ReportItemContext *>(ctx)) {
    it.kind = ast::Item::ReportTop;
    it.value = buildExpr(c->expr());
  } else if (auto *c = dynamic_cast<P::ParetoItemContext *>(ctx)) {
    it.kind = ast::Item::Pareto;
    for (P::ExprContext *e : c->expr())
      it.metrics.push_back(buildExpr(e));
  } else if (auto *c = dynamic_cast<P::CompareItemContext *>(ctx)) {
    it.kind = ast::Item::Compare;
    buildPath(c->path(), it.path, it.pathRanges);
    for (P::ExprContext *e : c->expr())
      it.metrics.push_back(buildExpr(e));
  }
  return it;
}

std::unique_ptr<ast::Item> ASTBuilder::buildSetting(P::SettingContext *ctx) {
  auto it = std::make_unique<ast::Item>();
  it->kind = ast::Item::Assign;
  it->range = range(ctx);
  buildPath(ctx->path(), it->path, it->pathRanges);
  it->value = buildExpr(ctx->expr());
  return it;
}

namespace {
ast::ExprPtr makeOp(ast::Expr::Kind kind, std::string op, llvm::SMRange r) {
  auto e = std::make_unique<ast::Expr>();
  e->kind = kind;
  e->text = std::move(op);
  e->range = r;
  return e;
}
} // namespace

ast::ExprPtr ASTBuilder::buildExpr(P::ExprContext *ctx) {
  if (auto *c = dynamic_cast<P::PrimaryExprContext *>(ctx))
    return buildPrimary(c->primary());
  if (auto *c = dynamic_cast<P::UnaryExprContext *>(ctx)) {
    auto e = makeOp(ast::Expr::Unary, c->op->getText(), range(ctx));
    e->operands.push_back(buildExpr(c->expr()));
    return e;
  }
  if (auto *c = dynamic_cast<P::RangeExprContext *>(ctx)) {
    auto e = makeOp(ast::Expr::Range, "..", range(ctx));
    for (P::ExprContext *x : c->expr())
      e->operands.push_back(buildExpr(x));
    return e;
  }
  // Every other alternative is a binary operator with an `op` label.
  antlr4::Token *op = nullptr;
  std::vector<P::ExprContext *> operands;
  if (auto *c = dynamic_cast<P::MulExprContext *>(ctx))
    op = c->op, operands = c->expr();
  else if (auto *c = dynamic_cast<P::AddExprContext *>(ctx))
    op = c->op, operands = c->expr();
  else if (auto *c = dynamic_cast<P::CmpExprContext *>(ctx))
    op = c->op, operands = c->expr();
  else if (auto *c = dynamic_cast<P::AndExprContext *>(ctx))
    op = c->op, operands = c->expr();
  else if (auto *c = dynamic_cast<P::OrExprContext *>(ctx))
    op = c->op, operands = c->expr();
  auto e = makeOp(ast::Expr::Binary, op ? op->getText() : "?", range(ctx));
  for (P::ExprContext *x : operands)
    e->operands.push_back(buildExpr(x));
  return e;
}

ast::ExprPtr ASTBuilder::buildNumber(antlr4::Token *tok, bool withUnit) {
  auto e = std::make_unique<ast::Expr>();
  e->range = range(tok);
  std::string all = text(tok);
  // Split "900 GB/s" into the number and the unit: the number ends at the
  // first character that cannot continue it.
  size_t i = 0;
  while (i < all.size() && std::isdigit((unsigned char)all[i]))
    ++i;
  bool integer = true;
  if (i + 1 < all.size() && all[i] == '.' && std::isdigit((unsigned char)all[i + 1])) {
    integer = false;
    ++i;
    while (i < all.size() && std::isdigit((unsigned char)all[i]))
      ++i;
  }
  if (i < all.size() && (all[i] == 'e' || all[i] == 'E')) {
    size_t j = i + 1;
    if (j < all.size() && (all[j] == '+' || all[j] == '-'))
      ++j;
    if (j < all.size() && std::isdigit((unsigned char)all[j])) {
      integer = false;
      while (j < all.size() && std::isdigit((unsigned char)all[j]))
        ++j;
      i = j;
    }
  }
  e->text = all.substr(0, i);
  e->isInteger = integer;
  e->number = std::strtod(e->text.c_str(), nullptr);
  // Whole numbers are exact only up to 2^53 in a double; larger ones would
  // be rounded silently, so they must be written with an exponent.
  if (!std::isfinite(e->number) ||
      (integer && e->number > 9007199254740992.0)) {
    diags.report(e->range, DiagKind::NumberOutOfRange, e->text);
    hadError = true;
  }
  size_t u = i;
  while (u < all.size() && (all[u] == ' ' || all[u] == '\t'))
    ++u;
  if (withUnit && u < all.size()) {
    e->kind = ast::Expr::Quantity;
    e->unit = all.substr(u);
    const char *start = e->range.Start.getPointer();
    e->unitRange = {llvm::SMLoc::getFromPointer(start + u),
                    llvm::SMLoc::getFromPointer(start + all.size())};
  } else {
    e->kind = ast::Expr::Number;
  }
  return e;
}

ast::ExprPtr ASTBuilder::buildPrimary(P::PrimaryContext *ctx) {
  // Most frequent alternatives first: each miss is a dynamic_cast.
  if (auto *c = dynamic_cast<P::PathExprContext *>(ctx)) {
    auto e = std::make_unique<ast::Expr>();
    e->kind = ast::Expr::Path;
    e->range = range(ctx);
    buildPath(c->path(), e->path, e->pathRanges);
    return e;
  }
  if (auto *c = dynamic_cast<P::QuantityLitContext *>(ctx))
    return buildNumber(c->QUANTITY()->getSymbol(), true);
  if (auto *c = dynamic_cast<P::NumberLitContext *>(ctx))
    return buildNumber(c->NUMBER()->getSymbol(), false);
  if (auto *c = dynamic_cast<P::StringLitContext *>(ctx)) {
    auto e = std::make_unique<ast::Expr>();
    e->kind = ast::Expr::String;
    e->range = range(ctx);
    std::string raw = text(c->STRING()->getSymbol());
    for (size_t i = 1; i + 1 < raw.size(); ++i) {
      if (raw[i] == '\\' && i + 2 < raw.size())
        ++i;
      e->text += raw[i];
    }
    return e;
  }
  if (auto *c = dynamic_cast<P::CallExprContext *>(ctx)) {
    auto e = makeOp(ast::Expr::Call, text(c->IDENT()->getSymbol()), range(ctx));
    e->pathRanges.push_back(range(c->IDENT()->getSymbol()));
    for (P::ExprContext *x : c->expr())
      e->operands.push_back(buildExpr(x));
    return e;
  }
  if (auto *c = dynamic_cast<P::ParenExprContext *>(ctx))
    return buildExpr(c->expr());
  auto *c = dynamic_cast<P::ListExprContext *>(ctx);
  auto e = makeOp(ast::Expr::List, "", range(ctx));
  if (c)
    for (P::ExprContext *x : c->expr())
      e->operands.push_back(buildExpr(x));
  return e;
}
