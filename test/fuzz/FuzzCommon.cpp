//===- FuzzCommon.cpp - What every libFuzzer target checks ----------------===//
#include "FuzzCommon.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"
#include <cmath>
#include <cstdlib>

using namespace ds;

void fuzz::requireErrorMessage(bool ok, const std::string &errors,
                               llvm::StringRef what) {
  if (ok || errors.find("error: ") != std::string::npos)
    return;
  llvm::errs() << what << ": failed without an error message\n" << errors;
  abort();
}

namespace {
/// The first bad number under \p v, as "path = value", or "".
std::string findBadNumber(const llvm::json::Value &v, const std::string &path) {
  if (const llvm::json::Object *o = v.getAsObject()) {
    for (const auto &kv : *o) {
      std::string bad = findBadNumber(kv.second, path + "." + kv.first.str());
      if (!bad.empty())
        return bad;
    }
  } else if (const llvm::json::Array *a = v.getAsArray()) {
    for (size_t i = 0; i < a->size(); ++i) {
      std::string bad =
          findBadNumber((*a)[i], path + "[" + std::to_string(i) + "]");
      if (!bad.empty())
        return bad;
    }
  } else if (llvm::Optional<double> d = v.getAsNumber()) {
    bool celsius = llvm::StringRef(path).endswith("_C");
    if (!std::isfinite(*d) || (*d < 0 && !celsius))
      return path + " = " + std::to_string(*d);
  }
  return "";
}
} // namespace

void fuzz::requireSaneJSON(llvm::StringRef json, llvm::StringRef what) {
  // llvm::json prints NaN and infinities as bare words that do not parse.
  llvm::Expected<llvm::json::Value> v = llvm::json::parse(json);
  if (!v) {
    llvm::errs() << what << ": report is not JSON ("
                 << llvm::toString(v.takeError()) << ")\n"
                 << json << "\n";
    abort();
  }
  std::string bad = findBadNumber(*v, "");
  if (bad.empty())
    return;
  llvm::errs() << what << ": report has " << bad << "\n";
  abort();
}
