# lit configuration for DeepStack: every .ds / .test file under test/ runs
# its RUN lines with %deepstack bound to the built driver.
import os
import shutil
import lit.formats

config.name = "DeepStack"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".ds", ".test"]
config.excludes = ["Inputs", "unit", "fuzz", "CMakeLists.txt"]
config.test_source_root = os.path.dirname(__file__)

config.substitutions.append(("%deepstack", os.path.join(config.deepstack_bin, "deepstack")))
config.substitutions.append(("%lib", os.path.join(config.source_root, "lib")))
config.substitutions.append(("%examples", os.path.join(config.source_root, "examples")))
config.substitutions.append(("%srcroot", config.source_root))
config.substitutions.append(("%obj_root", os.path.dirname(config.deepstack_bin)))
# Mutants in Robustness/mutants.test: the must-show 10,000 on a normal
# build; under a sanitizer each driver run is slower, so fewer (override
# with lit --param mutants=N).
_mutants = lit_config.params.get(
    "mutants", "2000" if getattr(config, "deepstack_sanitized", False) else "10000")
config.substitutions.append(("%{mutants}", _mutants))
config.environment["PATH"] = os.pathsep.join(
    [config.llvm_tools_dir, config.deepstack_bin, config.environment.get("PATH", os.environ.get("PATH", ""))])
# Diagnostics must not depend on the terminal.
config.environment["TERM"] = "dumb"
for var in ["ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS"]:
    if var in os.environ:
        config.environment[var] = os.environ[var]
# The shared reference data beside the checkout (absent in a user's clone):
# tests that compare data/reference with it need it.
if os.path.isdir(os.path.join(config.source_root, "..", "shared", "reference")):
    config.available_features.add("shared-reference")
# test/Sweep/mpi.test runs `mpirun -np 4 deepstack sweep`: it needs mpirun and
# a deepstack linked with MPI (CMake found libopenmpi-dev; else the driver is
# built single-process and refuses to run under mpirun).
_deepstack = os.path.join(config.deepstack_bin, "deepstack")
if shutil.which("mpirun") and os.path.isfile(_deepstack):
    with open(_deepstack, "rb") as f:
        if b"libmpi.so" in f.read():
            config.available_features.add("mpi")
