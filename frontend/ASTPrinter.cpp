//===- ASTPrinter.cpp - --emit=ast ----------------------------------------===//
//
// An indented dump with line:col of every declaration and item, stable for
// lit tests.
//
//===----------------------------------------------------------------------===//
#include "frontend/AST.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/SourceMgr.h"

using namespace ds;
using namespace ds::ast;

std::string ds::ast::exprToString(const Expr &e) {
  switch (e.kind) {
  case Expr::Quantity:
    return e.text + " " + e.unit;
  case Expr::Number:
    return e.text;
  case Expr::String: {
    std::string out = "\"";
    for (char c : e.text) {
      if (c == '"' || c == '\\')
        out += '\\';
      out += c;
    }
    return out + "\"";
  }
  case Expr::Path:
    return llvm::join(e.path, ".");
  case Expr::Call:
  case Expr::List: {
    std::string s = e.kind == Expr::Call ? e.text + "(" : "{";
    for (size_t i = 0; i < e.operands.size(); ++i)
      s += (i ? ", " : "") + exprToString(*e.operands[i]);
    return s + (e.kind == Expr::Call ? ")" : "}");
  }
  case Expr::Range:
    return exprToString(*e.operands[0]) + " .. " + exprToString(*e.operands[1]);
  case Expr::Unary:
    return e.text + exprToString(*e.operands[0]);
  case Expr::Binary:
    return "(" + exprToString(*e.operands[0]) + " " + e.text + " " +
           exprToString(*e.operands[1]) + ")";
  }
  return "";
}

namespace {
class Printer {
public:
  Printer(const File &f, const llvm::SourceMgr &sm, llvm::raw_ostream &os)
      : file(f), sm(sm), os(os) {}

  void print() {
    os << "file \"" << file.filename << "\"\n";
    for (const Import &i : file.imports)
      os << "  import \"" << i.path << "\"" << at(i.range) << "\n";
    for (const Decl &d : file.decls) {
      os << "  " << d.kind << " " << d.name;
      if (!d.base.empty())
        os << " : " << d.base;
      if (!d.target.empty())
        os << " over " << d.target;
      os << at(d.range) << "\n";
      printBody(d.body, 4);
    }
  }

private:
  std::string at(llvm::SMRange r) const {
    if (!r.Start.isValid())
      return "";
    // Line and column only: the file is named once at the top.
    auto lc = sm.getLineAndColumn(r.Start);
    return " @" + std::to_string(lc.first) + ":" + std::to_string(lc.second);
  }

  void printBody(const Body &body, unsigned indent) {
    for (const Item &it : body) {
      os.indent(indent);
      switch (it.kind) {
      case Item::Assign:
        os << llvm::join(it.path, ".") << " = " << exprToString(*it.value);
        break;
      case Item::Block:
        os << llvm::join(it.path, ".");
        break;
      case Item::Level:
        os << "level " << it.name;
        if (it.value)
          os << " = " << exprToString(*it.value);
        break;
      case Item::Axis:
        os << llvm::join(it.path, ".") << " in " << exprToString(*it.value);
        break;
      case Item::Require:
        os << "require " << exprToString(*it.value);
        break;
      case Item::Objective:
        os << (it.maximize ? "maximize " : "minimize ")
           << exprToString(*it.value);
        break;
      case Item::ReportTop:
        os << "report top " << exprToString(*it.value);
        break;
      case Item::Pareto: {
        os << "pareto";
        for (size_t i = 0; i < it.metrics.size(); ++i)
          os << (i ? ", " : " ") << exprToString(*it.metrics[i]);
        break;
      }
      case Item::Compare: {
        os << "compare " << llvm::join(it.path, ".") << " on";
        for (size_t i = 0; i < it.metrics.size(); ++i)
          os << (i ? ", " : " ") << exprToString(*it.metrics[i]);
        break;
      }
      }
      os << at(it.range) << "\n";
      if (it.hasBody)
        printBody(it.body, indent + 2);
    }
  }

  const File &file;
  const llvm::SourceMgr &sm;
  llvm::raw_ostream &os;
};
} // namespace

void ds::ast::printAST(const File &file, const llvm::SourceMgr &sm,
                       llvm::raw_ostream &os) {
  Printer(file, sm, os).print();
}
