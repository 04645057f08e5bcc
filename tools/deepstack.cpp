//===- deepstack.cpp - The DeepStack command line -------------------------===//
//
// Argument handling only: subcommands map onto frontend/Driver. The work runs
// on a thread with a large stack so that deeply nested (but legal) input
// cannot overflow it.
//
//===----------------------------------------------------------------------===//
#include "frontend/Driver.h"
#include "runtime/validate/Validate.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/thread.h"

using namespace ds;
namespace cl = llvm::cl;

namespace {
cl::OptionCategory category("DeepStack options");

cl::SubCommand checkCmd("check", "Check a .ds file and report every error");
cl::SubCommand emitCmd("emit", "Print a stage of the compilation (--emit=ast|ir)");
cl::SubCommand validateCmd(
    "validate", "Print the model's error against reference measurements (CSV)");
cl::list<std::string> validateInputs(cl::Positional, cl::desc("<file.csv>..."),
                                     cl::OneOrMore, cl::sub(validateCmd));
cl::SubCommand schemaCmd("schema",
                         "Print the field reference (docs/fields.md) as Markdown");

cl::opt<std::string> checkInput(cl::Positional, cl::desc("<file.ds>"),
                                cl::Required, cl::sub(checkCmd));
cl::opt<std::string> emitInput(cl::Positional, cl::desc("<file.ds>"),
                               cl::Required, cl::sub(emitCmd));

enum class EmitKind { AST, IR };
cl::opt<EmitKind> emitKind(
    "emit", cl::desc("What to print"), cl::init(EmitKind::IR),
    cl::values(clEnumValN(EmitKind::AST, "ast", "the syntax tree"),
               clEnumValN(EmitKind::IR, "ir", "the checked, typed IR")),
    cl::sub(emitCmd), cl::cat(category));

cl::list<std::string> includeDirs("I", cl::desc("Add a directory to the import search path"),
                                  cl::value_desc("dir"), cl::Prefix,
                                  cl::sub(*cl::AllSubCommands), cl::cat(category));
cl::list<std::string> settings(
    "set", cl::desc("Override a field: --set decl.field=value"),
    cl::value_desc("decl.field=value"), cl::sub(*cl::AllSubCommands),
    cl::cat(category));
cl::opt<bool> showDiagKind("show-diag-kind",
                           cl::desc("Append [Kind] to every diagnostic"),
                           cl::sub(*cl::AllSubCommands), cl::Hidden);
cl::opt<unsigned> errorLimit("error-limit",
                             cl::desc("Stop after this many errors (0: no limit)"),
                             cl::init(50), cl::sub(*cl::AllSubCommands),
                             cl::cat(category));

FrontendOptions frontendOptions() {
  FrontendOptions o;
  o.includeDirs.assign(includeDirs.begin(), includeDirs.end());
  o.settings.assign(settings.begin(), settings.end());
  o.showDiagKind = showDiagKind;
  o.errorLimit = errorLimit;
  return o;
}

int runCheck() {
  Compilation c(frontendOptions());
  return c.run(checkInput) ? 0 : 1;
}

int runEmit() {
  Compilation c(frontendOptions());
  bool astOnly = emitKind == EmitKind::AST;
  if (!c.run(emitInput, astOnly))
    return 1;
  if (astOnly)
    ast::printAST(*c.sema().mainFile(), c.sourceMgr(), llvm::outs());
  else
    printIR(*c.module(), llvm::outs());
  return 0;
}

int dispatch() {
  if (checkCmd)
    return runCheck();
  if (emitCmd)
    return runEmit();
  if (validateCmd) {
    llvm::SourceMgr sm;
    DiagEngine diags(sm);
    diags.setShowKind(showDiagKind);
    std::vector<std::string> files(validateInputs.begin(), validateInputs.end());
    return validateFiles(files, diags, llvm::outs()) ? 0 : 1;
  }
  if (schemaCmd) {
    printSchemaMarkdown(llvm::outs());
    return 0;
  }
  llvm::WithColor::error(llvm::errs(), "deepstack")
      << "no command given; try 'deepstack --help'\n";
  return 1;
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  tuneAllocator();
  cl::SetVersionPrinter([](llvm::raw_ostream &os) {
    os << "deepstack " << DEEPSTACK_VERSION << "\n";
  });
  if (!cl::ParseCommandLineOptions(argc, argv,
                                   "DeepStack: 3D-stacked AI system compiler\n",
                                   &llvm::errs()))
    return 1;
  int rc = 1;
  // 512 MiB of stack: input limits bound recursion far below this.
  llvm::thread worker(llvm::Optional<unsigned>(512u << 20),
                      [&rc] { rc = dispatch(); });
  worker.join();
  llvm::outs().flush();
  return rc;
}
