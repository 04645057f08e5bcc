//===- AST.h - The syntax tree of a .ds file --------------------*- C++ -*-===//
//
// Built from the ANTLR parse tree by ASTBuilder; the parse tree never leaves
// frontend/. Every node carries its source range for diagnostics.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_FRONTEND_AST_H
#define DEEPSTACK_FRONTEND_AST_H

#include "llvm/Support/SMLoc.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include <memory>
#include <string>
#include <vector>

namespace ds {
namespace ast {

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
  enum Kind { Quantity, Number, String, Path, Call, List, Range, Unary, Binary };
  Kind kind = Number;
  llvm::SMRange range;
  double number = 0;        ///< Quantity, Number: the value as written
  bool isInteger = false;   ///< Number written without '.' or exponent
  std::string text;         ///< Number/Quantity spelling, String contents,
                            ///< Call function, Unary/Binary operator
  std::string unit;         ///< Quantity: unit spelling
  llvm::SMRange unitRange;  ///< Quantity: where the unit is
  std::vector<std::string> path;         ///< Path components
  std::vector<llvm::SMRange> pathRanges; ///< one per component
  std::vector<ExprPtr> operands; ///< Call args, List elements, Range
                                 ///< [lo, hi], Unary [x], Binary [l, r]
};

struct Item;
using Body = std::vector<Item>;

struct Item {
  enum Kind {
    Assign, Block, Level, Axis, Require, Objective, ReportTop, Pareto, Compare
  };
  Kind kind = Assign;
  llvm::SMRange range;
  std::vector<std::string> path;         ///< Assign, Block, Axis target
  std::vector<llvm::SMRange> pathRanges; ///< Level: [name]; Compare: axis
  std::string name;                      ///< Level name
  ExprPtr value;           ///< Assign, Level topology, Axis values, Require,
                           ///< Objective, ReportTop
  bool hasBody = false;    ///< Assign with a block, Block, Level with a block
  Body body;
  bool maximize = true;    ///< Objective
  std::vector<ExprPtr> metrics; ///< Pareto, Compare
};

struct Decl {
  std::string kind;
  llvm::SMRange kindRange;
  std::string name;
  llvm::SMRange nameRange;
  std::string base; ///< `: base`, empty if none
  llvm::SMRange baseRange;
  std::string target; ///< `over target`, empty if none
  llvm::SMRange targetRange;
  Body body;
  llvm::SMRange range;
};

struct Import {
  std::string path;
  llvm::SMRange range;
};

struct File {
  std::string filename;
  unsigned bufferId = 0;
  std::vector<Import> imports;
  std::vector<Decl> decls;
};

/// Source-like text of an expression ("2 * peak.bf16").
std::string exprToString(const Expr &e);

/// Dumps the tree for --emit=ast.
void printAST(const File &file, const llvm::SourceMgr &sm,
              llvm::raw_ostream &os);

} // namespace ast
} // namespace ds

#endif
