//===- Value.h - Values of .ds expressions ----------------------*- C++ -*-===//
//
// What a .ds expression evaluates to: a number with a dimension (in SI), a
// boolean, a string, a bare name (enum value or declaration), a call that
// stays symbolic (switch(8), torus(4, 4)), a list or a range.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_IR_VALUE_H
#define DEEPSTACK_IR_VALUE_H

#include "frontend/Units.h"
#include "llvm/Support/SMLoc.h"
#include <string>
#include <vector>

namespace ds {

struct Value {
  enum Kind { Number, Bool, String, Name, Call, List, Range };
  Kind kind = Number;
  double num = 0;      ///< Number (SI) or Bool (0/1)
  Dim dim;             ///< Number
  bool isInt = false;  ///< Number written or computed as a whole number
  std::string text;    ///< String contents, Name, Call function
  std::string nameOf;  ///< Name: what it names ("memory", "phase"), or ""
  std::vector<Value> elems; ///< Call arguments, List elements, Range [lo, hi]
  llvm::SMRange range; ///< where the value was written

  static Value number(double v, Dim d, bool isInt, llvm::SMRange r = {});
  static Value boolean(bool b, llvm::SMRange r = {});
  static Value name(std::string n, llvm::SMRange r = {});

  bool isNumber() const { return kind == Number; }
  /// "a size", "a whole number", "a list", "the name 'x'" - for messages.
  std::string describe() const;
  /// The value as written in a report or IR dump: "4 GiB", "switch(8)".
  std::string str() const;
};

} // namespace ds

#endif
