//===- ASTBuilder.h - ANTLR parse tree to AST -------------------*- C++ -*-===//
//
// Private to frontend/: the only place that sees ANTLR contexts.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_FRONTEND_ASTBUILDER_H
#define DEEPSTACK_FRONTEND_ASTBUILDER_H

#include "DeepStackParser.h"
#include "frontend/AST.h"
#include "frontend/Diagnostics.h"

namespace ds {

class ASTBuilder {
public:
  /// \p base is the first byte of the buffer; token indices are byte offsets.
  ASTBuilder(const char *base, DiagEngine &diags) : base(base), diags(diags) {}

  void buildFile(dsgen::DeepStackParser::FileContext *ctx, ast::File &file);
  std::unique_ptr<ast::Item> buildSetting(dsgen::DeepStackParser::SettingContext *ctx);
  ast::ExprPtr buildExpr(dsgen::DeepStackParser::ExprContext *ctx);

  bool failed() const { return hadError; }

private:
  ast::Decl buildDecl(dsgen::DeepStackParser::DeclarationContext *ctx);
  void buildBlock(dsgen::DeepStackParser::BlockContext *ctx, ast::Body &body);
  ast::Item buildItem(dsgen::DeepStackParser::ItemContext *ctx);
  ast::ExprPtr buildPrimary(dsgen::DeepStackParser::PrimaryContext *ctx);
  void buildPath(dsgen::DeepStackParser::PathContext *ctx,
                 std::vector<std::string> &path,
                 std::vector<llvm::SMRange> &ranges);
  ast::ExprPtr buildNumber(antlr4::Token *tok, bool withUnit);

  llvm::SMRange range(antlr4::Token *tok) const;
  llvm::SMRange range(antlr4::ParserRuleContext *ctx) const;
  std::string text(antlr4::Token *tok) const;

  const char *base;
  DiagEngine &diags;
  bool hadError = false;
};

} // namespace ds

#endif
