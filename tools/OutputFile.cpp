//===- OutputFile.cpp - Writing -o files ----------------------------------===//
//
// A regular file is written atomically: the text goes to a temporary file
// beside it (same directory, so the rename stays on one file system), which
// replaces the target only once it is complete - an interrupted or failed
// run never leaves a half-written CSV where the last good one was. A target
// that exists and is not a regular file (/dev/null, /dev/stdout, a FIFO) is
// written in place: renaming over it would replace the device node itself.
// Failures are CannotWriteOutput with the reason in the user's words.
//
//===----------------------------------------------------------------------===//
#include "tools/Commands.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace ds;
namespace fs = llvm::sys::fs;

namespace {
/// Writes \p text through \p os; the reason on failure, else "".
std::string writeAll(llvm::raw_fd_ostream &os, const std::string &text) {
  os << text;
  os.close();
  if (!os.has_error())
    return "";
  std::string why = os.error().message();
  os.clear_error(); // else the destructor reports a fatal error
  return why;
}
} // namespace

bool ds::tool::writeOutput(DiagEngine &diags, const std::string &text,
                           const std::string &outputFile) {
  if (outputFile.empty() || outputFile == "-") {
    llvm::outs() << text;
    return true;
  }
  auto fail = [&](const llvm::Twine &why) {
    diags.report(llvm::SMLoc(), DiagKind::CannotWriteOutput, outputFile,
                 why.str());
    return false;
  };
  fs::file_status st;
  bool exists = !fs::status(outputFile, st) && fs::exists(st);
  if (exists && fs::is_directory(st))
    return fail("is a directory");
  if (exists && !fs::is_regular_file(st)) {
    std::error_code ec;
    llvm::raw_fd_ostream os(outputFile, ec, fs::OF_None);
    if (ec)
      return fail(ec.message());
    std::string why = writeAll(os, text);
    return why.empty() || fail(why);
  }
  llvm::SmallString<256> dir(outputFile);
  llvm::sys::path::remove_filename(dir);
  if (dir.empty())
    dir = ".";
  if (!fs::is_directory(dir))
    return fail("directory '" + dir + "' does not exist");
  int fd = -1;
  llvm::SmallString<256> temp;
  if (std::error_code ec =
          fs::createUniqueFile(outputFile + ".tmp%%%%%%", fd, temp))
    return fail(ec.message());
  std::string why;
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    why = writeAll(os, text);
  }
  if (why.empty())
    if (std::error_code ec = fs::rename(temp, outputFile))
      why = ec.message();
  if (why.empty())
    return true;
  fs::remove(temp);
  return fail(why);
}
