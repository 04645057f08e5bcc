//===- Csv.cpp - Comma-separated reference tables -------------------------===//
#include "runtime/validate/Csv.h"

using namespace ds;

namespace {
/// Splits on commas outside double quotes and parentheses, so a shape such
/// as torus(4,4) is one field whether or not it is quoted. Quotes around a
/// field are dropped (a doubled quote inside stays doubled). An unclosed
/// quote or parenthesis groups nothing (the field's own check reports it).
CsvRow splitLine(llvm::StringRef text, unsigned line, bool group = true) {
  CsvRow row;
  row.line = line;
  row.text = text;
  size_t start = 0;
  int depth = 0;
  bool quoted = false;
  if (!group) {
    llvm::SmallVector<llvm::StringRef, 48> parts;
    text.split(parts, ',');
    for (llvm::StringRef f : parts)
      row.fields.push_back(f.trim(" \t\r"));
    return row;
  }
  auto field = [&](size_t end) {
    llvm::StringRef f = text.slice(start, end).trim(" \t\r");
    if (f.size() >= 2 && f.front() == '"' && f.back() == '"')
      f = f.drop_front().drop_back();
    row.fields.push_back(f);
    start = end + 1;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"')
      quoted = !quoted;
    else if (!quoted && c == '(')
      ++depth;
    else if (!quoted && c == ')' && depth > 0)
      --depth;
    else if (!quoted && depth == 0 && c == ',')
      field(i);
  }
  if (quoted || depth > 0)
    return splitLine(text, line, false);
  field(text.size());
  return row;
}
} // namespace

CsvTable CsvTable::parse(llvm::StringRef buffer) {
  CsvTable t;
  buffer.consume_front("\xEF\xBB\xBF"); // spreadsheets write a BOM
  unsigned line = 0;
  bool haveHeader = false;
  while (!buffer.empty()) {
    ++line;
    auto [text, rest] = buffer.split('\n');
    buffer = rest;
    text.consume_back("\r");
    if (text.trim(" \t").empty())
      continue;
    CsvRow row = splitLine(text, line);
    if (haveHeader) {
      t.body.push_back(std::move(row));
      continue;
    }
    haveHeader = true;
    t.headerRow = std::move(row);
    for (unsigned i = 0; i < t.headerRow.fields.size(); ++i)
      t.index.try_emplace(t.headerRow.fields[i], i);
  }
  return t;
}

int CsvTable::column(llvm::StringRef name) const {
  auto it = index.find(name);
  return it == index.end() ? -1 : int(it->second);
}
