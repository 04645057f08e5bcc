//===- Parser.h - .ds text to AST -------------------------------*- C++ -*-===//
//
// Runs the ANTLR lexer and parser over a SourceMgr buffer, reports lexical
// and syntax errors through the DiagEngine, and builds the AST. Deep nesting
// and oversized input are rejected before parsing so no input can exhaust
// the stack.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_FRONTEND_PARSER_H
#define DEEPSTACK_FRONTEND_PARSER_H

#include "frontend/AST.h"
#include "frontend/Diagnostics.h"
#include <memory>

namespace ds {

/// Limits that keep hostile input from exhausting time or stack.
struct ParseLimits {
  static constexpr unsigned maxNesting = 256;
  static constexpr size_t maxTokens = 4'000'000;
  static constexpr size_t maxIdentifier = 256;
  /// Operators in one statement; bounds the depth of left-deep chains.
  static constexpr unsigned maxOperators = 10000;
  static constexpr size_t maxFileBytes = 16u << 20;
  /// Declarations over the main file and its imports: every one becomes a
  /// fully defaulted IR record (~2 KB); the shipped library has ~100 and
  /// generated design libraries a few thousand.
  static constexpr size_t maxDecls = 100000;
};

/// Parses a whole file; null after any error (already reported).
std::unique_ptr<ast::File> parseFile(unsigned bufferId, DiagEngine &diags);

/// Parses `path = expr` (the text of --set); null after any error.
std::unique_ptr<ast::Item> parseSetting(unsigned bufferId, DiagEngine &diags);

/// Parses a lone expression (schema defaults and checks).
ast::ExprPtr parseExpression(unsigned bufferId, DiagEngine &diags);

} // namespace ds

#endif
