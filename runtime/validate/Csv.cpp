//===- Csv.cpp - Comma-separated reference tables -------------------------===//
#include "runtime/validate/Csv.h"

using namespace ds;

namespace {
CsvRow splitLine(llvm::StringRef text, unsigned line) {
  CsvRow row;
  row.line = line;
  row.text = text;
  llvm::SmallVector<llvm::StringRef, 48> parts;
  text.split(parts, ',');
  for (llvm::StringRef f : parts)
    row.fields.push_back(f.trim(" \t\r"));
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
