//===- Value.cpp - Values of .ds expressions ------------------------------===//
#include "ir/Value.h"

using namespace ds;

Value Value::number(double v, Dim d, bool isInt, llvm::SMRange r) {
  Value x;
  x.kind = Number;
  x.num = v;
  x.dim = d;
  x.isInt = isInt;
  x.range = r;
  return x;
}

Value Value::boolean(bool b, llvm::SMRange r) {
  Value x;
  x.kind = Bool;
  x.num = b ? 1 : 0;
  x.range = r;
  return x;
}

Value Value::name(std::string n, llvm::SMRange r) {
  Value x;
  x.kind = Name;
  x.text = std::move(n);
  x.range = r;
  return x;
}

std::string Value::describe() const {
  switch (kind) {
  case Number:
    if (dim.isNone())
      return isInt ? "a whole number" : "a plain number";
    return describeDim(dim);
  case Bool:
    return "a condition";
  case String:
    return "a string";
  case Name:
    if (!nameOf.empty())
      return "the " + nameOf + " '" + text + "'";
    return "the name '" + text + "'";
  case Call:
    return "'" + text + "(...)'";
  case List:
    return "a list";
  case Range:
    return "a range";
  }
  return "a value";
}

std::string Value::str() const {
  switch (kind) {
  case Number:
    return formatQuantity(num, dim);
  case Bool:
    return num != 0 ? "true" : "false";
  case String:
    return "\"" + text + "\"";
  case Name:
    return text;
  case Call:
  case List: {
    std::string s = kind == Call ? text + "(" : "{";
    for (size_t i = 0; i < elems.size(); ++i)
      s += (i ? ", " : "") + elems[i].str();
    return s + (kind == Call ? ")" : "}");
  }
  case Range:
    return elems.size() == 2 ? elems[0].str() + " .. " + elems[1].str() : "..";
  }
  return "";
}
