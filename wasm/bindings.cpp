// Embind bindings: this file only binds. All behaviour lives in the core's
// JSON-text façade (core/include/trialscreen/session.hpp); JSON strings cross
// the boundary, never exceptions (emcc builds with exceptions off).
#include <emscripten/bind.h>

#include "trialscreen/session.hpp"
#include "trialscreen/trial.hpp"

namespace {

std::string engine_version_string() { return trialscreen::engine_version(); }

}  // namespace

EMSCRIPTEN_BINDINGS(trialscreen) {
  emscripten::function("engineVersion", &engine_version_string);

  emscripten::class_<trialscreen::TrialSession>("TrialSession")
      .constructor<std::string>()
      .function("ok", &trialscreen::TrialSession::ok)
      .function("loadError", &trialscreen::TrialSession::load_error)
      .function("definition", &trialscreen::TrialSession::definition)
      .function("screen", &trialscreen::TrialSession::screen)
      .function("lint", &trialscreen::TrialSession::lint);

  emscripten::class_<trialscreen::LogicSession>("LogicSession")
      .constructor<std::string>()
      .function("ok", &trialscreen::LogicSession::ok)
      .function("compileError", &trialscreen::LogicSession::compile_error)
      .function("apply", &trialscreen::LogicSession::apply);
}
